"""service of billing invoices (being built)."""

from __future__ import annotations

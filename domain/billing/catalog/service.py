"""service of billing catalog (being built)."""

from __future__ import annotations

"""schemas of billing usage (being built)."""

from __future__ import annotations

"""The console's invoices: list, preview, download."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/app/invoices", include_in_schema=False)

"""Tax rates per country, region and product tax category."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/tax-rates", tags=["tax_rates"])

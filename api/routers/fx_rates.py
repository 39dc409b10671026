"""Exchange rates by date (posted, or imported from the ECB's CSV)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/fx-rates", tags=["fx_rates"])

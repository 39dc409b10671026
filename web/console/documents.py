"""The console's documents: list, preview, download."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/app/documents", include_in_schema=False)

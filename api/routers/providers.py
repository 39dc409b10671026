"""Routes for providers (filled in by its feature)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["providers"])

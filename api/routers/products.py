"""Products and their tax category."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/products", tags=["products"])

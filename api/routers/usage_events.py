"""Usage events, deduplicated on their transaction id."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/usage-events", tags=["usage_events"])

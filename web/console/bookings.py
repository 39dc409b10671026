"""The console's bookings: a week calendar of a resource or a group with its free slots, holding and
confirming one, my bookings."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/app/bookings", include_in_schema=False)

"""Recurring bookings: a series and its occurrences (created through ``POST /api/v1/bookings``)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from api.deps import Ctx, Db
from api.envelope import Envelope, errors
from domain.scheduling.series import service as series
from domain.scheduling.series.schemas import SeriesOut

router = APIRouter(prefix="/api/v1/booking-series", tags=["bookings"])


@router.get(
    "/{series_id}",
    responses=errors(403, 404),
    summary="A recurring booking: its rule, its bookings in start order (id, start, end, status) and the "
    "occurrences it skipped, with why",
)
def get_series(series_id: uuid.UUID, ctx: Ctx, session: Db) -> Envelope[SeriesOut]:
    return Envelope(data=series.view(session, ctx, series.get(session, ctx, series_id)))

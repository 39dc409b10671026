"""Utilisation of a resource: booked hours against available hours, in total and per period.

Available time is the resource's open time (weekly hours or overrides, minus closures and blocks,
imported busy times included). Booked time is the span of each booking that holds the resource
(held, confirmed, and the completed or no-show ones that held it), from its start to its end:
buffers are not booked time. Both are clipped to the window and to each period. Periods start at
``from`` and step by the granularity in the resource's wall time when it counts days or weeks (so a
day is a local day: 23 or 25 hours across a DST change), by elapsed time otherwise.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Allocation, Booking
from domain.context import TenantContext
from domain.durations import format_duration
from domain.queries import mine
from domain.scheduling.availability.schemas import _instant, _span, window_problem
from domain.scheduling.availability.service import open_intervals
from domain.scheduling.errors import FieldError, ValidationFailed
from domain.scheduling.intervals import Interval, clip, merge
from domain.scheduling.resources import service as resource_service
from domain.scheduling.utilisation.schemas import PeriodOut, UtilisationOut, UtilisationQuery

BOOKED_STATUSES = ("held", "confirmed", "completed", "no_show")
MAX_WINDOW = timedelta(days=366)
MIN_GRANULARITY = timedelta(hours=1)
MAX_PERIODS = 1000


def parse_query(start: str | None, end: str | None, granularity: str | None) -> UtilisationQuery:
    """The parameters checked together: a 422 lists every bad one."""
    bad: list[FieldError] = []
    lo, hi = _instant("from", start, bad), _instant("to", end, bad)
    step = _span("granularity", granularity or "P1D", bad)
    if step is not None and step < MIN_GRANULARITY:
        bad.append(FieldError("granularity", "must be at least PT1H"))
    if lo is not None and hi is not None:
        if problem := window_problem(lo, hi, MAX_WINDOW):
            bad.append(problem)
        elif step is not None and (hi - lo) / step > MAX_PERIODS:
            bad.append(
                FieldError("granularity", f"makes more than {MAX_PERIODS} periods: choose a longer one")
            )
    if bad or lo is None or hi is None or step is None:
        raise ValidationFailed(bad)
    return UtilisationQuery(lo, hi, step)


def periods(start: datetime, end: datetime, step: timedelta, timezone: str) -> list[Interval]:
    """[start, end) cut into periods: whole days and weeks in wall time, shorter steps in elapsed time."""
    tz = ZoneInfo(timezone)
    wall = step % timedelta(days=1) == timedelta(0)
    local_start = start.astimezone(tz)
    out: list[Interval] = []
    lo, n = start, 0
    while lo < end:
        n += 1
        if wall:
            hi = (local_start.replace(tzinfo=None) + n * step).replace(tzinfo=tz).astimezone(UTC)
        else:
            hi = start + n * step
        hi = min(hi, end)
        if hi > lo:
            out.append((lo, hi))
        lo = hi
    return out


def booked_intervals(
    session: Session, ctx: TenantContext, resource_id: uuid.UUID, start: datetime, end: datetime
) -> list[Interval]:
    """Start to end of each booking holding the resource in [start, end), clipped and merged."""
    rows = session.execute(
        select(Booking.start_at, Booking.end_at)
        .join(Allocation, Allocation.booking_id == Booking.id)
        .where(
            *mine(ctx, Allocation, deleted=True),
            Allocation.resource_id == resource_id,
            Allocation.active,
            *mine(ctx, Booking, deleted=True),
            Booking.status.in_(BOOKED_STATUSES),
            Booking.start_at < end,
            Booking.end_at > start,
        )
    )
    return clip(merge((s.astimezone(UTC), e.astimezone(UTC)) for s, e in rows), start, end)


def _hours(intervals: list[Interval], start: datetime, end: datetime) -> float:
    seconds = sum((e - s).total_seconds() for s, e in clip(intervals, start, end))
    return round(seconds / 3600, 4)


def _ratio(booked: float, available: float) -> float | None:
    return round(booked / available, 4) if available > 0 else None


def utilisation(
    session: Session, ctx: TenantContext, resource_id: uuid.UUID, query: UtilisationQuery
) -> UtilisationOut:
    resource = resource_service.get(session, ctx, resource_id)
    ctx.require("bookings:read")
    start, end = query.start, query.end
    available = open_intervals(session, ctx, resource, start, end)
    booked = booked_intervals(session, ctx, resource.id, start, end)
    rows = []
    for lo, hi in periods(start, end, query.granularity, resource.timezone):
        a, b = _hours(available, lo, hi), _hours(booked, lo, hi)
        rows.append(PeriodOut(start=lo, end=hi, available_hours=a, booked_hours=b, utilisation=_ratio(b, a)))
    total_a, total_b = _hours(available, start, end), _hours(booked, start, end)
    return UtilisationOut(
        resource_id=resource.id,
        timezone=resource.timezone,
        start=start,
        end=end,
        granularity=format_duration(query.granularity),
        available_hours=total_a,
        booked_hours=total_b,
        utilisation=_ratio(total_b, total_a),
        periods=rows,
    )

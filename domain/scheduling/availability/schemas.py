"""The GET /availability query and the free slots it answers: what the API accepts and returns."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

from domain.durations import parse_duration
from domain.errors import FieldError, ValidationFailed
from domain.instants import out_of_range


class SlotOut(BaseModel):
    start: datetime
    end: datetime


MAX_WINDOW = timedelta(days=62)
MAX_RESOURCES = 20
MIN_GRANULARITY = timedelta(minutes=5)
DEFAULT_SLOTS = 200
MAX_SLOTS = 2000


class AvailabilityQuery(BaseModel):
    resource_ids: list[uuid.UUID]
    duration: timedelta
    start: datetime
    end: datetime
    granularity: timedelta
    limit: int


def _instant(name: str, raw: str | None, bad: list[FieldError]) -> datetime | None:
    if not raw:
        bad.append(FieldError(name, "is required: an RFC 3339 time with an offset"))
        return None
    try:
        value = datetime.fromisoformat(raw.strip().replace(" ", "+"))  # an unencoded '+' arrives as ' '
    except ValueError:
        bad.append(FieldError(name, f"'{raw}' is not an RFC 3339 time such as 2026-03-30T09:00:00+02:00"))
        return None
    if value.tzinfo is None:
        bad.append(FieldError(name, "needs an offset (Z or +02:00)"))
        return None
    if (problem := out_of_range(value)) is not None:
        bad.append(FieldError(name, problem))
        return None
    return value.astimezone(UTC)


def _span(name: str, raw: str | None, bad: list[FieldError]) -> timedelta | None:
    if not raw:
        bad.append(FieldError(name, "is required: an ISO 8601 duration such as PT90M"))
        return None
    try:
        return parse_duration(raw)
    except ValueError as exc:
        bad.append(FieldError(name, str(exc)))
        return None


def window_problem(lo: datetime, hi: datetime, longest: timedelta) -> FieldError | None:
    """What is wrong with a window: ``to`` must follow ``from``, by ``longest`` at the most."""
    if hi <= lo:
        return FieldError("to", "must be after from")
    if hi - lo > longest:
        return FieldError("to", f"the window may not exceed {longest.days} days")
    return None


def parse_availability_query(
    resources: str | None,
    duration: str | None,
    start: str | None,
    end: str | None,
    granularity: str | None,
    limit: int | None,
) -> AvailabilityQuery:
    """The GET /availability parameters checked together: a 422 lists every bad one."""
    bad: list[FieldError] = []
    ids: list[uuid.UUID] = []
    names = [p.strip() for p in (resources or "").split(",") if p.strip()]
    if not names:
        bad.append(FieldError("resources", "name at least one resource id (comma-separated)"))
    elif len(set(names)) > MAX_RESOURCES:
        bad.append(FieldError("resources", f"at most {MAX_RESOURCES} resources per query"))
    for name in names:
        try:
            ids.append(uuid.UUID(name))
        except ValueError:
            bad.append(FieldError("resources", f"'{name}' is not a resource id"))
    length = _span("duration", duration, bad)
    step = _span("granularity", granularity or "PT15M", bad)
    lo, hi = _instant("from", start, bad), _instant("to", end, bad)
    if step is not None and step < MIN_GRANULARITY:
        bad.append(FieldError("granularity", "must be at least PT5M"))
    elif step is not None and length is not None and length % step:
        bad.append(FieldError("duration", "must be a whole number of granularity steps"))
    if lo is not None and hi is not None and (problem := window_problem(lo, hi, MAX_WINDOW)):
        bad.append(problem)
    if limit is not None and not 1 <= limit <= MAX_SLOTS:
        bad.append(FieldError("limit", f"must be between 1 and {MAX_SLOTS}"))
    if bad or length is None or step is None or lo is None or hi is None:
        raise ValidationFailed(bad)
    return AvailabilityQuery(
        resource_ids=list(dict.fromkeys(ids)),
        duration=length,
        start=lo,
        end=hi,
        granularity=step,
        limit=limit or DEFAULT_SLOTS,
    )

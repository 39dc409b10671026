"""Recurring bookings: an RFC 5545 RRULE expanded in a time zone's wall time, one booking per occurrence.

Occurrences keep the local wall time of the first start (09:00 in Paris stays 09:00 across DST): the rule
is expanded by dateutil on naive local times, each converted to UTC by ``intervals.wall_to_utc``; each
lasts as long as the first. The occurrences are the rule's from ``start`` on (``start`` itself only if the
rule yields it). A rule with neither COUNT nor UNTIL is capped at ``MAX_OCCURRENCES`` and ``MAX_SPAN``;
an explicit COUNT or UNTIL beyond them is refused. The series and all its bookings are written in one
transaction: all or nothing, or with ``skip_conflicts`` the occurrences that fit, the rest reported.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models.scheduling import Booking, BookingSeries, Resource
from domain.audit import service as audit
from domain.context import TenantContext
from domain.durations import format_duration
from domain.events import service as events
from domain.queries import get_or_404, mine
from domain.scheduling.availability import service as availability
from domain.scheduling.bookings import conflicts as booking_conflicts
from domain.scheduling.bookings import service as bookings
from domain.scheduling.bookings.schemas import BookingIn, ConflictOut
from domain.scheduling.errors import Conflict, ValidationFailed
from domain.scheduling.intervals import wall_to_utc
from domain.scheduling.series.schemas import OccurrenceOut, SeriesOut, SkippedOut

MAX_OCCURRENCES = 366
MAX_SPAN = timedelta(days=731)  # two years
ATTEMPTS = 3  # a concurrent booking that takes an occurrence between the check and the insert: check again
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
PARTS = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYSETPOS",
    "WKST",
)
UNTIL = re.compile(r"^(\d{8})(?:T(\d{6})(Z?))?$")
FIELD = "recurrence"


@dataclass(frozen=True)
class Expansion:
    rule: str  # as booked: a capped rule gets its COUNT
    starts: list[datetime]  # UTC
    capped: bool


@dataclass(frozen=True)
class Created:
    series: BookingSeries
    bookings: list[Booking]
    capped: bool


def _bad(message: str) -> ValidationFailed:
    return ValidationFailed.one(FIELD, message)


def _parts(text: str) -> dict[str, str]:
    body = text.strip()
    if "\n" in body or "\r" in body:
        raise _bad(
            "give one RRULE line; the first occurrence is start (no DTSTART), exceptions are not taken"
        )
    body = body.removeprefix("RRULE:").removeprefix("rrule:")
    parts: dict[str, str] = {}
    for item in filter(None, body.split(";")):
        key, sep, value = item.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            raise _bad(f"'{item}' is not NAME=VALUE")
        if key not in PARTS:
            raise _bad(f"{key} is not supported (the time of day is start's); use {', '.join(PARTS)}")
        if key in parts:
            raise _bad(f"{key} is given twice")
        parts[key] = value.strip().upper()
    if parts.get("FREQ") not in FREQUENCIES:
        raise _bad(f"FREQ must be one of {', '.join(FREQUENCIES)}")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _bad("give COUNT or UNTIL, not both")
    for key in ("COUNT", "INTERVAL"):
        if key in parts and (not parts[key].isdigit() or int(parts[key]) < 1):
            raise _bad(f"{key} must be a whole number of at least 1")
    if "COUNT" in parts and int(parts["COUNT"]) > MAX_OCCURRENCES:
        raise _bad(f"COUNT may not exceed {MAX_OCCURRENCES} occurrences")
    return parts


def _until(value: str, tz: ZoneInfo) -> datetime:
    """UNTIL as a naive local wall time: a UTC time converted, a date inclusive of its whole day."""
    match = UNTIL.match(value)
    if not match:
        raise _bad("UNTIL must be a date (20260131) or a date-time (20260131T170000Z)")
    day, clock, utc = match.groups()
    try:
        on = datetime.strptime(day, "%Y%m%d").date()
        at = datetime.strptime(clock, "%H%M%S").time() if clock else time(23, 59, 59)
    except ValueError:
        raise _bad("UNTIL is not a real date") from None
    moment = datetime.combine(on, at)
    if utc:
        return moment.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
    return moment


def _line(parts: dict[str, str]) -> str:
    return "RRULE:" + ";".join(f"{k}={v}" for k, v in parts.items())


def expand(text: str, start: datetime, tz: ZoneInfo) -> Expansion:
    """The UTC starts of the rule's occurrences from ``start`` on, at start's local wall time in ``tz``."""
    parts = _parts(text)
    first = start.astimezone(tz).replace(tzinfo=None)
    horizon = first + MAX_SPAN
    until = horizon
    if "UNTIL" in parts:
        until = _until(parts["UNTIL"], tz)
        if until > horizon:
            raise _bad("UNTIL may not be more than 2 years after start")
    # dateutil honours COUNT and UNTIL together: the horizon bounds every rule, so none runs on for ever.
    inner = parts | {"UNTIL": until.strftime("%Y%m%dT%H%M%S")}
    try:
        rule = rrulestr(_line(inner), dtstart=first)
    except (ValueError, TypeError) as exc:
        raise _bad(f"is not a valid RRULE: {exc}") from None
    assert isinstance(rule, rrule)
    walls = list(islice(rule, MAX_OCCURRENCES + 1))
    bounded = "COUNT" in parts or "UNTIL" in parts
    if bounded and len(walls) > MAX_OCCURRENCES:
        raise _bad(f"yields more than {MAX_OCCURRENCES} occurrences")
    if "COUNT" in parts and len(walls) < int(parts["COUNT"]):
        raise _bad("its COUNT occurrences reach more than 2 years after start")
    walls = walls[:MAX_OCCURRENCES]
    if not walls:
        raise _bad("yields no occurrence from start on")
    line = _line(parts) if bounded else _line(parts | {"COUNT": str(len(walls))})
    starts = [wall_to_utc(w.date(), w.time(), tz, is_end=False) for w in walls]
    return Expansion(rule=line, starts=starts, capped=not bounded)


def zone(session: Session, ctx: TenantContext, body: BookingIn, resources: list[Resource]) -> ZoneInfo:
    name = body.timezone or resources[0].timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed.one("timezone", f"'{name}' is not an IANA time zone") from None


def create(session: Session, ctx: TenantContext, body: BookingIn, *, now: datetime) -> Created:
    """The series and one booking per occurrence that fits, in the caller's transaction.

    All or nothing by default: an occurrence outside availability is a 422 ``outside_availability`` and
    one that another booking is in the way of a 409 ``booking_conflict``, each naming the local dates.
    With ``skip_conflicts`` those occurrences are left out and listed in ``skipped``.
    """
    ctx.require("bookings:write")
    bookings.check_input(body, now=now)
    assert body.recurrence is not None
    resources = bookings.load_resources(session, ctx, body.resources)
    availability.check_notice(resources, body.start, now=now)  # the first occurrence is the earliest
    tz = zone(session, ctx, body, resources)
    expansion = expand(body.recurrence, body.start, tz)
    if body.entity_id is not None:
        bookings.check_entity(session, ctx, body.entity_id)
    length = body.end_at - body.start
    spans = [(s, s + length) for s in expansion.starts]
    if booking_conflicts.overlapping(resources, spans):
        raise _bad("the occurrences would overlap one another (with the resources' buffers)")
    closed = booking_conflicts.unavailable(session, ctx, resources, spans)
    if closed and not body.skip_conflicts:
        raise booking_conflicts.occurrences_unavailable(closed, spans, tz)
    for _ in range(ATTEMPTS):
        taken = booking_conflicts.find_conflicts(session, ctx, resources, spans)
        if taken and not body.skip_conflicts:
            raise booking_conflicts.occurrences_conflict(taken, spans, tz)
        skipped = _skipped(spans, tz, closed, taken)
        keep = [span for i, span in enumerate(spans) if i not in closed and i not in taken]
        if not keep:
            raise _nothing_fits(skipped)
        series = BookingSeries.new(
            ctx,
            id=uuid.uuid4(),
            rrule=expansion.rule,
            timezone=tz.key,
            first_start=spans[0][0],
            duration_seconds=int(length.total_seconds()),
            resource_ids=[str(r.id) for r in resources],
            subject=body.subject,
            status="active",
            skipped=[s.model_dump(mode="json") for s in skipped],
            details={"capped": expansion.capped, "occurrences": len(spans)},
            created_by=ctx.user_id,
        )
        rows = [bookings.new_booking(ctx, body, s, e, now=now, series_id=series.id) for s, e in keep]
        booking_conflicts.lock_resources(session, [r.id for r in resources])
        try:
            with session.begin_nested():
                session.add(series)
                session.add_all(rows)
                session.flush()
                session.add_all([a for b in rows for a in bookings.new_allocations(ctx, b, resources)])
                session.flush()
        except IntegrityError as exc:
            if not booking_conflicts.is_exclusion(exc):
                raise
            continue  # another booking took an occurrence meanwhile: it is visible now
        break
    else:
        raise Conflict("Other bookings kept taking these times; nothing was held. Try again.")
    resource_ids = [r.id for r in resources]
    for b in rows:
        bookings.record_created(session, ctx, b, resource_ids, dedup=False)
    audit.record(
        session,
        ctx,
        "booking_series.created",
        "booking_series",
        series.id,
        {"rrule": [None, series.rrule], "bookings": [None, len(rows)], "skipped": [None, len(skipped)]},
    )
    events.emit(
        session,
        ctx,
        "booking_series.created",
        {
            "series_id": str(series.id),
            "rrule": series.rrule,
            "timezone": series.timezone,
            "bookings": [str(b.id) for b in rows],
            "skipped": [s["date"] for s in series.skipped],
        },
        dedup_key=f"booking_series.created:{series.id}",
    )
    return Created(series=series, bookings=rows, capped=expansion.capped)


def _skipped(
    spans: list[tuple[datetime, datetime]],
    tz: ZoneInfo,
    closed: dict[int, list[dict[str, str]]],
    taken: dict[int, list[ConflictOut]],
) -> list[SkippedOut]:
    out: list[SkippedOut] = []
    for i, (s, e) in enumerate(spans):
        on = date.fromisoformat(booking_conflicts.local_date(s, tz))
        if i in closed:
            out.append(
                SkippedOut(date=on, start=s, end=e, reason="outside_availability", resources=closed[i])
            )
        elif i in taken:
            conflicts = [c.model_dump(mode="json") for c in taken[i]]
            out.append(SkippedOut(date=on, start=s, end=e, reason="conflict", conflicts=conflicts))
    return out


def _nothing_fits(skipped: list[SkippedOut]) -> Conflict:
    exc = Conflict(
        "No occurrence of the series fits (each conflicts or is outside availability); nothing was held.",
        {"skipped": [s.model_dump(mode="json") for s in skipped]},
    )
    exc.code = "booking_conflict"
    return exc


def get(session: Session, ctx: TenantContext, series_id: uuid.UUID) -> BookingSeries:
    ctx.require("bookings:read")
    return get_or_404(session, ctx, BookingSeries, series_id, "booking series")


def view(session: Session, ctx: TenantContext, series: BookingSeries) -> SeriesOut:
    """The series with its bookings in start order."""
    rows = session.scalars(
        select(Booking)
        .where(*mine(ctx, Booking), Booking.series_id == series.id)
        .order_by(Booking.start_at, Booking.id)
    )
    return SeriesOut(
        id=series.id,
        rrule=series.rrule,
        timezone=series.timezone,
        first_start=series.first_start,
        duration=format_duration(timedelta(seconds=series.duration_seconds)),
        resources=[uuid.UUID(r) for r in series.resource_ids],
        subject=series.subject,
        status="cancelled" if series.status == "cancelled" else "active",
        capped=bool((series.details or {}).get("capped")),
        details=series.details or {},
        created_by=series.created_by,
        created_at=series.created_at,
        updated_at=series.updated_at,
        bookings=[
            OccurrenceOut(
                id=b.id, start=b.start_at, end=b.end_at, status=b.status, hold_expires_at=b.hold_expires_at
            )
            for b in rows
        ],
        skipped=[SkippedOut.model_validate(s) for s in series.skipped or []],
    )


def discard(session: Session, ctx: TenantContext, series_id: uuid.UUID) -> None:
    """Release every booking of a series whose processes could not all start, and cancel the series."""
    series = get_or_404(session, ctx, BookingSeries, series_id, "booking series")
    ids = session.scalars(
        select(Booking.id).where(*mine(ctx, Booking, deleted=True), Booking.series_id == series_id)
    ).all()
    for booking_id in ids:
        bookings.discard(session, ctx, booking_id)
    series.status = "cancelled"
    session.flush()

"""Double booking: the allocations in the way of a booking (buffers included), the 409 that names them
with the next free alternatives, and the checks a series runs for all its occurrences at once."""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Collection
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, text
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models.scheduling import Allocation, Resource
from domain.context import TenantContext
from domain.queries import mine
from domain.scheduling.availability import service as availability
from domain.scheduling.bookings.schemas import AlternativeSlot, ConflictOut
from domain.scheduling.errors import Conflict, FieldError, ValidationFailed
from domain.scheduling.intervals import covers

EXCLUSION_VIOLATION = "23P01"
ALTERNATIVES = 3
ALTERNATIVES_WINDOW = timedelta(days=14)
ALTERNATIVES_GRANULARITY = timedelta(minutes=15)


def conflict_error(code: str, message: str, details: dict[str, Any] | None = None) -> Conflict:
    exc = Conflict(message, details or {})
    exc.code = code
    return exc


def _before(resource: Resource) -> timedelta:
    return timedelta(seconds=resource.buffer_before_seconds or 0)


def _after(resource: Resource) -> timedelta:
    return timedelta(seconds=resource.buffer_after_seconds or 0)


def allocation_span(resource: Resource, start: datetime, end: datetime) -> Range[datetime]:
    before = timedelta(seconds=resource.buffer_before_seconds or 0)
    after = timedelta(seconds=resource.buffer_after_seconds or 0)
    return Range(start - before, end + after, bounds="[)")


def lock_resources(session: Session, resource_ids: list[uuid.UUID]) -> None:
    """Take the resources' transaction-scoped advisory locks, in id order, before writing allocations.

    The exclusion constraint alone would still refuse every overlap, but two transactions inserting
    overlapping allocations at once can each find the other's uncommitted row and wait on it: a
    deadlock PostgreSQL breaks by failing one of them. Serialising writers per resource turns that
    into a plain wait, after which the constraint answers with a clean conflict."""
    keys = sorted({str(r) for r in resource_ids})
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock(k) FROM "
            "(SELECT hashtextextended(x, 0) AS k FROM unnest(CAST(:keys AS text[])) AS x ORDER BY x) AS s"
        ),
        {"keys": keys},
    )


def is_exclusion(exc: IntegrityError) -> bool:
    return getattr(exc.orig, "pgcode", None) == EXCLUSION_VIOLATION


def find_conflicts(
    session: Session,
    ctx: TenantContext,
    resources: list[Resource],
    spans: list[tuple[datetime, datetime]],
    *,
    exclude: Collection[uuid.UUID] = (),
) -> dict[int, list[ConflictOut]]:
    """For each span (by index) that the active allocations of other bookings are in the way of, what is
    in the way. One query for all the spans; the exclusion constraint stays the guard against races."""
    if not spans or not resources:
        return {}
    reach_before = max(timedelta(seconds=r.buffer_before_seconds or 0) for r in resources)
    reach_after = max(timedelta(seconds=r.buffer_after_seconds or 0) for r in resources)
    window = Range(
        min(s for s, _ in spans) - reach_before, max(e for _, e in spans) + reach_after, bounds="[)"
    )
    stmt = select(Allocation.resource_id, Allocation.span, Allocation.booking_id).where(
        *mine(ctx, Allocation, deleted=True),
        Allocation.active,
        Allocation.resource_id.in_([r.id for r in resources]),
        Allocation.span.overlaps(window),
    )
    if exclude:
        stmt = stmt.where(Allocation.booking_id.not_in(list(exclude)))
    # A resource's active spans never overlap, so sorted by start they are sorted by end too.
    taken: dict[uuid.UUID, list[tuple[datetime, datetime, uuid.UUID]]] = {r.id: [] for r in resources}
    for rid, span, bid in session.execute(stmt.order_by(Allocation.resource_id, Allocation.span)):
        if span.lower is not None and span.upper is not None:
            taken[rid].append((span.lower, span.upper, bid))
    ends = {rid: [upper for _, upper, _ in rows] for rid, rows in taken.items()}
    found: dict[int, list[ConflictOut]] = {}
    for i, (start, end) in enumerate(spans):
        for r in resources:
            rows = taken[r.id]
            lo, hi = start - _before(r), end + _after(r)
            j = bisect_right(ends[r.id], lo)
            while j < len(rows) and rows[j][0] < hi:
                lower, upper, bid = rows[j]
                found.setdefault(i, []).append(
                    ConflictOut(resource_id=r.id, start=lower, end=upper, booking_id=bid)
                )
                j += 1
    return found


def booking_conflict(
    session: Session,
    ctx: TenantContext,
    resources: list[Resource],
    start: datetime,
    end: datetime,
    *,
    exclude: Collection[uuid.UUID] = (),
) -> Conflict:
    """What is in the way (allocation spans, buffers included) and the next free slots of the same length."""
    clauses = [
        and_(Allocation.resource_id == r.id, Allocation.span.overlaps(allocation_span(r, start, end)))
        for r in resources
    ]
    stmt = select(Allocation.resource_id, Allocation.span, Allocation.booking_id).where(
        *mine(ctx, Allocation, deleted=True), Allocation.active, or_(*clauses)
    )
    if exclude:
        stmt = stmt.where(Allocation.booking_id.not_in(list(exclude)))
    rows = session.execute(stmt.order_by(Allocation.resource_id, Allocation.span)).all()
    conflicts = [
        ConflictOut(resource_id=rid, start=span.lower, end=span.upper, booking_id=bid).model_dump(mode="json")
        for rid, span, bid in rows
    ]
    slots = availability.free_slots(
        session,
        ctx,
        [r.id for r in resources],
        end - start,
        start,
        start + ALTERNATIVES_WINDOW,
        ALTERNATIVES_GRANULARITY,
        limit=ALTERNATIVES,
    )
    alternatives = [AlternativeSlot(start=s, end=e).model_dump(mode="json") for s, e in slots]
    return conflict_error(
        "booking_conflict",
        "Another booking already holds one of these resources at that time; nothing was held.",
        {"conflicts": conflicts, "alternatives": alternatives},
    )


def overlapping(resources: list[Resource], spans: list[tuple[datetime, datetime]]) -> bool:
    """Whether two of the spans (sorted by start), buffers included, would hold a resource at once."""
    reach = max(
        timedelta(seconds=(r.buffer_before_seconds or 0) + (r.buffer_after_seconds or 0)) for r in resources
    )
    return any(nxt[0] < prev[1] + reach for prev, nxt in pairwise(spans))


def unavailable(
    session: Session, ctx: TenantContext, resources: list[Resource], spans: list[tuple[datetime, datetime]]
) -> dict[int, list[dict[str, str]]]:
    """For each span (by index) some resource is not open for all of, which resources and why; the rules
    are read and expanded once for all the spans."""
    if not spans:
        return {}
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    rules = availability.load_rules(session, ctx, [r.id for r in resources], lo, hi)
    found: dict[int, list[dict[str, str]]] = {}
    for r in resources:
        mine = rules.get(r.id, [])
        open_time = availability.compute_open(r.timezone, mine, lo, hi)
        working = availability.working_time(r.timezone, mine, lo, hi)
        for i, (start, end) in enumerate(spans):
            if not covers(open_time, start, end):
                reason = "closed" if covers(working, start, end) else "outside_working_hours"
                found.setdefault(i, []).append({"resource_id": str(r.id), "name": r.name, "reason": reason})
    return found


def local_date(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).date().isoformat()


def occurrences_unavailable(
    found: dict[int, list[dict[str, str]]], spans: list[tuple[datetime, datetime]], tz: ZoneInfo
) -> ValidationFailed:
    """422 ``outside_availability`` naming each occurrence's local date and the resources not open."""
    bad = [
        FieldError("start", f"the occurrence on {local_date(spans[i][0], tz)} is outside availability")
        for i in sorted(found)
    ]
    exc = ValidationFailed(
        bad, "A resource is not available for some occurrences.", code="outside_availability"
    )
    exc.details["occurrences"] = [
        {
            "date": local_date(spans[i][0], tz),
            "start": spans[i][0].isoformat(),
            "end": spans[i][1].isoformat(),
            "resources": found[i],
        }
        for i in sorted(found)
    ]
    return exc


def occurrences_conflict(
    found: dict[int, list[ConflictOut]], spans: list[tuple[datetime, datetime]], tz: ZoneInfo
) -> Conflict:
    """409 ``booking_conflict`` naming each occurrence's local date and what is in the way."""
    dates = [local_date(spans[i][0], tz) for i in sorted(found)]
    return conflict_error(
        "booking_conflict",
        f"Other bookings hold a resource on {', '.join(dates)}; nothing was held or moved.",
        {
            "occurrences": [
                {
                    "date": local_date(spans[i][0], tz),
                    "start": spans[i][0].isoformat(),
                    "end": spans[i][1].isoformat(),
                    "conflicts": [c.model_dump(mode="json") for c in found[i]],
                }
                for i in sorted(found)
            ]
        },
    )

"""Bookings: all-or-nothing holds on several resources, confirm, cancel with a policy, no-show.

Double booking is impossible by construction: each booking holds one allocation per resource, and the
exclusion constraint ``ex_allocations_no_overlap`` refuses two active allocations of a resource whose
spans (buffers included) overlap. Of concurrent requests for one slot exactly one insert succeeds; the
others get an exclusion violation, answered as a 409 with the conflicts and the next free alternatives.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, or_, select, text, update
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Entity
from db.models.scheduling import Allocation, Booking, BookingSeries, Resource
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import PermissionDenied
from domain.events import service as events
from domain.pagination import paginate
from domain.scheduling import availability
from domain.scheduling.booking_schemas import (
    ACTIVE,
    MAX_HOLD,
    AllocationOut,
    BookingIn,
    BookingOut,
    CancelIn,
    ConflictOut,
    RescheduleIn,
    Scope,
    SlotOut,
)
from domain.scheduling.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.scheduling.intervals import covers, wall_to_utc

EXCLUSION_VIOLATION = "23P01"
ALTERNATIVES = 3
ALTERNATIVES_WINDOW = timedelta(days=14)
ALTERNATIVES_GRANULARITY = timedelta(minutes=15)
AUDITED = ["status", "start_at", "end_at", "hold_expires_at", "cancel_reason", "late_cancellation"]


def workflow_id(booking_id: uuid.UUID) -> str:
    return f"booking-{booking_id}"


def _conflict(code: str, message: str, details: dict[str, Any] | None = None) -> Conflict:
    exc = Conflict(message, details or {})
    exc.code = code
    return exc


def _before(resource: Resource) -> timedelta:
    return timedelta(seconds=resource.buffer_before_seconds or 0)


def _after(resource: Resource) -> timedelta:
    return timedelta(seconds=resource.buffer_after_seconds or 0)


def _span(resource: Resource, start: datetime, end: datetime) -> Range[datetime]:
    before = timedelta(seconds=resource.buffer_before_seconds or 0)
    after = timedelta(seconds=resource.buffer_after_seconds or 0)
    return Range(start - before, end + after, bounds="[)")


def load_resources(session: Session, ctx: TenantContext, ids: list[uuid.UUID]) -> list[Resource]:
    """In the order asked; a missing, inactive or other tenant's resource is a 404."""
    rows = session.scalars(
        select(Resource).where(
            Resource.tenant_id == ctx.tenant_id,
            Resource.id.in_(ids),
            Resource.active.is_(True),
            Resource.deleted_at.is_(None),
        )
    ).all()
    found = {r.id: r for r in rows}
    for rid in ids:
        if rid not in found:
            raise NotFound("resource", rid)
    return [found[rid] for rid in ids]


def check_entity(session: Session, ctx: TenantContext, entity_id: uuid.UUID) -> None:
    live = session.scalar(
        select(Entity.id).where(
            Entity.tenant_id == ctx.tenant_id, Entity.id == entity_id, Entity.deleted_at.is_(None)
        )
    )
    if live is None:
        raise ValidationFailed.one("entity_id", "is not a record of this tenant")


def check_input(body: BookingIn, *, now: datetime) -> None:
    """Every problem across fields at once, each under its own field; nothing is written."""
    bad: list[FieldError] = []
    if body.end is not None and body.duration is not None:
        bad.append(FieldError("duration", "give either end or duration, not both"))
    elif body.end is None and body.duration is None:
        bad.append(FieldError("end", "give either end or duration"))
    elif body.end is not None and body.end <= body.start:
        bad.append(FieldError("end", "must be after start"))
    if body.start < now:
        bad.append(FieldError("start", "is in the past"))
    if body.hold > MAX_HOLD:
        bad.append(FieldError("hold", "may not exceed P1D"))
    if len(set(body.resources)) != len(body.resources):
        bad.append(FieldError("resources", "names a resource twice"))
    if bad:
        raise ValidationFailed(bad, "; ".join(f"{f.field}: {f.message}" for f in bad))


def new_booking(
    ctx: TenantContext,
    body: BookingIn,
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    series_id: uuid.UUID | None = None,
) -> Booking:
    """The row of a booking about to be held (or, without confirmation, booked)."""
    held = body.requires_confirmation
    booking_id = uuid.uuid4()
    return Booking(
        id=booking_id,
        tenant_id=ctx.tenant_id,
        subject=body.subject,
        status="held" if held else "confirmed",
        start_at=start,
        end_at=end,
        # A hold never outlives the start: an unconfirmed booking is released before it begins.
        hold_expires_at=min(now + body.hold, start) if held else None,
        requires_confirmation=held,
        entity_id=body.entity_id,
        series_id=series_id,
        workflow_id=workflow_id(booking_id),
        confirmed_at=None if held else now,
        details=body.details,
        created_by=ctx.user_id,
    )


def new_allocations(ctx: TenantContext, booking: Booking, resources: list[Resource]) -> list[Allocation]:
    return [
        Allocation(
            tenant_id=ctx.tenant_id,
            booking_id=booking.id,
            resource_id=r.id,
            span=_span(r, booking.start_at, booking.end_at),
            active=True,
        )
        # One order for every request: two bookings of the same resources never wait on each other
        # crosswise (a deadlock) but one after the other.
        for r in sorted(resources, key=lambda r: r.id)
    ]


def record_created(
    session: Session,
    ctx: TenantContext,
    booking: Booking,
    resource_ids: list[uuid.UUID],
    *,
    dedup: bool = True,
) -> None:
    """The audit row and the event of a booking just inserted."""
    audit.record(
        session,
        ctx,
        "booking.created",
        "booking",
        booking.id,
        audit.diff(None, audit.snapshot(booking, AUDITED)),
    )
    event = "booking.held" if booking.status == "held" else "booking.confirmed"
    _emit(session, ctx, booking, event, resource_ids, dedup=dedup)


def create(session: Session, ctx: TenantContext, body: BookingIn, *, now: datetime) -> Booking:
    """Hold (or, without confirmation, book) every resource at once, or none: 409 ``booking_conflict``."""
    ctx.require("bookings:write")
    check_input(body, now=now)
    if body.timezone is not None or body.skip_conflicts:
        field = "timezone" if body.timezone is not None else "skip_conflicts"
        raise ValidationFailed.one(field, "applies only to a recurring booking (with recurrence)")
    start, end = body.start.astimezone(UTC), body.end_at.astimezone(UTC)
    resources = load_resources(session, ctx, body.resources)
    if body.entity_id is not None:
        check_entity(session, ctx, body.entity_id)
    availability.check_bookable(session, ctx, resources, start, end, now=now)
    booking = new_booking(ctx, body, start, end, now=now)
    lock_resources(session, [r.id for r in resources])
    try:
        with session.begin_nested():
            session.add(booking)
            session.flush()
            session.add_all(new_allocations(ctx, booking, resources))
            session.flush()
    except IntegrityError as exc:
        if not is_exclusion(exc):
            raise
        raise _booking_conflict(session, ctx, resources, start, end) from None
    record_created(session, ctx, booking, [r.id for r in resources])
    return booking


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
        Allocation.tenant_id == ctx.tenant_id,
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


def _booking_conflict(
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
        and_(Allocation.resource_id == r.id, Allocation.span.overlaps(_span(r, start, end)))
        for r in resources
    ]
    stmt = select(Allocation.resource_id, Allocation.span, Allocation.booking_id).where(
        Allocation.tenant_id == ctx.tenant_id, Allocation.active, or_(*clauses)
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
    alternatives = [SlotOut(start=s, end=e).model_dump(mode="json") for s, e in slots]
    return _conflict(
        "booking_conflict",
        "Another booking already holds one of these resources at that time; nothing was held.",
        {"conflicts": conflicts, "alternatives": alternatives},
    )


def _emit(
    session: Session,
    ctx: TenantContext,
    booking: Booking,
    event_type: str,
    resource_ids: list[uuid.UUID] | None = None,
    *,
    dedup: bool = True,
) -> None:
    if resource_ids is None:
        resource_ids = list(
            session.scalars(
                select(Allocation.resource_id).where(
                    Allocation.tenant_id == ctx.tenant_id, Allocation.booking_id == booking.id
                )
            )
        )
    payload = {
        "booking_id": str(booking.id),
        "status": booking.status,
        "subject": booking.subject,
        "start": booking.start_at.isoformat(),
        "end": booking.end_at.isoformat(),
        "resources": [str(r) for r in resource_ids],
        "entity_id": str(booking.entity_id) if booking.entity_id else None,
    }
    if dedup:
        events.emit(session, ctx, event_type, payload, dedup_key=f"{event_type}:{booking.id}")
    else:  # a new booking, or a change that may happen again (a reschedule): nothing to look up
        events.emit(session, ctx, event_type, payload, flush=False)


def fetch(
    session: Session, ctx: TenantContext, booking_id: uuid.UUID, *, for_update: bool = False
) -> Booking:
    stmt = select(Booking).where(
        Booking.tenant_id == ctx.tenant_id, Booking.id == booking_id, Booking.deleted_at.is_(None)
    )
    booking = session.scalar(stmt.with_for_update() if for_update else stmt)
    if booking is None:
        raise NotFound("booking", booking_id)
    return booking


def get(session: Session, ctx: TenantContext, booking_id: uuid.UUID) -> Booking:
    ctx.require("bookings:read")
    return fetch(session, ctx, booking_id)


MANAGE = "bookings:manage"


def require_changeable(ctx: TenantContext, *changed: Booking) -> None:
    """``bookings:write`` changes only the bookings the caller made; ``bookings:manage`` anyone's.

    Reading stays open to ``bookings:read``, so someone else's booking answers 403, not 404.
    """
    if ctx.can(MANAGE):
        return
    if any(b.created_by is None or b.created_by != ctx.user_id for b in changed):
        raise PermissionDenied(
            f"This booking was made by someone else; changing it needs the '{MANAGE}' permission.",
            {"missing": [MANAGE]},
        )


def list_bookings(
    session: Session,
    ctx: TenantContext,
    *,
    resource_id: uuid.UUID | None = None,
    status: str | None = None,
    starts_from: datetime | None = None,
    to: datetime | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[Booking], str | None]:
    """Newest first; ``from``/``to`` keep the bookings that overlap [from, to)."""
    ctx.require("bookings:read")
    stmt = select(Booking).where(Booking.tenant_id == ctx.tenant_id, Booking.deleted_at.is_(None))
    if resource_id is not None:
        stmt = stmt.where(
            exists().where(
                Allocation.tenant_id == ctx.tenant_id,
                Allocation.booking_id == Booking.id,
                Allocation.resource_id == resource_id,
            )
        )
    if status:
        stmt = stmt.where(Booking.status == status)
    if starts_from is not None:
        stmt = stmt.where(Booking.end_at > starts_from)
    if to is not None:
        stmt = stmt.where(Booking.start_at < to)
    return paginate(session, stmt, Booking, limit, cursor)


def views(session: Session, ctx: TenantContext, bookings: list[Booking]) -> list[BookingOut]:
    """Bookings with their allocations, loaded in one query."""
    by_booking: dict[uuid.UUID, list[AllocationOut]] = {b.id: [] for b in bookings}
    if bookings:
        rows = session.scalars(
            select(Allocation)
            .where(Allocation.tenant_id == ctx.tenant_id, Allocation.booking_id.in_(list(by_booking)))
            .order_by(Allocation.created_at, Allocation.id)
        )
        for a in rows:
            by_booking[a.booking_id].append(
                AllocationOut(
                    resource_id=a.resource_id, start=a.span.lower, end=a.span.upper, active=a.active
                )
            )
    return [
        BookingOut(
            id=b.id,
            subject=b.subject,
            status=b.status,
            start=b.start_at,
            end=b.end_at,
            hold_expires_at=b.hold_expires_at,
            requires_confirmation=b.requires_confirmation,
            entity_id=b.entity_id,
            series_id=b.series_id,
            workflow_id=b.workflow_id,
            confirmed_at=b.confirmed_at,
            cancelled_at=b.cancelled_at,
            cancel_reason=b.cancel_reason,
            late_cancellation=b.late_cancellation,
            details=b.details or {},
            created_by=b.created_by,
            created_at=b.created_at,
            updated_at=b.updated_at,
            allocations=by_booking[b.id],
        )
        for b in bookings
    ]


def view(session: Session, ctx: TenantContext, booking: Booking) -> BookingOut:
    return views(session, ctx, [booking])[0]


def transition(
    session: Session,
    ctx: TenantContext,
    booking: Booking,
    event_type: str,
    *,
    release: bool,
    dedup: bool = True,
    **values: Any,
) -> Booking:
    """Set the values, free the allocations if asked, and record the audit row and the event."""
    before = audit.snapshot(booking, AUDITED)
    for key, value in values.items():
        setattr(booking, key, value)
    if release:
        session.execute(
            update(Allocation)
            .where(Allocation.tenant_id == ctx.tenant_id, Allocation.booking_id == booking.id)
            .values(active=False)
        )
    session.flush()
    audit.record(
        session, ctx, event_type, "booking", booking.id, audit.diff(before, audit.snapshot(booking, AUDITED))
    )
    _emit(session, ctx, booking, event_type, dedup=dedup)
    return booking


def _not_in(booking: Booking, action: str) -> Conflict:
    return _conflict(
        "booking_not_active",
        f"The booking is {booking.status}; it cannot be {action}.",
        {"status": booking.status},
    )


def confirm(session: Session, ctx: TenantContext, booking_id: uuid.UUID, *, now: datetime) -> Booking:
    """held -> confirmed; confirming a confirmed booking again changes nothing."""
    ctx.require("bookings:write")
    booking = fetch(session, ctx, booking_id, for_update=True)
    require_changeable(ctx, booking)
    if booking.status == "confirmed":
        return booking
    if booking.status != "held":
        raise _not_in(booking, "confirmed")
    if booking.hold_expires_at is not None and now >= booking.hold_expires_at:
        raise _conflict(
            "hold_expired",
            "The hold expired before it was confirmed; book again.",
            {"hold_expires_at": booking.hold_expires_at.isoformat()},
        )
    return transition(
        session, ctx, booking, "booking.confirmed", release=False, status="confirmed", confirmed_at=now
    )


def _late(booking: Booking, now: datetime, free_hours: float) -> bool:
    """A confirmed booking changed less than ``free_hours`` before its start costs the fee (an unconfirmed
    hold never costs anything)."""
    return booking.status == "confirmed" and now > booking.start_at - timedelta(hours=free_hours)


def _fee_needed(code: str, verb: str, late: list[Booking], free_hours: float) -> Conflict:
    first = min(late, key=lambda b: b.start_at)
    free_until = first.start_at - timedelta(hours=free_hours)
    return _conflict(
        code,
        f"The booking starts in less than {free_hours:g} h: {verb} it now incurs the late-cancellation "
        f"fee. Send accept_fee=true to go ahead anyway.",
        {
            "free_cancellation_hours": free_hours,
            "free_cancellation_until": free_until.isoformat(),
            "start": first.start_at.isoformat(),
            "bookings": [str(b.id) for b in late],
        },
    )


def in_scope(session: Session, ctx: TenantContext, booking: Booking, scope: Scope) -> list[Booking]:
    """The booking named (``this``), or the active occurrences of its series from it on (``following``)
    or all of them (``all``), locked, in start order."""
    if scope == "this":
        return [booking]
    if booking.series_id is None:
        raise ValidationFailed.one("scope", f"'{scope}' needs a booking of a series; this one has none")
    stmt = select(Booking).where(
        Booking.tenant_id == ctx.tenant_id,
        Booking.series_id == booking.series_id,
        Booking.deleted_at.is_(None),
        Booking.status.in_(ACTIVE),
    )
    if scope == "following":
        stmt = stmt.where(Booking.start_at >= booking.start_at)
    return list(session.scalars(stmt.order_by(Booking.start_at, Booking.id).with_for_update()))


def cancel_scope(
    session: Session,
    ctx: TenantContext,
    booking_id: uuid.UUID,
    body: CancelIn,
    *,
    now: datetime,
    free_hours: float,
) -> tuple[Booking, list[Booking]]:
    """Cancel the booking (or, with ``scope``, the active occurrences of its series from it on, or all)
    and free their resources at once; returns the booking named and those cancelled now. A confirmed
    booking cancelled less than ``free_hours`` before its start needs ``accept_fee`` and is marked
    ``late_cancellation``; without it nothing is cancelled. Cancelling again changes nothing."""
    ctx.require("bookings:write")
    booking = fetch(session, ctx, booking_id, for_update=True)
    require_changeable(ctx, booking)
    if body.scope == "this":
        if booking.status == "cancelled":
            return booking, []
        if booking.status not in ACTIVE:
            raise _not_in(booking, "cancelled")
    targets = in_scope(session, ctx, booking, body.scope)
    require_changeable(ctx, *targets)
    late = [b for b in targets if _late(b, now, free_hours)]
    if late and not body.accept_fee:
        raise _fee_needed("late_cancellation", "cancelling", late, free_hours)
    for b in targets:
        transition(
            session,
            ctx,
            b,
            "booking.cancelled",
            release=True,
            status="cancelled",
            cancelled_at=now,
            cancel_reason=body.reason,
            late_cancellation=b in late,
        )
    if body.scope == "all" and booking.series_id is not None:
        session.execute(
            update(BookingSeries)
            .where(BookingSeries.tenant_id == ctx.tenant_id, BookingSeries.id == booking.series_id)
            .values(status="cancelled")
        )
    return booking, targets


def cancel(
    session: Session,
    ctx: TenantContext,
    booking_id: uuid.UUID,
    body: CancelIn,
    *,
    now: datetime,
    free_hours: float,
) -> Booking:
    """``cancel_scope`` for callers that need only the booking named."""
    return cancel_scope(session, ctx, booking_id, body, now=now, free_hours=free_hours)[0]


def mark_no_show(session: Session, ctx: TenantContext, booking_id: uuid.UUID, *, now: datetime) -> Booking:
    """A confirmed (or already completed) booking whose start has passed; again changes nothing."""
    ctx.require("bookings:write")
    booking = fetch(session, ctx, booking_id, for_update=True)
    require_changeable(ctx, booking)
    if booking.status == "no_show":
        return booking
    if booking.status not in ("confirmed", "completed"):
        raise _not_in(booking, "marked as a no-show")
    if now < booking.start_at:
        raise _conflict(
            "not_started",
            "A booking can be marked as a no-show only after its start.",
            {"start": booking.start_at.isoformat()},
        )
    return transition(session, ctx, booking, "booking.no_show", release=False, status="no_show")


def discard(session: Session, ctx: TenantContext, booking_id: uuid.UUID) -> None:
    """Release a booking whose process could not start, so a retried request can book the slot."""
    booking = fetch(session, ctx, booking_id, for_update=True)
    if booking.status in ACTIVE:
        reason = "the booking process could not start"
        transition(
            session, ctx, booking, "booking.cancelled", release=True, status="cancelled", cancel_reason=reason
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
    return _conflict(
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


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def _new_times(
    session: Session,
    ctx: TenantContext,
    named: Booking,
    targets: list[Booking],
    start: datetime,
    end: datetime,
) -> tuple[list[tuple[datetime, datetime]], ZoneInfo]:
    """Each target's new span: the named booking's is the one asked; the others move by the same change of
    local wall time in the series' zone (09:00 to 10:00 stays 10:00 across DST) and take the same length."""
    zone = "UTC"
    if named.series_id is not None:
        zone = (
            session.scalar(
                select(BookingSeries.timezone).where(
                    BookingSeries.tenant_id == ctx.tenant_id, BookingSeries.id == named.series_id
                )
            )
            or "UTC"
        )
    tz = ZoneInfo(zone)
    shift = _wall(start, tz) - _wall(named.start_at, tz)
    spans: list[tuple[datetime, datetime]] = []
    for b in targets:
        if b.id == named.id:
            s = start
        else:
            wall = _wall(b.start_at, tz) + shift
            s = wall_to_utc(wall.date(), wall.time(), tz, is_end=False)
        spans.append((s, s + (end - start)))
    return spans, tz


def check_span(body: RescheduleIn, *, now: datetime) -> tuple[datetime, datetime]:
    """The new span in UTC; every problem at once, each under its own field."""
    bad: list[FieldError] = []
    if body.end is not None and body.duration is not None:
        bad.append(FieldError("duration", "give either end or duration, not both"))
    elif body.end is None and body.duration is None:
        bad.append(FieldError("end", "give either end or duration"))
    elif body.end is not None and body.end <= body.start:
        bad.append(FieldError("end", "must be after start"))
    if body.start < now:
        bad.append(FieldError("start", "is in the past"))
    if bad:
        raise ValidationFailed(bad, "; ".join(f"{f.field}: {f.message}" for f in bad))
    return body.start.astimezone(UTC), body.end_at.astimezone(UTC)


def _resources_by_booking(
    session: Session, ctx: TenantContext, booking_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Resource]]:
    rows = session.execute(
        select(Allocation.booking_id, Resource)
        .join(Resource, Resource.id == Allocation.resource_id)
        .where(
            Allocation.tenant_id == ctx.tenant_id,
            Allocation.booking_id.in_(booking_ids),
            Allocation.active,
        )
        .order_by(Resource.id)
    ).all()
    found: dict[uuid.UUID, list[Resource]] = {bid: [] for bid in booking_ids}
    for bid, resource in rows:
        found[bid].append(resource)
    return found


def reschedule(
    session: Session,
    ctx: TenantContext,
    booking_id: uuid.UUID,
    body: RescheduleIn,
    *,
    now: datetime,
    free_hours: float,
) -> tuple[Booking, list[Booking]]:
    """Move the booking (or, with ``scope``, the occurrences of its series from it on, or all that have not
    started) to the new span, all or nothing; returns the booking named and those moved.

    The moved bookings' allocations are released and taken again at the new times in one savepoint, so the
    exclusion constraint checks the new spans against every other booking and a refusal leaves the old
    ones held. 409 ``booking_started`` / ``booking_not_active`` for a booking that cannot move,
    ``late_reschedule`` within the free-cancellation window without ``accept_fee`` (then marked in
    ``details.late_reschedule``), ``booking_conflict`` when the time is taken; 422 ``outside_availability``.
    """
    ctx.require("bookings:write")
    start, end = check_span(body, now=now)
    booking = fetch(session, ctx, booking_id, for_update=True)
    require_changeable(ctx, booking)
    if booking.status not in ACTIVE:
        raise _not_in(booking, "moved")
    if booking.start_at <= now:
        raise _conflict(
            "booking_started",
            "The booking has started; it cannot be moved.",
            {"start": booking.start_at.isoformat()},
        )
    targets = [b for b in in_scope(session, ctx, booking, body.scope) if b.start_at > now]
    require_changeable(ctx, *targets)
    spans, tz = _new_times(session, ctx, booking, targets, start, end)
    into_past = [i for i, (s, _) in enumerate(spans) if s < now]
    if into_past:
        when = ", ".join(local_date(targets[i].start_at, tz) for i in into_past)
        raise ValidationFailed.one("start", f"would move the occurrences of {when} into the past")
    late = [b for b in targets if _late(b, now, free_hours)]
    if late and not body.accept_fee:
        raise _fee_needed("late_reschedule", "moving", late, free_hours)
    resources_of = _resources_by_booking(session, ctx, [b.id for b in targets])
    resources = resources_of[booking.id]
    if len(targets) == 1:
        availability.check_bookable(session, ctx, resources, start, end, now=now)
    else:
        availability.check_notice(resources, min(s for s, _ in spans), now=now)
        if overlapping(resources, sorted(spans)):
            raise ValidationFailed.one("end", "the occurrences would overlap one another")
        closed = unavailable(session, ctx, resources, spans)
        if closed:
            raise occurrences_unavailable(closed, spans, tz)
    ids = [b.id for b in targets]
    found = find_conflicts(session, ctx, resources, spans, exclude=ids)
    if found and len(targets) == 1:
        raise _booking_conflict(session, ctx, resources, start, end, exclude=ids)
    if found:
        raise occurrences_conflict(found, spans, tz)
    _retake(session, ctx, targets, spans, resources_of)
    for b, (s, e) in zip(targets, spans, strict=True):
        values: dict[str, Any] = {"start_at": s, "end_at": e}
        if b.hold_expires_at is not None:
            values["hold_expires_at"] = min(b.hold_expires_at, s)
        if b in late:
            values["details"] = {**(b.details or {}), "late_reschedule": True}
        transition(session, ctx, b, "booking.rescheduled", release=False, dedup=False, **values)
    return booking, targets


def _retake(
    session: Session,
    ctx: TenantContext,
    targets: list[Booking],
    spans: list[tuple[datetime, datetime]],
    resources_of: dict[uuid.UUID, list[Resource]],
) -> None:
    """Release the targets' allocations, then take them at the new spans; a race lost is a 409 and the
    savepoint's rollback leaves the old spans held."""
    ids = [b.id for b in targets]
    new_span = {
        (b.id, r.id): _span(r, s, e)
        for b, (s, e) in zip(targets, spans, strict=True)
        for r in resources_of[b.id]
    }
    lock_resources(session, [r.id for rs in resources_of.values() for r in rs])
    try:
        with session.begin_nested():
            held = list(
                session.scalars(
                    select(Allocation)
                    .where(
                        Allocation.tenant_id == ctx.tenant_id,
                        Allocation.booking_id.in_(ids),
                        Allocation.active,
                    )
                    .order_by(Allocation.resource_id, Allocation.booking_id)
                )
            )
            for a in held:
                a.active = False
            session.flush()
            for a in held:
                a.span = new_span[(a.booking_id, a.resource_id)]
                a.active = True
            session.flush()
    except IntegrityError as exc:
        if not is_exclusion(exc):
            raise
        raise _conflict(
            "booking_conflict",
            "Another booking took part of that time meanwhile; nothing was moved. Try again.",
            {"conflicts": [], "alternatives": []},
        ) from None

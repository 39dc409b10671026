"""Bookings: all-or-nothing holds on several resources, confirm, cancel with a policy, no-show.

Double booking is impossible by construction: each booking holds one allocation per resource, and the
exclusion constraint ``ex_allocations_no_overlap`` refuses two active allocations of a resource whose
spans (buffers included) overlap. Of concurrent requests for one slot exactly one insert succeeds; the
others get an exclusion violation, answered as a 409 with the conflicts and the next free alternatives.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Entity
from db.models.scheduling import Allocation, Booking, Resource
from domain.audit import service as audit
from domain.context import TenantContext
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
    SlotOut,
)
from domain.scheduling.errors import Conflict, FieldError, NotFound, ValidationFailed

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


def _span(resource: Resource, start: datetime, end: datetime) -> Range[datetime]:
    before = timedelta(seconds=resource.buffer_before_seconds or 0)
    after = timedelta(seconds=resource.buffer_after_seconds or 0)
    return Range(start - before, end + after, bounds="[)")


def _load_resources(session: Session, ctx: TenantContext, ids: list[uuid.UUID]) -> list[Resource]:
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


def _check_entity(session: Session, ctx: TenantContext, entity_id: uuid.UUID) -> None:
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


def create(session: Session, ctx: TenantContext, body: BookingIn, *, now: datetime) -> Booking:
    """Hold (or, without confirmation, book) every resource at once, or none: 409 ``booking_conflict``."""
    ctx.require("bookings:write")
    check_input(body, now=now)
    start, end = body.start.astimezone(UTC), body.end_at.astimezone(UTC)
    resources = _load_resources(session, ctx, body.resources)
    if body.entity_id is not None:
        _check_entity(session, ctx, body.entity_id)
    availability.check_bookable(session, ctx, resources, start, end)
    held = body.requires_confirmation
    booking_id = uuid.uuid4()
    booking = Booking(
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
        workflow_id=workflow_id(booking_id),
        confirmed_at=None if held else now,
        details=body.details,
        created_by=ctx.user_id,
    )
    try:
        with session.begin_nested():
            session.add(booking)
            session.flush()
            session.add_all(
                Allocation(
                    tenant_id=ctx.tenant_id,
                    booking_id=booking_id,
                    resource_id=r.id,
                    span=_span(r, start, end),
                    active=True,
                )
                # One order for every request: two bookings of the same resources never wait on each other
                # crosswise (a deadlock) but one after the other.
                for r in sorted(resources, key=lambda r: r.id)
            )
            session.flush()
    except IntegrityError as exc:
        if getattr(exc.orig, "pgcode", None) != EXCLUSION_VIOLATION:
            raise
        raise _booking_conflict(session, ctx, resources, start, end) from None
    audit.record(
        session,
        ctx,
        "booking.created",
        "booking",
        booking.id,
        audit.diff(None, audit.snapshot(booking, AUDITED)),
    )
    _emit(session, ctx, booking, "booking.held" if held else "booking.confirmed", [r.id for r in resources])
    return booking


def _booking_conflict(
    session: Session, ctx: TenantContext, resources: list[Resource], start: datetime, end: datetime
) -> Conflict:
    """What is in the way (allocation spans, buffers included) and the next free slots of the same length."""
    clauses = [
        and_(Allocation.resource_id == r.id, Allocation.span.overlaps(_span(r, start, end)))
        for r in resources
    ]
    rows = session.execute(
        select(Allocation.resource_id, Allocation.span, Allocation.booking_id)
        .where(Allocation.tenant_id == ctx.tenant_id, Allocation.active.is_(True), or_(*clauses))
        .order_by(Allocation.resource_id, Allocation.span)
    ).all()
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
    events.emit(session, ctx, event_type, payload, dedup_key=f"{event_type}:{booking.id}")


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
    session: Session, ctx: TenantContext, booking: Booking, event_type: str, *, release: bool, **values: Any
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
    _emit(session, ctx, booking, event_type)
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


def cancel(
    session: Session,
    ctx: TenantContext,
    booking_id: uuid.UUID,
    body: CancelIn,
    *,
    now: datetime,
    free_hours: float,
) -> Booking:
    """Cancel and free the resources at once. A confirmed booking cancelled less than ``free_hours``
    before its start needs ``accept_fee`` and is marked ``late_cancellation`` (an unconfirmed hold never
    costs anything). Cancelling a cancelled booking again changes nothing."""
    ctx.require("bookings:write")
    booking = fetch(session, ctx, booking_id, for_update=True)
    if booking.status == "cancelled":
        return booking
    if booking.status not in ACTIVE:
        raise _not_in(booking, "cancelled")
    free_until = booking.start_at - timedelta(hours=free_hours)
    late = booking.status == "confirmed" and now > free_until
    if late and not body.accept_fee:
        raise _conflict(
            "late_cancellation",
            f"The booking starts in less than {free_hours:g} h: cancelling it now incurs the "
            "late-cancellation fee. Send accept_fee=true to cancel anyway.",
            {
                "free_cancellation_hours": free_hours,
                "free_cancellation_until": free_until.isoformat(),
                "start": booking.start_at.isoformat(),
            },
        )
    return transition(
        session,
        ctx,
        booking,
        "booking.cancelled",
        release=True,
        status="cancelled",
        cancelled_at=now,
        cancel_reason=body.reason,
        late_cancellation=late,
    )


def mark_no_show(session: Session, ctx: TenantContext, booking_id: uuid.UUID, *, now: datetime) -> Booking:
    """A confirmed (or already completed) booking whose start has passed; again changes nothing."""
    ctx.require("bookings:write")
    booking = fetch(session, ctx, booking_id, for_update=True)
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

"""Bookings: all-or-nothing holds on several resources, confirm, cancel with a policy, no-show.

Double booking is impossible by construction: each booking holds one allocation per resource, and the
exclusion constraint ``ex_allocations_no_overlap`` refuses two active allocations of a resource whose
spans (buffers included) overlap. Of concurrent requests for one slot exactly one insert succeeds; the
others get an exclusion violation, answered as a 409 with the conflicts and the next free alternatives.

The use cases live beside this module: ``booking_state.py`` (reading a booking for a change, the
transitions, the late-change policy), ``booking_conflicts.py`` (what is in the way, the 409 with
alternatives), ``booking_changes.py`` (confirm, cancel, no-show, discard) and
``booking_rescheduling.py``. This one creates and lists bookings, and is where callers reach them all.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Entity
from db.models.scheduling import Allocation, Booking, Resource
from domain.audit import service as audit
from domain.context import TenantContext
from domain.outputs import from_row
from domain.pagination import paginate
from domain.queries import live, mine
from domain.scheduling.availability import service as availability
from domain.scheduling.bookings.changes import cancel_scope, confirm, discard, mark_no_show
from domain.scheduling.bookings.conflicts import (
    allocation_span,
    booking_conflict,
    is_exclusion,
    lock_resources,
)
from domain.scheduling.bookings.payment import PaymentDue, check_customer, due_for
from domain.scheduling.bookings.rescheduling import reschedule
from domain.scheduling.bookings.schemas import MAX_HOLD, AllocationOut, BookingIn, BookingOut
from domain.scheduling.bookings.state import (
    AUDITED,
    emit_event,
    fetch,
    get,
    span_problems,
    transition,
    workflow_id,
)
from domain.scheduling.errors import FieldError, NotFound, ValidationFailed

__all__ = [
    "cancel_scope",
    "check_entity",
    "check_input",
    "confirm",
    "create",
    "discard",
    "fetch",
    "get",
    "list_bookings",
    "load_resources",
    "mark_no_show",
    "new_allocations",
    "new_booking",
    "record_created",
    "reschedule",
    "transition",
    "view",
    "views",
    "workflow_id",
]


def load_resources(session: Session, ctx: TenantContext, ids: list[uuid.UUID]) -> list[Resource]:
    """In the order asked; a missing, inactive or other tenant's resource is a 404."""
    rows = session.scalars(live(ctx, Resource).where(Resource.id.in_(ids), Resource.active.is_(True))).all()
    found = {r.id: r for r in rows}
    for rid in ids:
        if rid not in found:
            raise NotFound("resource", rid)
    return [found[rid] for rid in ids]


def check_entity(session: Session, ctx: TenantContext, entity_id: uuid.UUID) -> None:
    found = session.scalar(select(Entity.id).where(*mine(ctx, Entity), Entity.id == entity_id))
    if found is None:
        raise ValidationFailed.one("entity_id", "is not a record of this tenant")


def check_input(body: BookingIn, *, now: datetime) -> None:
    """Every problem across fields at once, each under its own field; nothing is written."""
    bad = span_problems(body.start, body.end, body.duration, now=now)
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
    due: PaymentDue | None = None,
) -> Booking:
    """The row of a booking about to be held (or, without confirmation, booked). A booking that owes
    a payment is held for the resources' hold, whatever was asked: the payment confirms it."""
    held = body.requires_confirmation or due is not None
    hold = due.hold if due is not None else body.hold
    booking_id = uuid.uuid4()
    return Booking.new(
        ctx,
        id=booking_id,
        subject=body.subject,
        status="held" if held else "confirmed",
        start_at=start,
        end_at=end,
        # A hold never outlives the start: an unconfirmed booking is released before it begins.
        hold_expires_at=min(now + hold, start) if held else None,
        requires_confirmation=held,
        entity_id=body.entity_id,
        series_id=series_id,
        workflow_id=workflow_id(booking_id),
        confirmed_at=None if held else now,
        details=body.details,
        created_by=ctx.user_id,
        payment=None
        if due is None
        else {"required": due.required, "currency": due.currency, "status": "draft"},
    )


def new_allocations(ctx: TenantContext, booking: Booking, resources: list[Resource]) -> list[Allocation]:
    return [
        Allocation.new(
            ctx,
            booking_id=booking.id,
            resource_id=r.id,
            span=allocation_span(r, booking.start_at, booking.end_at),
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
    emit_event(session, ctx, booking, event, resource_ids, dedup=dedup)


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
    due = due_for(resources)
    check_customer(due, body.customer)
    availability.check_bookable(session, ctx, resources, start, end, now=now)
    booking = new_booking(ctx, body, start, end, now=now, due=due)
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
        raise booking_conflict(session, ctx, resources, start, end) from None
    record_created(session, ctx, booking, [r.id for r in resources])
    return booking


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
    stmt = live(ctx, Booking)
    if resource_id is not None:
        stmt = stmt.where(
            exists().where(
                *mine(ctx, Allocation, deleted=True),
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
            .where(*mine(ctx, Allocation, deleted=True), Allocation.booking_id.in_(list(by_booking)))
            .order_by(Allocation.created_at, Allocation.id)
        )
        for a in rows:
            by_booking[a.booking_id].append(
                AllocationOut(
                    resource_id=a.resource_id, start=a.span.lower, end=a.span.upper, active=a.active
                )
            )
    return [
        from_row(
            BookingOut,
            b,
            start=b.start_at,
            end=b.end_at,
            details=b.details or {},
            payment=_payment_out(b),
            allocations=by_booking[b.id],
        )
        for b in bookings
    ]


def _payment_out(booking: Booking) -> dict[str, Any] | None:
    """The payment once its invoice exists (the API attaches it in the booking's transaction)."""
    if not booking.payment or booking.invoice_id is None:
        return None
    return {"invoice_id": booking.invoice_id, **booking.payment}


def view(session: Session, ctx: TenantContext, booking: Booking) -> BookingOut:
    return views(session, ctx, [booking])[0]

"""One booking's state and who may change it: the booking read for a change, the permission, the
allowed transitions, the late-change policy, the scope of a change to a series, and the event each
change emits."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models.scheduling import Allocation, Booking
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import PermissionDenied
from domain.events import service as events
from domain.queries import get_or_404, live, mine
from domain.scheduling.bookings.conflicts import conflict_error
from domain.scheduling.bookings.schemas import ACTIVE, Scope
from domain.scheduling.errors import Conflict, FieldError, ValidationFailed

AUDITED = ["status", "start_at", "end_at", "hold_expires_at", "cancel_reason", "late_cancellation"]


def workflow_id(booking_id: uuid.UUID) -> str:
    return f"booking-{booking_id}"


def emit_event(
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
                    *mine(ctx, Allocation, deleted=True), Allocation.booking_id == booking.id
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
    return get_or_404(session, ctx, Booking, booking_id, "booking", for_update=for_update)


def fetch_to_change(session: Session, ctx: TenantContext, booking_id: uuid.UUID) -> Booking:
    """The booking locked for a change, if the caller may change it (``require_changeable``)."""
    booking = fetch(session, ctx, booking_id, for_update=True)
    require_changeable(ctx, booking)
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
            .where(*mine(ctx, Allocation, deleted=True), Allocation.booking_id == booking.id)
            .values(active=False)
        )
    session.flush()
    audit.record(
        session, ctx, event_type, "booking", booking.id, audit.diff(before, audit.snapshot(booking, AUDITED))
    )
    emit_event(session, ctx, booking, event_type, dedup=dedup)
    return booking


def not_allowed(booking: Booking, action: str) -> Conflict:
    return conflict_error(
        "booking_not_active",
        f"The booking is {booking.status}; it cannot be {action}.",
        {"status": booking.status},
    )


def is_late(booking: Booking, now: datetime, free_hours: float) -> bool:
    """A confirmed booking changed less than ``free_hours`` before its start costs the fee (an unconfirmed
    hold never costs anything)."""
    return booking.status == "confirmed" and now > booking.start_at - timedelta(hours=free_hours)


def fee_needed(code: str, verb: str, late: list[Booking], free_hours: float) -> Conflict:
    first = min(late, key=lambda b: b.start_at)
    free_until = first.start_at - timedelta(hours=free_hours)
    return conflict_error(
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
    stmt = live(ctx, Booking).where(Booking.series_id == booking.series_id, Booking.status.in_(ACTIVE))
    if scope == "following":
        stmt = stmt.where(Booking.start_at >= booking.start_at)
    return list(session.scalars(stmt.order_by(Booking.start_at, Booking.id).with_for_update()))


def span_problems(
    start: datetime, end: datetime | None, duration: object | None, *, now: datetime
) -> list[FieldError]:
    """What is wrong with a requested span (a start and either an end or a duration), by field."""
    bad: list[FieldError] = []
    if end is not None and duration is not None:
        bad.append(FieldError("duration", "give either end or duration, not both"))
    elif end is None and duration is None:
        bad.append(FieldError("end", "give either end or duration"))
    elif end is not None and end <= start:
        bad.append(FieldError("end", "must be after start"))
    if start < now:
        bad.append(FieldError("start", "is in the past"))
    return bad

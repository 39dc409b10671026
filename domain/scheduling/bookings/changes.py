"""Confirming, cancelling (one booking or a scope of its series, with the late-cancellation policy),
marking a no-show and discarding an expired hold."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from db.models.scheduling import Booking, BookingSeries
from domain.context import TenantContext
from domain.queries import mine
from domain.scheduling.bookings.conflicts import conflict_error
from domain.scheduling.bookings.payment import is_unpaid, payment_required
from domain.scheduling.bookings.schemas import ACTIVE, CancelIn
from domain.scheduling.bookings.state import (
    fee_needed,
    fetch,
    fetch_to_change,
    in_scope,
    is_late,
    not_allowed,
    require_changeable,
    transition,
)


def confirm(session: Session, ctx: TenantContext, booking_id: uuid.UUID, *, now: datetime) -> Booking:
    """held -> confirmed; confirming a confirmed booking again changes nothing."""
    ctx.require("bookings:write")
    booking = fetch_to_change(session, ctx, booking_id)
    if booking.status == "confirmed":
        return booking
    if booking.status != "held":
        raise not_allowed(booking, "confirmed")
    if is_unpaid(booking):
        raise payment_required(booking)
    if booking.hold_expires_at is not None and now >= booking.hold_expires_at:
        raise conflict_error(
            "hold_expired",
            "The hold expired before it was confirmed; book again.",
            {"hold_expires_at": booking.hold_expires_at.isoformat()},
        )
    return transition(
        session, ctx, booking, "booking.confirmed", release=False, status="confirmed", confirmed_at=now
    )


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
    booking = fetch_to_change(session, ctx, booking_id)
    if body.scope == "this":
        if booking.status == "cancelled":
            return booking, []
        if booking.status not in ACTIVE:
            raise not_allowed(booking, "cancelled")
    targets = in_scope(session, ctx, booking, body.scope)
    require_changeable(ctx, *targets)
    late = [b for b in targets if is_late(b, now, free_hours)]
    if late and not body.accept_fee:
        raise fee_needed("late_cancellation", "cancelling", late, free_hours)
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
            .where(*mine(ctx, BookingSeries, deleted=True), BookingSeries.id == booking.series_id)
            .values(status="cancelled")
        )
    return booking, targets


def mark_no_show(session: Session, ctx: TenantContext, booking_id: uuid.UUID, *, now: datetime) -> Booking:
    """A confirmed (or already completed) booking whose start has passed; again changes nothing."""
    ctx.require("bookings:write")
    booking = fetch_to_change(session, ctx, booking_id)
    if booking.status == "no_show":
        return booking
    if booking.status not in ("confirmed", "completed"):
        raise not_allowed(booking, "marked as a no-show")
    if now < booking.start_at:
        raise conflict_error(
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

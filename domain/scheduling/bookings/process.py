"""The steps the booking process takes: expire an unconfirmed hold, remind, complete, re-read the times.

Each re-reads the booking under a row lock and acts only if its status still calls for it, so a
retried activity, or a signal that never arrived (a confirm or cancel done through the API), leaves the
row right. Each returns the booking's status afterwards, which the process follows.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import User
from domain.context import TenantContext
from domain.deliveries import service as deliveries
from domain.outputs import from_row
from domain.queries import mine
from domain.scheduling.bookings.schemas import BookingRun
from domain.scheduling.bookings.state import fetch, transition


def run_of(tenant_id: uuid.UUID, booking: BaseModel) -> BookingRun:
    """The input of a booking's process, from a booking or a series occurrence as just recorded."""
    timing = booking.model_dump(include={"id", "status", "start", "end", "hold_expires_at"})
    return BookingRun(tenant_id=tenant_id, booking_id=timing.pop("id"), **timing)


def times(session: Session, ctx: TenantContext, booking_id: uuid.UUID) -> BookingRun:
    """The booking's status and times as they are now (after a reschedule), for the process to follow."""
    booking = fetch(session, ctx, booking_id)
    return from_row(BookingRun, booking, booking_id=booking.id, start=booking.start_at, end=booking.end_at)


def expire(session: Session, ctx: TenantContext, booking_id: uuid.UUID) -> str:
    """A hold not confirmed in time: expired, its resources free again."""
    booking = fetch(session, ctx, booking_id, for_update=True)
    if booking.status == "held":
        transition(session, ctx, booking, "booking.expired", release=True, status="expired")
    return booking.status


def complete(session: Session, ctx: TenantContext, booking_id: uuid.UUID) -> str:
    """After the end: a confirmed booking is completed (a cancelled or no-show one stays as it is)."""
    booking = fetch(session, ctx, booking_id, for_update=True)
    if booking.status == "confirmed":
        transition(session, ctx, booking, "booking.completed", release=False, status="completed")
    return booking.status


def remind(session: Session, ctx: TenantContext, booking_id: uuid.UUID, label: str) -> str:
    """Notify the booking's creator that it starts soon (once per label, even when retried)."""
    booking = fetch(session, ctx, booking_id)
    if booking.status != "confirmed" or booking.created_by is None:
        return booking.status
    email = session.scalar(
        select(User.email).where(*mine(ctx, User, deleted=True), User.id == booking.created_by)
    )
    if email:
        what = booking.subject or "Your booking"
        deliveries.notify(
            session,
            ctx,
            [f"user:{email.lower()}"],
            kind="booking.reminder",
            title=f"Reminder: {what} starts in {label}",
            body=f"{what} starts at {booking.start_at.isoformat()} and ends at {booking.end_at.isoformat()}.",
            data={
                "booking_id": str(booking.id),
                "start": booking.start_at.isoformat(),
                "end": booking.end_at.isoformat(),
            },
            category="bookings",
            # A moved booking is reminded again of its new start.
            dedup_prefix=f"booking:{booking.id}:reminder:{label}:{booking.start_at:%Y%m%dT%H%M%SZ}",
        )
    return booking.status

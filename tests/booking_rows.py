"""Bookings written straight to the database, as the booking service builds them, for tests that
need bookings where the API would refuse them (in the past, in a given status, with no process)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models.scheduling import Booking, Resource
from domain.context import TenantContext
from domain.scheduling.bookings import service as bookings
from domain.scheduling.bookings.schemas import BookingIn

RELEASED = ("cancelled", "expired")  # statuses whose allocations no longer hold their resources


def write_booking(
    session: Session,
    ctx: TenantContext,
    resources: list[Resource],
    start: datetime,
    end: datetime,
    status: str = "confirmed",
    subject: str | None = None,
) -> Booking:
    """A booking of ``resources`` in ``status`` and its allocations, their spans widened by each
    resource's buffers as on a real booking. No availability, notice or conflict check is made."""
    body = BookingIn(
        resources=[r.id for r in resources],
        start=start,
        end=end,
        subject=subject,
        requires_confirmation=status == "held",
    )
    booking = bookings.new_booking(ctx, body, start, end, now=start)
    booking.status = status
    session.add(booking)
    session.flush()
    allocations = bookings.new_allocations(ctx, booking, resources)
    for allocation in allocations:
        allocation.active = status not in RELEASED
    session.add_all(allocations)
    session.flush()
    return booking

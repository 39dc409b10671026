"""Activities of the booking process: each opens a tenant unit of work and calls one domain step.

Also the booking's side of its invoice (a booking of a resource that requires payment): the booking
mirrors its invoice's state, and a booking released unpaid voids it. These join scheduling and
billing, which never import each other; the API's booking routes use them too. An invoice is always
locked before its booking, on every path (payment, expiry, cancel), so two of them never deadlock.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from temporalio import activity

from activities import Deps
from db.models.invoices import Invoice
from db.models.scheduling import Booking
from domain.billing.invoices import service as invoices
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.errors import NotFound
from domain.scheduling.bookings import payment
from domain.scheduling.bookings import process as booking_process
from domain.scheduling.bookings.schemas import BookingRef, BookingRun, ReminderIn
from domain.scheduling.bookings.state import fetch
from workflows import contracts

# A booking that no longer exists is a fact no retry can change.
FINAL = (NotFound,)


def mirror_invoice(booking: Booking, invoice: Invoice) -> None:
    """The booking's copy of its invoice's status and amounts."""
    payment.mirror(
        booking,
        status=invoice.status,
        amount=to_text(invoice.total_minor, invoice.currency),
        amount_paid=to_text(invoice.amount_paid_minor, invoice.currency),
    )


def release_invoice(session: Session, ctx: TenantContext, booking: Booking, invoice: Invoice) -> None:
    """A booking released unpaid (expired, cancelled) voids its invoice. One that was partly paid
    stays open: money received is settled by a credit note or a refund, not by voiding."""
    if invoice.status == "open" and not invoice.amount_paid_minor and not invoice.credited_minor:
        invoices.void(session, ctx, invoice.id)
    mirror_invoice(booking, invoice)
    session.flush()


def locked_invoice(session: Session, ctx: TenantContext, booking: Booking) -> Invoice | None:
    """The booking's invoice under its row lock (taken before the booking's), if it has one."""
    if booking.invoice_id is None:
        return None
    return invoices.locked(session, ctx, booking.invoice_id)


class BookingActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.BOOKINGS_EXPIRE)
    def expire(self, ref: BookingRef) -> str:
        """The hold's time is up: an unconfirmed booking expires, and its unpaid invoice is voided."""
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            invoice = locked_invoice(session, ctx, fetch(session, ctx, ref.booking_id))
            status = booking_process.expire(session, ctx, ref.booking_id)
            if invoice is not None and status == "expired":
                release_invoice(session, ctx, fetch(session, ctx, ref.booking_id), invoice)
            return status

    @activity.defn(name=contracts.BOOKINGS_REMIND)
    def remind(self, data: ReminderIn) -> str:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            return booking_process.remind(session, ctx, data.booking_id, data.label)

    @activity.defn(name=contracts.BOOKINGS_COMPLETE)
    def complete(self, ref: BookingRef) -> str:
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return booking_process.complete(session, ctx, ref.booking_id)

    @activity.defn(name=contracts.BOOKINGS_TIMES)
    def times(self, ref: BookingRef) -> BookingRun:
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return booking_process.times(session, ctx, ref.booking_id)

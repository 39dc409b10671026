"""Bookings paid to confirm: where scheduling and billing meet (neither domain imports the other).

A resource's ``payment`` terms are checked here with billing's money types. A booking of such a
resource is held and gets an invoice for what it owes, finalized at once and linked to it; the
payment that makes that invoice paid confirms it (``following``, run by every invoice-changing
route), and cancelling it unpaid voids the invoice. The invoice is the booking's consequence, so it is
written in the name of whoever booked, with billing's write permission for that one purpose.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session
from temporalio.client import Client
from temporalio.service import RPCError

from activities.bookings import locked_invoice, mirror_invoice, release_invoice
from api.process_runtime import RPC_TIMEOUT
from db.models.invoices import Invoice
from db.models.scheduling import Booking
from domain.audit import service as audit
from domain.billing.invoices import priced
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import InvoiceIn, LineIn
from domain.billing.money import AmountText, Currency, to_minor, to_text
from domain.context import TenantContext
from domain.durations import format_duration, parse_duration
from domain.errors import ValidationFailed
from domain.queries import live
from domain.scheduling.bookings import payment
from domain.scheduling.bookings import service as bookings
from domain.scheduling.bookings.schemas import BookingIn, CancelIn
from domain.scheduling.resources.schemas import ResourceIn
from workflows.booking import BookingWorkflow

T = TypeVar("T")
# Seconds are allowed: a kiosk or a checkout page may hold a slot only while the card is entered.
MIN_HOLD, MAX_HOLD, DEFAULT_HOLD = timedelta(seconds=10), timedelta(days=7), "PT30M"


class ResourcePaymentIn(BaseModel):
    """What a booking of the resource must pay before it is confirmed."""

    model_config = ConfigDict(extra="forbid")

    required: Literal["deposit", "full"] = Field(description="a deposit, or the full price of a booking")
    amount: AmountText = Field(description="per booking, a positive decimal string in the currency")
    currency: Currency
    hold: str = Field(
        default=DEFAULT_HOLD,
        max_length=32,
        description="ISO 8601, PT10S to P7D: how long a booking waits for its payment before it is released",
    )

    @field_validator("hold")
    @classmethod
    def _hold(cls, value: str) -> str:
        hold = parse_duration(value)
        if not MIN_HOLD <= hold <= MAX_HOLD:
            raise ValueError("must be from PT10S to P7D")
        return format_duration(hold)


class ResourceBody(ResourceIn):
    payment: ResourcePaymentIn | None = Field(
        default=None, description="bookings are held until their invoice is paid; null: no payment"
    )


def terms_of(body: ResourceBody) -> dict[str, Any] | None:
    """The terms as the resource stores them: the amount checked against its currency's digits."""
    given = body.payment
    if given is None:
        return None
    minor = to_minor(given.amount, given.currency, field="payment.amount")
    if minor <= 0:
        raise ValidationFailed.one("payment.amount", "must be more than zero")
    return {
        "required": given.required,
        "amount": to_text(minor, given.currency),
        "amount_minor": minor,
        "currency": given.currency,
        "hold_seconds": int(parse_duration(given.hold).total_seconds()),
    }


def for_billing(ctx: TenantContext) -> TenantContext:
    """The caller, allowed to write the invoice their booking brings with it (and nothing else)."""
    return dataclasses.replace(ctx, permissions=ctx.permissions | {invoices.READ, invoices.WRITE})


def check_series(session: Session, ctx: TenantContext, body: BookingIn) -> None:
    """A recurring booking is never paid to confirm: each paid booking is booked on its own."""
    if body.customer is not None:
        raise ValidationFailed.one("customer", "applies only to a single booking, not a recurring one")
    if payment.due_for(bookings.load_resources(session, ctx, body.resources)) is not None:
        raise ValidationFailed.one("recurrence", "a resource that requires payment is booked one at a time")


def create(session: Session, ctx: TenantContext, body: BookingIn, *, now: datetime) -> Booking:
    """The booking and, when a resource requires payment, its finalized invoice (422 ``customer`` for
    a customer unknown to the tenant or paying in another currency); nothing is stored on an error."""
    booking = bookings.create(session, ctx, body, now=now)
    due = payment.due_for(bookings.load_resources(session, ctx, body.resources))
    if due is None or body.customer is None:
        return booking
    billing = for_billing(ctx)
    customer = priced.customer_of(session, billing, body.customer)
    if customer.currency != due.currency:
        raise ValidationFailed.one(
            "customer", f"pays in {customer.currency}; the resources booked ask for {due.currency}"
        )
    span = f"{booking.start_at:%Y-%m-%d %H:%M} to {booking.end_at:%Y-%m-%d %H:%M} UTC"
    lines = [
        LineIn(description=f"{c.name}, {span} ({due.required} payment)"[:500], unit_amount=c.amount)
        for c in due.charges
    ]
    draft = invoices.create(
        session,
        billing,
        InvoiceIn(customer=customer.id, lines=lines, due_days=0, memo=f"Booking {booking.id}"),
    )
    invoice = invoices.finalize(session, billing, draft.id)
    booking.invoice_id = invoice.id
    mirror_invoice(booking, invoice)
    session.flush()
    audit.record(
        session, ctx, "booking.invoiced", "booking", booking.id, {"invoice_id": [None, str(invoice.id)]}
    )
    if invoice.status == "paid":  # the customer's credit covered it
        payment.confirm_paid(session, ctx, booking, now=now)
    return booking


def discard(session: Session, ctx: TenantContext, booking_id: uuid.UUID) -> None:
    """A booking whose process could not start is released, and its invoice with it."""
    billing = for_billing(ctx)
    invoice = locked_invoice(session, billing, bookings.fetch(session, ctx, booking_id))
    bookings.discard(session, ctx, booking_id)
    if invoice is not None:
        release_invoice(session, billing, bookings.fetch(session, ctx, booking_id), invoice)


def cancel_scope(
    session: Session, ctx: TenantContext, booking_id: uuid.UUID, body: CancelIn, **policy: Any
) -> tuple[Booking, list[Booking]]:
    """``bookings.cancel_scope``; the booking named, cancelled now while unpaid, voids its invoice (a
    paid one stays paid: a refund is billing's)."""
    billing = for_billing(ctx)
    invoice = locked_invoice(session, billing, bookings.fetch(session, ctx, booking_id))
    booking, changed = bookings.cancel_scope(session, ctx, booking_id, body, **policy)
    if invoice is not None and booking in changed:
        release_invoice(session, billing, booking, invoice)
    return booking, changed


def following(
    tenant_id: uuid.UUID, work: Callable[[Session], tuple[T, Invoice | None]]
) -> Callable[[Session], tuple[T, Invoice | None, str | None]]:
    """``work`` (an invoice change), then the booking that invoice confirms kept in step with it: a
    payment that makes it paid confirms a held booking, in the same transaction. Also the workflow to
    tell of the confirmation, if any."""

    def run(session: Session) -> tuple[T, Invoice | None, str | None]:
        out, invoice = work(session)
        if invoice is None:
            return out, invoice, None
        ctx = TenantContext.system(tenant_id, correlation_id=f"invoice:{invoice.id}")
        stmt = live(ctx, Booking).where(Booking.invoice_id == invoice.id).with_for_update()
        booking = session.scalars(stmt).first()
        if booking is None:
            return out, invoice, None
        mirror_invoice(booking, invoice)
        session.flush()
        paid = invoice.status == "paid" and payment.confirm_paid(session, ctx, booking, now=datetime.now(UTC))
        return out, invoice, booking.workflow_id if paid else None

    return run


async def tell_confirmed(request: Request, workflow_id: str | None) -> None:
    """Best effort: the row is confirmed already, and the booking's process re-reads it at its deadline."""
    client: Client | None = request.app.state.temporal
    if client is None or workflow_id is None:
        return
    with contextlib.suppress(RPCError):
        await client.get_workflow_handle(workflow_id).signal(BookingWorkflow.confirm, rpc_timeout=RPC_TIMEOUT)

"""Bookings paid to confirm: what a booking of resources that require payment owes, and the booking's
side of its invoice (which billing keeps, and the API connects: this package never reads invoices).

A booking of such a resource is always held, for the resource's hold, whatever the request asked: the
payment confirms it, and the hold's timer releases it unpaid. ``booking.payment`` mirrors its invoice
(``status``, ``amount_paid``), kept in step by the API on every change of that invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from db.models.scheduling import Booking, Resource
from domain.context import TenantContext
from domain.scheduling.bookings.conflicts import conflict_error
from domain.scheduling.bookings.state import transition
from domain.scheduling.errors import Conflict, ValidationFailed


@dataclass(frozen=True)
class ResourceCharge:
    """One invoice line: a resource that requires payment, and its amount as text in ``currency``."""

    name: str
    amount: str


@dataclass(frozen=True)
class PaymentDue:
    """What a booking owes before it is confirmed."""

    required: str  # full when every resource asks its full price, else deposit
    currency: str
    hold: timedelta  # the shortest of the resources' holds
    charges: list[ResourceCharge]


def due_for(resources: list[Resource]) -> PaymentDue | None:
    """The payment the resources ask for a booking, or None when none asks; resources asking in
    different currencies cannot share one invoice (422 ``resources``)."""
    paying = [r for r in resources if r.payment]
    if not paying:
        return None
    terms = [r.payment for r in paying if r.payment]
    currencies = sorted({t["currency"] for t in terms})
    if len(currencies) > 1:
        raise ValidationFailed.one(
            "resources", f"require payment in different currencies ({', '.join(currencies)}): book them apart"
        )
    return PaymentDue(
        required="full" if all(t["required"] == "full" for t in terms) else "deposit",
        currency=currencies[0],
        hold=min(timedelta(seconds=t["hold_seconds"]) for t in terms),
        charges=[ResourceCharge(r.name, t["amount"]) for r, t in zip(paying, terms, strict=True)],
    )


def check_customer(due: PaymentDue | None, customer: object | None) -> None:
    """A customer is named exactly when a resource requires payment."""
    if due is not None and customer is None:
        raise ValidationFailed.one("customer", "is required: a resource booked requires payment")
    if due is None and customer is not None:
        raise ValidationFailed.one("customer", "applies only when a resource booked requires payment")


def mirror(booking: Booking, *, status: str, amount: str, amount_paid: str) -> None:
    """The booking's copy of its invoice's state (a new dict: JSONB changes are seen on assignment)."""
    booking.payment = {
        **(booking.payment or {}),
        "status": status,
        "amount": amount,
        "amount_paid": amount_paid,
    }


def is_unpaid(booking: Booking) -> bool:
    return bool(booking.payment) and (booking.payment or {}).get("status") != "paid"


def payment_required(booking: Booking) -> Conflict:
    payment: dict[str, Any] = booking.payment or {}
    return conflict_error(
        "payment_required",
        "The booking is confirmed by the payment of its invoice, not by hand.",
        {
            "invoice_id": str(booking.invoice_id) if booking.invoice_id else None,
            "amount": payment.get("amount"),
            "amount_paid": payment.get("amount_paid"),
            "currency": payment.get("currency"),
        },
    )


def confirm_paid(session: Session, ctx: TenantContext, booking: Booking, *, now: datetime) -> bool:
    """The invoice is paid: a held booking is confirmed (even past its hold's time, as long as the
    timer has not released it: the payment was taken while the resources were still held). Whether it
    was confirmed now."""
    if booking.status != "held":
        return False
    transition(
        session, ctx, booking, "booking.confirmed", release=False, status="confirmed", confirmed_at=now
    )
    return True

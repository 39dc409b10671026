"""Refunds of payments received: through Stripe (with an idempotency key) for a card payment,
recorded only for a manual one.

A refund comes first off what the payment paid on its invoice (the invoice's amount paid falls and
its amount due grows; a paid invoice is open again), then off the customer's credit its overpayment
left. Never more than paid minus refunded (422).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adapters.stripe_gateway import StripeGateway
from db.models.invoices import Invoice, InvoicePayment
from db.models.stripe import PaymentRefund
from domain.audit import service as audit
from domain.billing.invoices import credit
from domain.billing.invoices import service as invoices
from domain.billing.invoices.views import amount_due, payment_payload
from domain.billing.money import to_minor, to_text
from domain.billing.stripe.schemas import RefundIn
from domain.context import TenantContext
from domain.errors import Conflict, ValidationFailed
from domain.events import service as events
from domain.queries import get_or_404, live, mine

REFUND = "payments:refund"


def refund_out(refund: PaymentRefund, payment: InvoicePayment) -> dict[str, Any]:
    c = refund.currency
    return {
        "id": str(refund.id),
        "payment_id": str(refund.payment_id),
        "invoice_id": str(refund.invoice_id) if refund.invoice_id else None,
        "amount": to_text(refund.amount_minor, c),
        "from_invoice": to_text(refund.from_invoice_minor, c),
        "from_credit": to_text(refund.from_credit_minor, c),
        "currency": c,
        "reason": refund.reason,
        "stripe_refund_id": refund.stripe_refund_id,
        "payment_status": payment.status,
        "created_at": refund.created_at.isoformat(),
    }


def _refunded(session: Session, ctx: TenantContext, payment: InvoicePayment) -> tuple[int, int]:
    """(all refunded, of which off the invoice) so far."""
    total, from_invoice = session.execute(
        select(
            func.coalesce(func.sum(PaymentRefund.amount_minor), 0),
            func.coalesce(func.sum(PaymentRefund.from_invoice_minor), 0),
        ).where(*mine(ctx, PaymentRefund), PaymentRefund.payment_id == payment.id)
    ).one()
    return int(total), int(from_invoice)


def refund(
    session: Session,
    ctx: TenantContext,
    gateway: Callable[[], StripeGateway],
    payment_id: uuid.UUID,
    body: RefundIn,
) -> tuple[PaymentRefund, InvoicePayment, Invoice | None]:
    ctx.require(REFUND)
    payment = get_or_404(session, ctx, InvoicePayment, payment_id, "payment", for_update=True)
    refunded, refunded_from_invoice = _refunded(session, ctx, payment)
    left = payment.amount_minor - refunded
    if body.amount is None:
        amount = left
        if amount <= 0:
            raise Conflict("The payment is refunded in full already.")
    else:
        amount = to_minor(body.amount, payment.currency, field="amount")
        if amount <= 0:
            raise ValidationFailed.one("amount", "must be more than zero")
        if amount > left:
            raise ValidationFailed.one(
                "amount", f"at most {to_text(left, payment.currency)} is left to refund"
            )
    split = _split(session, ctx, payment, amount, refunded_from_invoice, strict=True)
    stripe_refund_id = None
    if payment.method == "stripe" and payment.reference:
        # The key names what was refunded before: a retried request refunds once, a second refund anew.
        stripe_refund_id = gateway().refund(
            payment_intent=payment.reference,
            amount=amount,
            metadata={"tenant_id": str(ctx.tenant_id), "payment_id": str(payment.id)},
            idempotency_key=f"keel-refund-{payment.id}-{refunded}-{amount}",
        )
    row = _record(session, ctx, payment, split, amount, refunded, body.reason, stripe_refund_id)
    return row, payment, split.invoice


def record_at_stripe(
    session: Session, ctx: TenantContext, intent_id: str, refunded_at_stripe: int, refund_id: str | None
) -> tuple[str, Invoice | None]:
    """A refund made at Stripe (its dashboard, its API) that Keel did not record: Stripe's event says
    how much of the intent's charge is refunded in all, and what exceeds Keel's refunds of that
    payment is recorded (applied | duplicate | ignored, the invoice whose workflow must hear of it)."""
    payment = session.scalar(
        live(ctx, InvoicePayment)
        .where(InvoicePayment.method == "stripe", InvoicePayment.reference == intent_id)
        .with_for_update()
    )
    if payment is None:
        return "ignored", None
    refunded, refunded_from_invoice = _refunded(session, ctx, payment)
    amount = min(refunded_at_stripe, payment.amount_minor) - refunded
    if amount <= 0:
        return "duplicate", None  # Keel's own refund, or this event again
    split = _split(session, ctx, payment, amount, refunded_from_invoice, strict=False)
    _record(session, ctx, payment, split, amount, refunded, "refunded at Stripe", refund_id)
    return "applied", split.invoice


@dataclass(frozen=True)
class _Split:
    invoice: Invoice | None
    from_invoice: int
    from_credit: int


def _split(
    session: Session,
    ctx: TenantContext,
    payment: InvoicePayment,
    amount: int,
    refunded_from_invoice: int,
    *,
    strict: bool,
) -> _Split:
    """Where the refund comes from: the invoice's amount paid, then the customer's credit. ``strict``:
    credit spent already is a 409; else (the money is gone at Stripe) what credit is left is taken."""
    invoice = None
    on_invoice = 0
    if payment.invoice_id is not None:
        invoice = invoices.locked(session, ctx, payment.invoice_id)  # before the customer: lock order
        # A credit note may have moved part of what was paid to the customer's credit already.
        on_invoice = min(payment.applied_minor - refunded_from_invoice, invoice.amount_paid_minor)
    from_invoice = min(amount, max(0, on_invoice))
    from_credit = amount - from_invoice
    if from_credit:
        customer = credit.locked_customer(session, ctx, payment.customer_id)
        if customer.credit_minor < from_credit:
            if strict:
                raise Conflict("The customer's credit from this payment is spent already: refund less.")
            from_credit = customer.credit_minor
        if from_credit:
            credit.move(session, ctx, customer, -from_credit, "customer.credit_refunded")
    return _Split(invoice, from_invoice, from_credit)


def _record(
    session: Session,
    ctx: TenantContext,
    payment: InvoicePayment,
    split: _Split,
    amount: int,
    refunded: int,
    reason: str | None,
    stripe_refund_id: str | None,
) -> PaymentRefund:
    row = PaymentRefund.new(
        ctx,
        payment_id=payment.id,
        invoice_id=payment.invoice_id,
        amount_minor=amount,
        from_invoice_minor=split.from_invoice,
        from_credit_minor=split.from_credit,
        currency=payment.currency,
        reason=reason,
        stripe_refund_id=stripe_refund_id,
        created_by=ctx.actor_id,
    )
    session.add(row)
    before_status = payment.status
    payment.status = "refunded" if refunded + amount == payment.amount_minor else "partially_refunded"
    session.flush()
    if split.invoice is not None and split.from_invoice:
        _reduce_paid(session, ctx, split.invoice, split.from_invoice)
    trail: dict[str, Any] = {"status": [before_status, payment.status], "refund": refund_out(row, payment)}
    audit.record(session, ctx, "payment.refunded", "payment", payment.id, trail)
    events.emit(
        session,
        ctx,
        "payment.refunded",
        {**payment_payload(payment), "amount": to_text(amount, payment.currency)},
    )
    return row


def _reduce_paid(session: Session, ctx: TenantContext, invoice: Invoice, minor: int) -> None:
    before = audit.snapshot(invoice, invoices.FIELDS)
    invoice.amount_paid_minor -= minor
    if invoice.status == "paid" and amount_due(invoice) > 0:
        invoice.status, invoice.paid_at = "open", None  # money is due again
    invoice.revision += 1
    invoices.changed(session, ctx, invoice, "invoice.payment_refunded", before)


def list_refunds(
    session: Session, ctx: TenantContext, payment_id: uuid.UUID
) -> tuple[InvoicePayment, list[PaymentRefund]]:
    ctx.require(invoices.READ)
    payment = get_or_404(session, ctx, InvoicePayment, payment_id, "payment")
    stmt = live(ctx, PaymentRefund).where(PaymentRefund.payment_id == payment_id)
    return payment, list(session.scalars(stmt.order_by(PaymentRefund.created_at, PaymentRefund.id)))

"""Payments received against an invoice. A partial payment keeps it open; once nothing is due it is
paid; what exceeds the amount due becomes the customer's credit, applied to their next finalized
invoice. A ``reference`` is unique in the tenant: the same one again is a 409 and nothing is stored.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models.invoices import InvoicePayment
from domain.audit import service as audit
from domain.billing.catalog import rows
from domain.billing.invoices import credit
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import PaymentIn
from domain.billing.invoices.views import amount_due, payment_out, payment_payload
from domain.billing.money import to_minor
from domain.context import TenantContext
from domain.errors import Conflict, ValidationFailed
from domain.events import service as events
from domain.queries import get_or_404, live

PAYABLE = ("open", "uncollectible")


def record(session: Session, ctx: TenantContext, invoice_id: uuid.UUID, body: PaymentIn) -> InvoicePayment:
    invoice = invoices.locked(session, ctx, invoice_id)
    if invoice.status not in PAYABLE:
        raise Conflict(
            f"The invoice is {invoice.status}: only an open or uncollectible invoice takes payments."
        )
    amount = to_minor(body.amount, invoice.currency, field="amount")
    if amount <= 0:
        raise ValidationFailed.one("amount", "must be more than zero")
    received = body.received_at or datetime.now(UTC)
    if received.tzinfo is None:
        raise ValidationFailed.one("received_at", "needs a UTC offset (RFC 3339)")
    if body.reference and session.scalar(
        live(ctx, InvoicePayment, deleted=True).where(InvoicePayment.reference == body.reference)
    ):
        raise Conflict(f"A payment with reference {body.reference!r} is recorded already.")
    due = amount_due(invoice)
    applied = min(amount, due)
    extra = amount - applied
    payment = InvoicePayment.new(
        ctx,
        invoice_id=invoice.id,
        customer_id=invoice.customer_id,
        amount_minor=amount,
        applied_minor=applied,
        to_credit_minor=extra,
        currency=invoice.currency,
        method=body.method,
        reference=body.reference,
        status="succeeded",
        received_at=received,
        created_by=ctx.actor_id,
    )
    try:
        with session.begin_nested():  # two concurrent uses of one reference: the second is a 409
            session.add(payment)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(f"A payment with reference {body.reference!r} is recorded already.") from exc
    before = audit.snapshot(invoice, invoices.FIELDS)
    invoice.amount_paid_minor += applied
    if extra:
        customer = credit.locked_customer(session, ctx, invoice.customer_id)
        credit.move(session, ctx, customer, extra, "customer.credited", invoice.id)
    invoice.revision += 1
    audit.record(session, ctx, "payment.recorded", "payment", payment.id, payment_out(payment), flush=False)
    invoices.changed(session, ctx, invoice, "invoice.payment_recorded", before)
    events.emit(session, ctx, "payment.succeeded", payment_payload(payment))
    if amount_due(invoice) == 0:
        invoices.mark_paid(session, ctx, invoice)
    return payment


def get(session: Session, ctx: TenantContext, payment_id: uuid.UUID) -> InvoicePayment:
    ctx.require(invoices.READ)
    return get_or_404(session, ctx, InvoicePayment, payment_id, "payment")


def list_payments(
    session: Session,
    ctx: TenantContext,
    *,
    invoice: uuid.UUID | None = None,
    customer: uuid.UUID | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[InvoicePayment], str | None]:
    equal = {"invoice_id": invoice, "customer_id": customer}
    return rows.page_of(session, ctx, InvoicePayment, equal=equal, limit=limit, cursor=cursor)

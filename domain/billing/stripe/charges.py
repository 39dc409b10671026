"""Automatic collection: an invoice whose ``collection`` is ``charge_automatically`` is charged to its
customer's saved payment method by its workflow, when it is finalized and then on the tenant's retry
schedule (``charge_retries`` of the dunning policy, after the first try) until it is paid.

A charge is three steps, so that no customer is charged twice however the worker dies:
``reserve`` writes the attempt (``pending``) under the invoice's lock and commits; ``attempt`` calls
Stripe outside any transaction, with an idempotency key per invoice and attempt (and, when the
attempt was reserved before, first looks for the charge it may have made: Stripe's answer can be
lost); ``settle`` records the outcome: the payment (once: its reference is the intent's id, which the
webhook also checks), or the failure and ``payment.failed``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from adapters.stripe_gateway import Intent, Refused, RefusedError, StripeGateway
from db.models.billing import BillingCustomer
from db.models.invoices import Invoice
from db.models.stripe import InvoiceCharge
from domain.audit import service as audit
from domain.billing.invoices.process import policy
from domain.billing.invoices.schemas import InvoiceStep
from domain.billing.invoices.views import amount_due
from domain.billing.money import to_text
from domain.billing.stripe.webhooks import record_intent
from domain.context import TenantContext
from domain.events import service as events
from domain.queries import get_or_404, live

LOOK_BACK_SECONDS = 300  # clock skew between Keel and Stripe when a lost charge is looked for


@dataclass(frozen=True)
class Pending:
    """A reserved attempt, for ``attempt`` to carry out."""

    charge_id: uuid.UUID
    invoice_id: uuid.UUID
    key: str
    amount: int
    currency: str
    customer: str  # Stripe's id
    payment_method: str
    reserved_at: datetime
    resumed: bool  # reserved by an earlier try of the activity: Stripe may have charged already
    metadata: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    intent: Intent | None = None
    refused: Refused | None = None


def _locked(session: Session, ctx: TenantContext, invoice_id: uuid.UUID) -> Invoice:
    return get_or_404(session, ctx, Invoice, invoice_id, "invoice", for_update=True)


def _step(session: Session, ctx: TenantContext, invoice: Invoice) -> InvoiceStep:
    return InvoiceStep(status=invoice.status, retries_seconds=policy(session, ctx).get("retries_seconds", []))


def _failed(
    session: Session, ctx: TenantContext, invoice: Invoice, row: InvoiceCharge, refused: Refused
) -> None:
    row.status, row.failure_code, row.failure_message = "failed", refused.code[:100], refused.message[:500]
    row.intent_id = refused.intent_id or row.intent_id
    session.flush()
    payload: dict[str, Any] = {
        "payment_id": str(row.id),  # the attempt: no payment exists
        "invoice_id": str(invoice.id),
        "customer_id": str(invoice.customer_id),
        "amount": to_text(row.amount_minor, row.currency),
        "currency": row.currency,
        "method": "stripe",
        "status": "failed",
        "attempt": row.attempt,
        "failure_code": row.failure_code,
        "failure_message": row.failure_message,
    }
    audit.record(session, ctx, "invoice.charge_failed", "invoice", invoice.id, payload)
    events.emit(session, ctx, "payment.failed", payload, dedup_key=f"invoice-charge:{row.id}:failed")


def reserve(
    session: Session, ctx: TenantContext, invoice_id: uuid.UUID, attempt: int, *, configured: bool
) -> Pending | InvoiceStep:
    """The attempt to make now, or (nothing to charge, or the attempt is over) the invoice's step."""
    invoice = _locked(session, ctx, invoice_id)
    if invoice.status != "open" or invoice.collection != "charge_automatically":
        return _step(session, ctx, invoice)
    charges = live(ctx, InvoiceCharge).where(InvoiceCharge.invoice_id == invoice.id)
    row = session.scalar(charges.where(InvoiceCharge.attempt == attempt))
    if row is None:
        if session.scalar(charges.where(InvoiceCharge.status == "processing")):
            return _step(session, ctx, invoice)  # a charge still clearing: its webhook settles it
        due = amount_due(invoice)
        if due <= 0:
            return _step(session, ctx, invoice)
        customer = get_or_404(session, ctx, BillingCustomer, invoice.customer_id, "customer")
        method = (customer.payment_method or {}).get("id")
        row = InvoiceCharge.new(
            ctx,
            id=uuid.uuid4(),
            invoice_id=invoice.id,
            attempt=attempt,
            amount_minor=due,
            currency=invoice.currency,
            idempotency_key=f"keel-charge-{invoice.id}-{attempt}",
            payment_method_id=method,
            status="pending",
        )
        session.add(row)
        session.flush()
        missing = (
            Refused("stripe_not_configured", "Stripe is not configured: set KEEL_STRIPE_API_KEY.")
            if not configured
            else Refused("no_payment_method", "The customer has no saved payment method.")
            if not method or not customer.stripe_customer_id
            else None
        )
        if missing is not None:
            _failed(session, ctx, invoice, row, missing)
            return _step(session, ctx, invoice)
        resumed = False
    elif row.status != "pending":
        return _step(session, ctx, invoice)
    else:
        customer = get_or_404(session, ctx, BillingCustomer, invoice.customer_id, "customer")
        resumed = True
    return Pending(
        charge_id=row.id,
        invoice_id=invoice.id,
        key=row.idempotency_key,
        amount=row.amount_minor,
        currency=row.currency,
        customer=str(customer.stripe_customer_id),
        payment_method=str(row.payment_method_id),
        reserved_at=row.created_at,
        resumed=resumed,
        metadata={
            "tenant_id": str(ctx.tenant_id),
            "invoice_id": str(invoice.id),
            "keel_charge": row.idempotency_key,
        },
    )


def attempt(stripe: StripeGateway, pending: Pending) -> Outcome:
    """Charge at Stripe (no transaction is open). A fault Stripe may recover from raises
    ``Unavailable``: the activity is retried and ``reserve`` hands the same attempt back."""
    if pending.resumed:
        since = int(pending.reserved_at.timestamp()) - LOOK_BACK_SECONDS
        found = stripe.find_charge(customer=pending.customer, since=since, key=pending.key)
        if found is not None:
            return Outcome(intent=found)
    try:
        intent = stripe.charge_saved(
            amount=pending.amount,
            currency=pending.currency,
            customer=pending.customer,
            payment_method=pending.payment_method,
            metadata=pending.metadata,
            idempotency_key=pending.key,
        )
    except RefusedError as exc:
        return Outcome(refused=exc.refused)
    return Outcome(intent=intent)


def settle(session: Session, ctx: TenantContext, pending: Pending, outcome: Outcome) -> InvoiceStep:
    """The attempt's outcome recorded once (a settled attempt is left as it is)."""
    invoice = _locked(session, ctx, pending.invoice_id)
    row = get_or_404(session, ctx, InvoiceCharge, pending.charge_id, "charge", for_update=True)
    if row.status != "pending":
        return _step(session, ctx, invoice)
    intent = outcome.intent
    if intent is None or intent.status not in ("succeeded", "processing"):
        refused = outcome.refused or Refused(
            "authentication_required",
            "The card asks its holder to authenticate the payment: the customer pays through the link.",
            intent.id if intent is not None else None,
        )
        _failed(session, ctx, invoice, row, refused)
        return _step(session, ctx, invoice)
    row.intent_id = intent.id
    if intent.status == "processing":  # Stripe's webhook records it once it clears
        row.status = "processing"
        session.flush()
        return _step(session, ctx, invoice)
    result, payment = record_intent(session, ctx, invoice, intent.id, intent.amount, datetime.now(UTC))
    row.status = "succeeded"
    row.payment_id = payment.id if payment is not None else None
    session.flush()
    change = {"attempt": row.attempt, "payment_intent_id": intent.id, "recorded": result}
    audit.record(session, ctx, "invoice.charged", "invoice", invoice.id, change)
    return _step(session, ctx, invoice)

"""Stripe's signed events: verified with the endpoint secret, applied once per event id.

``payment_intent.succeeded`` records a payment of method ``stripe`` through the invoices domain
(its reference is the intent's id, so a second event for the same intent changes nothing either);
``charge.refunded`` records what was refunded at Stripe beyond Keel's own refunds of that payment;
``payment_intent.payment_failed`` emits ``payment.failed`` (but for an automatic charge, whose
workflow reports it). Other events are acknowledged and ignored.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models.invoices import Invoice, InvoicePayment
from db.models.notifications import ProviderEvent
from db.models.stripe import StripePaymentIntent
from domain.audit import service as audit
from domain.billing.invoices import payments
from domain.billing.invoices.schemas import PaymentIn
from domain.billing.money import to_text
from domain.billing.stripe import refunds
from domain.context import TenantContext
from domain.errors import BadRequest, Unavailable
from domain.events import service as events
from domain.queries import find, live

TOLERANCE_SECONDS = 300
PROVIDER = "stripe"


@dataclass(frozen=True)
class StripeEvent:
    id: str
    type: str
    created: int
    obj: dict[str, Any]  # data.object

    @property
    def tenant_id(self) -> uuid.UUID | None:
        return _uuid((self.obj.get("metadata") or {}).get("tenant_id"))

    @property
    def invoice_id(self) -> uuid.UUID | None:
        return _uuid((self.obj.get("metadata") or {}).get("invoice_id"))


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def verify(raw: bytes, signature: str | None, secret: str | None) -> StripeEvent:
    """The event, once its ``Stripe-Signature`` proves Stripe sent these bytes in the last 5 minutes."""
    if not secret:
        raise Unavailable("Stripe events are not configured: set KEEL_STRIPE_WEBHOOK_SECRET.")
    if not signature:
        raise BadRequest("Send the Stripe-Signature header.")
    try:
        payload = raw.decode("utf-8")
        stripe.WebhookSignature.verify_header(payload, signature, secret, TOLERANCE_SECONDS)
        body = json.loads(payload)
    except (UnicodeDecodeError, ValueError, stripe.SignatureVerificationError) as exc:
        raise BadRequest("The Stripe signature does not match the request, or it is too old.") from exc
    data = body.get("data") if isinstance(body, dict) else None
    obj = data.get("object") if isinstance(data, dict) else None
    if (
        not isinstance(body.get("id"), str)
        or not isinstance(body.get("type"), str)
        or not isinstance(obj, dict)
    ):
        raise BadRequest("The body is not a Stripe event.")
    created = body.get("created")
    return StripeEvent(body["id"], body["type"], created if isinstance(created, int) else 0, obj)


def _first_time(session: Session, ctx: TenantContext, event: StripeEvent) -> bool:
    recorded = session.scalar(
        insert(ProviderEvent)
        .values(
            id=uuid.uuid4(),
            tenant_id=ctx.tenant_id,
            provider=PROVIDER,
            event_id=event.id[:255],
            payload={"type": event.type, "object": event.obj.get("id")},
        )
        .on_conflict_do_nothing(
            index_elements=[ProviderEvent.tenant_id, ProviderEvent.provider, ProviderEvent.event_id]
        )
        .returning(ProviderEvent.id)
    )
    return recorded is not None


def tenant_of_charge(session: Session, event: StripeEvent) -> uuid.UUID | None:
    """The tenant whose card payment an event's charge is: a charge does not carry the metadata Keel
    gave its PaymentIntent, so the tenant is found by the intent, through the one narrow function
    that may look across tenants (``session`` is tenant-less)."""
    intent_id = event.obj.get("payment_intent")
    if event.type != "charge.refunded" or not isinstance(intent_id, str) or not intent_id:
        return None
    found = session.execute(text("SELECT keel_find_stripe_payment(:i)"), {"i": intent_id[:255]}).scalar()
    return found if isinstance(found, uuid.UUID) else None


def _refunded_at_stripe(
    session: Session, ctx: TenantContext, event: StripeEvent
) -> tuple[str, Invoice | None]:
    obj = event.obj
    total = obj.get("amount_refunded")
    if not isinstance(total, int) or total <= 0 or not isinstance(obj.get("payment_intent"), str):
        return "ignored", None
    if not _first_time(session, ctx, event):
        return "duplicate", None
    listed = (obj.get("refunds") or {}).get("data") if isinstance(obj.get("refunds"), dict) else None
    latest = (
        listed[0].get("id") if isinstance(listed, list) and listed and isinstance(listed[0], dict) else None
    )
    refund_id = str(latest)[:255] if latest else None
    return refunds.record_at_stripe(session, ctx, str(obj["payment_intent"])[:255], total, refund_id)


def apply(session: Session, ctx: TenantContext, event: StripeEvent) -> tuple[str, Invoice | None]:
    """(applied | duplicate | unapplied | ignored, the invoice whose workflow must hear of it)."""
    if event.type == "charge.refunded":  # the payment's lock first, as a refund through Keel takes it
        return _refunded_at_stripe(session, ctx, event)
    # Locked first: two events for one intent (or a manual payment) then apply one after the other.
    invoice = find(session, ctx, Invoice, event.invoice_id, for_update=True) if event.invoice_id else None
    if invoice is None or event.type not in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        return "ignored", None
    if not _first_time(session, ctx, event):
        return "duplicate", None
    intent_id = str(event.obj.get("id") or "")[:200]
    row = session.scalar(live(ctx, StripePaymentIntent).where(StripePaymentIntent.intent_id == intent_id))
    if event.type == "payment_intent.payment_failed":
        if (event.obj.get("metadata") or {}).get("keel_charge"):
            return "ignored", None  # an automatic charge: its workflow records the failure itself
        if row is not None:
            row.status = str(event.obj.get("status") or "requires_payment_method")[:40]
        events.emit(session, ctx, "payment.failed", _failed_payload(invoice, event, row))
        return "applied", None
    amount = event.obj.get("amount_received") or event.obj.get("amount")
    currency = str(event.obj.get("currency") or "").upper()
    if not isinstance(amount, int) or amount <= 0 or currency != invoice.currency:
        return "ignored", None
    received = datetime.fromtimestamp(event.created, UTC) if event.created else datetime.now(UTC)
    outcome, payment = record_intent(session, ctx, invoice, intent_id, amount, received)
    if row is not None and outcome != "duplicate":
        row.status = "succeeded"
        row.payment_id = payment.id if payment is not None else None
        session.flush()
    return outcome, invoice if outcome == "applied" else None


def record_intent(
    session: Session, ctx: TenantContext, invoice: Invoice, intent_id: str, amount: int, received: datetime
) -> tuple[str, InvoicePayment | None]:
    """A succeeded PaymentIntent's money recorded on the invoice (locked by the caller) once:
    (applied, the payment) | (duplicate, None): recorded before | (unapplied, None): the invoice is no
    longer payable, audited so that someone refunds it at Stripe."""
    if session.scalar(live(ctx, InvoicePayment, deleted=True).where(InvoicePayment.reference == intent_id)):
        return "duplicate", None
    currency = invoice.currency
    if invoice.status not in payments.PAYABLE:
        change = {
            "payment_intent_id": intent_id,
            "amount": to_text(amount, currency),
            "status": invoice.status,
        }
        audit.record(session, ctx, "payment_intent.unapplied", "invoice", invoice.id, change)
        return "unapplied", None
    # Built, not validated: "stripe" is a method only this path records (the API accepts manual ones).
    fields: dict[str, Any] = {
        "amount": to_text(amount, currency),
        "method": "stripe",
        "reference": intent_id,
        "received_at": received,
    }
    return "applied", payments.record(session, ctx, invoice.id, PaymentIn.model_construct(**fields))


def _failed_payload(invoice: Invoice, event: StripeEvent, row: StripePaymentIntent | None) -> dict[str, Any]:
    amount = event.obj.get("amount")
    return {
        "payment_id": str(row.id if row is not None else uuid.uuid4()),  # the attempt: no payment exists
        "invoice_id": str(invoice.id),
        "customer_id": str(invoice.customer_id),
        "amount": to_text(amount if isinstance(amount, int) else 0, invoice.currency),
        "currency": invoice.currency,
        "method": "stripe",
        "status": "failed",
    }

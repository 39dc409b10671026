"""Payment links: a Stripe PaymentIntent for an open invoice's amount due.

One intent per invoice and amount due: asking again answers the same intent (its idempotency key is
derived from both), and a new intent is made only when the amount due changed (a partial payment,
a credit note); the intents for the earlier amounts are then canceled at Stripe. The intent's
metadata names the tenant and the invoice: the webhook finds them there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from adapters.stripe_gateway import Intent, StripeGateway
from db.models.billing import BillingCustomer
from db.models.stripe import StripePaymentIntent
from domain.audit import service as audit
from domain.billing.invoices import service as invoices
from domain.billing.invoices.views import amount_due
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.errors import Conflict
from domain.queries import get_or_404, live

PAYABLE = ("open", "uncollectible")
SPENT = ("canceled",)  # an intent that can no longer take the payment: make a new one


def link_out(intent: Intent) -> dict[str, Any]:
    return {
        "payment_intent_id": intent.id,
        "client_secret": intent.client_secret,
        "amount": to_text(intent.amount, intent.currency),
        "currency": intent.currency,
        "status": intent.status,
        "url": None,  # PaymentIntents are paid in the payer's page with Stripe.js
    }


def _cancel_stale(
    session: Session, ctx: TenantContext, stripe: StripeGateway, invoice_id: uuid.UUID, due: int
) -> None:
    """Intents made for an earlier amount due (before a partial payment, a credit note) are canceled
    when a new one is made: a payer holding an old link cannot pay the old amount."""
    stale = session.scalars(
        live(ctx, StripePaymentIntent).where(
            StripePaymentIntent.invoice_id == invoice_id,
            StripePaymentIntent.amount_minor != due,
            StripePaymentIntent.status.not_in(("succeeded", "canceled")),
        )
    ).all()
    for row in stale:
        stripe.cancel_intent(row.intent_id)
        row.status = stripe.retrieve_intent(row.intent_id).status


def stripe_customer(ctx: TenantContext, stripe: StripeGateway, customer: BillingCustomer) -> str:
    """The customer's id at Stripe, made the first time it is needed (the caller holds its row lock)."""
    if customer.stripe_customer_id is None:
        customer.stripe_customer_id = stripe.ensure_customer(
            None,
            name=customer.name,
            email=customer.email,
            metadata={"tenant_id": str(ctx.tenant_id), "customer_id": str(customer.id)},
            idempotency_key=f"keel-customer-{customer.id}",
        )
    return customer.stripe_customer_id


def payment_link(
    session: Session, ctx: TenantContext, gateway: Callable[[], StripeGateway], invoice_id: uuid.UUID
) -> tuple[dict[str, Any], bool]:
    """The intent for the invoice's amount due, and whether it was made now."""
    invoice = invoices.locked(session, ctx, invoice_id)  # billing:write; one maker at a time
    if invoice.status not in PAYABLE:
        raise Conflict(f"The invoice is {invoice.status}: only an open invoice can be paid by card.")
    due = amount_due(invoice)
    if due <= 0:
        raise Conflict("Nothing is due on the invoice.")
    stripe = gateway()
    known = session.scalars(
        live(ctx, StripePaymentIntent)
        .where(StripePaymentIntent.invoice_id == invoice.id, StripePaymentIntent.amount_minor == due)
        .order_by(StripePaymentIntent.created_at.desc())
    ).all()
    for row in known:
        current = stripe.retrieve_intent(row.intent_id)
        row.status = current.status
        if current.status not in SPENT:
            return link_out(current), False
    _cancel_stale(session, ctx, stripe, invoice.id, due)
    customer = get_or_404(session, ctx, BillingCustomer, invoice.customer_id, "customer", for_update=True)
    stripe_customer(ctx, stripe, customer)
    # A canceled intent for the same amount needs a key of its own: count the earlier ones.
    key = f"keel-invoice-{invoice.id}-{due}" + (f"-{len(known)}" if known else "")
    intent = stripe.create_intent(
        amount=due,
        currency=invoice.currency,
        customer=customer.stripe_customer_id,
        metadata={"tenant_id": str(ctx.tenant_id), "invoice_id": str(invoice.id)},
        idempotency_key=key,
    )
    row = StripePaymentIntent.new(
        ctx,
        invoice_id=invoice.id,
        intent_id=intent.id,
        amount_minor=due,
        currency=invoice.currency,
        status=intent.status,
    )
    session.add(row)
    session.flush()
    change = {
        "invoice_id": str(invoice.id),
        "payment_intent_id": intent.id,
        "amount": to_text(due, invoice.currency),
    }
    audit.record(session, ctx, "payment_intent.created", "payment_intent", row.id, change)
    return link_out(intent), True

"""A customer's saved payment method: the card its ``charge_automatically`` invoices are charged to.

The card itself is collected by Stripe (Stripe.js with a SetupIntent's client secret, or any Stripe
integration): Keel receives only the PaymentMethod's id, attaches it to the customer's Stripe
customer, makes it the default, and keeps a display summary (brand, last 4, expiry). A card Stripe
refuses to attach (declined, unknown id) is a 422 and nothing changes; removing it detaches it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from adapters.stripe_gateway import RefusedError, StripeGateway
from db.models.billing import BillingCustomer
from domain.audit import service as audit
from domain.billing.invoices import service as invoices
from domain.billing.stripe.service import stripe_customer
from domain.context import TenantContext
from domain.errors import NotFound, ValidationFailed
from domain.queries import get_or_404


def _customer(
    session: Session, ctx: TenantContext, customer_id: uuid.UUID, *, write: bool
) -> BillingCustomer:
    ctx.require(invoices.WRITE if write else invoices.READ)
    return get_or_404(session, ctx, BillingCustomer, customer_id, "customer", for_update=write)


def _replace(
    session: Session,
    ctx: TenantContext,
    customer: BillingCustomer,
    method: dict[str, Any] | None,
    action: str,
) -> None:
    """The customer's saved method becomes ``method`` (None: none): a new version, audited as ``action``."""
    before = customer.payment_method
    customer.payment_method = method
    customer.version += 1
    session.flush()
    audit.record(session, ctx, action, "customer", customer.id, {"payment_method": [before, method]})


def read(session: Session, ctx: TenantContext, customer_id: uuid.UUID) -> dict[str, Any]:
    customer = _customer(session, ctx, customer_id, write=False)
    if customer.payment_method is None:
        raise NotFound("The customer has no saved payment method.")
    return customer.payment_method


def save(
    session: Session,
    ctx: TenantContext,
    gateway: Callable[[], StripeGateway],
    customer_id: uuid.UUID,
    payment_method: str,
) -> dict[str, Any]:
    """Attach ``payment_method`` (a Stripe ``pm_`` id) and charge it from now on; the one it
    replaces is detached."""
    customer = _customer(session, ctx, customer_id, write=True)
    stripe = gateway()
    try:
        saved = stripe.save_payment_method(stripe_customer(ctx, stripe, customer), payment_method)
    except RefusedError as exc:
        raise ValidationFailed.one(
            "payment_method", f"Stripe refused it ({exc.refused.code}): {exc.refused.message}"
        ) from exc
    before = customer.payment_method
    if before and before.get("id") != saved["id"]:
        stripe.forget_payment_method(str(before["id"]))
    _replace(session, ctx, customer, saved, "customer.payment_method_saved")
    return saved


def remove(
    session: Session, ctx: TenantContext, gateway: Callable[[], StripeGateway], customer_id: uuid.UUID
) -> None:
    customer = _customer(session, ctx, customer_id, write=True)
    before = customer.payment_method
    if before is None:
        raise NotFound("The customer has no saved payment method.")
    gateway().forget_payment_method(str(before["id"]))
    _replace(session, ctx, customer, None, "customer.payment_method_removed")


def setup_intent(
    session: Session, ctx: TenantContext, gateway: Callable[[], StripeGateway], customer_id: uuid.UUID
) -> dict[str, Any]:
    """A SetupIntent for the customer's page to save a card with Stripe.js; then ``save`` its method."""
    customer = _customer(session, ctx, customer_id, write=True)
    stripe = gateway()
    intent = stripe.create_setup_intent(
        customer=stripe_customer(ctx, stripe, customer),
        metadata={"tenant_id": str(ctx.tenant_id), "customer_id": str(customer.id)},
        idempotency_key=f"keel-setup-{customer.id}-{uuid.uuid4()}",
    )
    return {"setup_intent_id": intent.id, "client_secret": intent.client_secret, "status": intent.status}

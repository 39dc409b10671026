"""A customer's saved payment method, charged for its ``charge_automatically`` invoices: a SetupIntent
for the customer's page to collect a card with Stripe.js, then the PaymentMethod saved (attached at
Stripe and made the default), read, or removed."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from api.deps import Ctx, Db
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from api.stripe_dep import Stripe
from domain.billing.stripe import payment_methods
from domain.billing.stripe.schemas import PaymentMethodIn, PaymentMethodOut, SetupIntentOut

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])
routes = ResourceRoutes(router, PaymentMethodOut, item="/{customer_id:uuid}")
"""A customer's payment method, below the customer (a 404: no such customer, or no method saved)."""
METHOD = "/payment-method"


@routes.put(
    503,
    below=METHOD,
    summary="Save the payment method charged automatically (attached at Stripe, the default from now on)",
    description="`payment_method` is a Stripe PaymentMethod id (pm_…). A card Stripe refuses to attach "
    "(declined, unknown) is a 422 naming `payment_method` and nothing changes; a method it replaces is "
    "detached. 503 when Stripe is not configured or does not answer.",
)
def save_payment_method(
    customer_id: uuid.UUID, body: PaymentMethodIn, ctx: Ctx, session: Db, stripe: Stripe
) -> JSONResponse:
    return respond(success(payment_methods.save(session, ctx, stripe, customer_id, body.payment_method)))


@routes.read(
    below=METHOD, summary="The saved payment method (brand, last 4 digits, expiry); 404 when there is none"
)
def get_payment_method(customer_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(payment_methods.read(session, ctx, customer_id)))


@routes.delete(
    503,
    below=METHOD,
    status_code=204,
    summary="Remove the saved payment method (detached at Stripe); automatic charges then fail until "
    "another is saved",
)
def delete_payment_method(customer_id: uuid.UUID, ctx: Ctx, session: Db, stripe: Stripe) -> Response:
    payment_methods.remove(session, ctx, stripe, customer_id)
    return Response(status_code=204)


@routes.post(
    "/setup-intents",
    503,
    model=SetupIntentOut,
    status_code=201,
    summary="A Stripe SetupIntent: its client secret lets the customer's page save a card with Stripe.js",
    description="Confirm it in the browser (stripe.confirmCardSetup), then PUT its payment_method here.",
)
def create_setup_intent(customer_id: uuid.UUID, ctx: Ctx, session: Db, stripe: Stripe) -> JSONResponse:
    return respond(success(payment_methods.setup_intent(session, ctx, stripe, customer_id)), status_code=201)

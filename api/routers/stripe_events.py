"""Stripe's event webhook. No bearer credential: the ``Stripe-Signature`` (HMAC of the body with the
endpoint secret, at most 5 minutes old) is the credential, and the event's PaymentIntent names its
tenant and invoice in the metadata Keel gave it (a charge's event is traced to its tenant by its
intent). A bad signature is a 400 and nothing changes; an
event seen before answers 200 and changes nothing (Stripe retries until it gets a 2xx).
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.envelope import respond, success
from api.invoice_signal import Changes
from api.resource_routes import ResourceRoutes
from db.models.invoices import Invoice
from db.session import system_session
from domain.billing.stripe import webhooks
from domain.billing.stripe.schemas import EventOutcome
from domain.context import TenantContext

router = APIRouter(prefix="/api/v1/providers/stripe", tags=["providers"])
# The signature is the credential: no permission, hence no 403.
routes = ResourceRoutes(router, EventOutcome, answers=())


def _tenant_of_charge(engine: Engine, event: webhooks.StripeEvent) -> uuid.UUID | None:
    with system_session(engine) as session:
        return webhooks.tenant_of_charge(session, event)


@routes.collection_post(
    "/events",
    400,
    413,
    503,
    summary="Stripe's signed events: payment_intent.succeeded records the invoice's payment once",
    description="Register this URL at Stripe with the events payment_intent.succeeded, "
    "payment_intent.payment_failed and charge.refunded (a refund made at Stripe is recorded in Keel); its "
    "signing secret is KEEL_STRIPE_WEBHOOK_SECRET. A missing, wrong, "
    "stale (over 300 s) or tampered signature is a 400. Events are applied once per event id.",
)
async def stripe_event(changes: Changes) -> JSONResponse:
    secret = changes.settings.stripe_webhook_secret
    event = webhooks.verify(
        await changes.request.body(),
        changes.request.headers.get("Stripe-Signature"),
        secret.get_secret_value() if secret else None,
    )
    tenant_id = event.tenant_id or await run_in_threadpool(_tenant_of_charge, changes.engine, event)
    if tenant_id is None:
        return respond(success({"outcome": "ignored"}))
    ctx = TenantContext.system(tenant_id, correlation_id=f"stripe:{event.id}"[:100])

    def work(session: Session) -> tuple[str, Invoice | None]:
        return webhooks.apply(session, ctx, event)

    outcome, _ = await changes.commit_then_tell(tenant_id, work)
    return respond(success({"outcome": outcome}))

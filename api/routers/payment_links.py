"""Payment links: a Stripe PaymentIntent for an open invoice's amount due, paid in the payer's page
with Stripe.js; the payment is recorded when Stripe's webhook says it succeeded."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from adapters.stripe_gateway import StripeGateway, gateway
from api.deps import Ctx, Db, SettingsDep
from api.envelope import Envelope, errors, respond, success
from domain.billing.stripe import service
from domain.billing.stripe.schemas import PaymentLinkOut

router = APIRouter(prefix="/api/v1/invoices", tags=["invoices"])


@router.post(
    "/{invoice_id:uuid}/payment-link",
    status_code=201,
    response_model=Envelope[PaymentLinkOut],
    responses={
        **errors(403, 404, 409, 503),
        200: {"model": Envelope[PaymentLinkOut], "description": "the same intent, asked again"},
    },
    summary="A Stripe PaymentIntent for the invoice's amount due (the same one while it is unchanged)",
    description="201 when the intent is made, 200 with the same intent when asked again for the same "
    "amount due. 409 for a draft, paid or void invoice; 503 when Stripe is not configured or does not "
    "answer.",
)
def create_payment_link(invoice_id: uuid.UUID, ctx: Ctx, session: Db, settings: SettingsDep) -> JSONResponse:
    def stripe() -> StripeGateway:
        return gateway(settings)

    out, made = service.payment_link(session, ctx, stripe, invoice_id)
    return respond(success(out), status_code=201 if made else 200)

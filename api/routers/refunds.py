"""Refunds of payments received: a card payment through Stripe, a manual one recorded as refunded.
The refund is committed before the invoice's workflow is told (its amount due may have grown)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from adapters.stripe_gateway import StripeGateway, gateway
from api.deps import Ctx, Db
from api.envelope import respond, success
from api.invoice_signal import Changes
from api.resource_routes import ResourceRoutes
from db.models.invoices import Invoice
from domain.billing.invoices.schemas import PaymentOut
from domain.billing.stripe import refunds
from domain.billing.stripe.schemas import RefundIn, RefundOut

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])
routes = ResourceRoutes(router, PaymentOut, item="/{payment_id:uuid}")


@routes.post(
    "/refund",
    409,
    503,
    model=RefundOut,
    status_code=201,
    summary="Refund a payment in full or in part (`amount`): through Stripe for a card payment",
    description="More than paid minus refunded is a 422. The refund comes off the invoice's amount paid "
    "first (a paid invoice is open again), then off the customer's credit the payment left (409 when "
    "that credit is spent). Emits payment.refunded.",
)
async def refund_payment(payment_id: uuid.UUID, body: RefundIn, ctx: Ctx, changes: Changes) -> JSONResponse:
    def stripe() -> StripeGateway:
        return gateway(changes.settings)

    def work(session: Session) -> tuple[dict[str, Any], Invoice | None]:
        row, payment, invoice = refunds.refund(session, ctx, stripe, payment_id, body)
        return refunds.refund_out(row, payment), invoice

    out, _ = await changes.commit_then_tell(ctx.tenant_id, work)
    return respond(success(out), status_code=201)


@routes.read(below="/refunds", model=list[RefundOut], summary="A payment's refunds, oldest first")
def list_refunds(payment_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    payment, rows = refunds.list_refunds(session, ctx, payment_id)
    return respond(success([refunds.refund_out(r, payment) for r in rows]))

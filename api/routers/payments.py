"""Payments received against invoices (recorded with POST /api/v1/invoices/{id}/payments)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.billing_answers import Page, ServiceRoutes
from api.deps import Ctx, Db
from api.resource_routes import ResourceRoutes
from domain.billing.invoices import payments
from domain.billing.invoices.schemas import PaymentOut
from domain.billing.invoices.views import payment_out

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])
routes = ResourceRoutes(router, PaymentOut, item="/{payment_id:uuid}")


@routes.listing(summary="Payments received, newest first: ?invoice=, ?customer=")
def list_payments(
    ctx: Ctx,
    session: Db,
    invoice: Annotated[uuid.UUID | None, Query()] = None,
    customer: Annotated[uuid.UUID | None, Query()] = None,
    *,
    page: Page,
) -> JSONResponse:
    return page.answer(
        payments.list_payments(session, ctx, invoice=invoice, customer=customer, **page.window), payment_out
    )


ServiceRoutes(routes, payment_out).read("get_payment", payments.get)

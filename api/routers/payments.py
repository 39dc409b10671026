"""Payments received against invoices (recorded with POST /api/v1/invoices/{id}/payments)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.billing_answers import Page
from api.deps import Ctx, Db
from api.envelope import Envelope, errors, respond, success
from domain.billing.invoices import payments
from domain.billing.invoices.schemas import PaymentOut
from domain.billing.invoices.views import payment_out

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])


@router.get(
    "",
    response_model=Envelope[list[PaymentOut]],
    responses=errors(403),
    summary="Payments received, newest first: ?invoice=, ?customer=",
)
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


@router.get("/{payment_id:uuid}", response_model=Envelope[PaymentOut], responses=errors(403, 404))
def get_payment(payment_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(payment_out(payments.get(session, ctx, payment_id))))

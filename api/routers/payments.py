"""Payments received against invoices (recorded with POST /api/v1/invoices/{id}/payments)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from api.billing_answers import ServiceRoutes
from api.resource_routes import ResourceRoutes
from domain.billing.invoices import payments
from domain.billing.invoices.schemas import PaymentOut
from domain.billing.invoices.views import payment_out

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])
routes = ResourceRoutes(router, PaymentOut, item="/{payment_id:uuid}")
served = ServiceRoutes(routes, payment_out)

served.listing(
    "list_payments",
    payments.list_payments,
    filters={
        "invoice": Annotated[uuid.UUID | None, Query()],
        "customer": Annotated[uuid.UUID | None, Query()],
    },
    summary="Payments received, newest first: ?invoice=, ?customer=",
)
served.read("get_payment", payments.get)

"""Customers: who is invoiced (currency, address, tax ids, payment terms)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.billing_answers import Page, one_answer
from api.deps import Ctx, Db, IfMatch
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from db.models.billing import BillingCustomer
from domain.billing.catalog import service as catalog
from domain.billing.catalog.schemas import CustomerIn, CustomerOut, CustomerPatch

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])
routes = ResourceRoutes(router, CustomerOut, item="/{customer_id:uuid}")


def _one(customer: BillingCustomer, *, created: bool = False) -> JSONResponse:
    location = f"/api/v1/customers/{customer.id}" if created else None
    return one_answer(catalog.customer_out(customer), catalog.customer_etag(customer), location=location)


@routes.create(
    summary="Create a customer: name, email, currency (ISO 4217), address {country (ISO 3166-1), region "
    "(ISO 3166-2 suffix), postal_code, line1, line2, city}, tax_ids [{type: eu_vat|gb_vat|us_ein|other, "
    "value}], locale, payment_terms_days (0-365), entity {type, id}, metadata"
)
def create_customer(body: CustomerIn, ctx: Ctx, session: Db) -> JSONResponse:
    return _one(catalog.create_customer(session, ctx, body), created=True)


@routes.listing(summary="List customers, newest first: ?email= (any case), ?currency=, ?country=")
def list_customers(
    ctx: Ctx,
    session: Db,
    email: Annotated[str | None, Query(max_length=320)] = None,
    currency: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    *,
    page: Page,
) -> JSONResponse:
    found = catalog.list_customers(
        session, ctx, email=email, currency=currency, country=country, **page.window
    )
    return page.answer(found, catalog.customer_out)


@routes.read()
def get_customer(customer_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return _one(catalog.get_customer(session, ctx, customer_id))


@routes.patch(
    409,
    412,
    summary="Change the fields sent (address, tax_ids and metadata are replaced whole); If-Match the ETag "
    "you read (412 if stale). The currency changes only while the customer holds no credit (409)",
)
def patch_customer(
    customer_id: uuid.UUID, body: CustomerPatch, ctx: Ctx, session: Db, if_match: IfMatch = None
) -> JSONResponse:
    return _one(catalog.patch_customer(session, ctx, customer_id, body, if_match=if_match))


@routes.delete(412, summary="Soft delete: gone from lists and reads; invoices already issued keep their copy")
def delete_customer(customer_id: uuid.UUID, ctx: Ctx, session: Db, if_match: IfMatch = None) -> JSONResponse:
    return respond(
        success(catalog.customer_out(catalog.delete_customer(session, ctx, customer_id, if_match=if_match)))
    )

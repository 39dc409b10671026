"""Customers: who is invoiced (currency, address, tax ids, payment terms)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.billing_answers import ServiceRoutes
from api.resource_routes import ResourceRoutes
from domain.billing.catalog import service as catalog
from domain.billing.catalog.schemas import CustomerIn, CustomerOut, CustomerPatch

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])
routes = ResourceRoutes(router, CustomerOut, item="/{customer_id:uuid}")
served = ServiceRoutes(routes, catalog.customer_out, catalog.customer_etag)

served.create(
    "create_customer",
    CustomerIn,
    catalog.create_customer,
    summary="Create a customer: name, email, currency (ISO 4217), address {country (ISO 3166-1), region "
    "(ISO 3166-2 suffix), postal_code, line1, line2, city}, tax_ids [{type: eu_vat|gb_vat|us_ein|other, "
    "value}], locale, payment_terms_days (0-365), entity {type, id}, metadata",
)
served.listing(
    "list_customers",
    catalog.list_customers,
    filters={
        "email": Annotated[str | None, Query(max_length=320)],
        "currency": Annotated[str | None, Query(min_length=3, max_length=3)],
        "country": Annotated[str | None, Query(min_length=2, max_length=2)],
    },
    summary="List customers, newest first: ?email= (any case), ?currency=, ?country=",
)
served.read("get_customer", catalog.get_customer)
served.patch(
    "patch_customer",
    CustomerPatch,
    catalog.patch_customer,
    409,
    412,
    if_match=True,
    summary="Change the fields sent (address, tax_ids and metadata are replaced whole); If-Match the ETag "
    "you read (412 if stale). The currency changes only while the customer holds no credit (409)",
)
served.delete(
    "delete_customer",
    catalog.delete_customer,
    412,
    if_match=True,
    summary="Soft delete: gone from lists and reads; invoices already issued keep their copy",
)

"""Tax rates per country, region and product tax category."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.billing_answers import Page, one_answer
from api.deps import Ctx, Db
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from domain.billing.catalog import tax_rates
from domain.billing.catalog.schemas import TaxRateIn, TaxRateOut, TaxRatePatch

router = APIRouter(prefix="/api/v1/tax-rates", tags=["tax_rates"])
routes = ResourceRoutes(router, TaxRateOut, item="/{rate_id:uuid}")


@routes.create(
    summary="Create a tax rate (billing:settings): name, percentage (decimal string 0-100, 4 decimals), "
    "inclusive, country, region, category. The most specific active rate for an address applies"
)
def create_tax_rate(body: TaxRateIn, ctx: Ctx, session: Db) -> JSONResponse:
    out = tax_rates.tax_rate_out(tax_rates.create_tax_rate(session, ctx, body))
    return one_answer(out, location=f"/api/v1/tax-rates/{out['id']}")


@routes.listing(summary="List tax rates, newest first: ?country=, ?category=, ?active=")
def list_tax_rates(
    ctx: Ctx,
    session: Db,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    category: Annotated[str | None, Query(max_length=50)] = None,
    active: bool | None = None,
    *,
    page: Page,
) -> JSONResponse:
    found = tax_rates.list_tax_rates(
        session, ctx, country=country, category=category, active=active, **page.window
    )
    return page.answer(found, tax_rates.tax_rate_out)


@routes.read()
def get_tax_rate(rate_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(tax_rates.tax_rate_out(tax_rates.get_tax_rate(session, ctx, rate_id))))


@routes.patch(summary="Rename or (de)activate; a percentage never changes: create a new rate instead")
def patch_tax_rate(rate_id: uuid.UUID, body: TaxRatePatch, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(tax_rates.tax_rate_out(tax_rates.patch_tax_rate(session, ctx, rate_id, body))))


@routes.delete(summary="Soft delete")
def delete_tax_rate(rate_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(tax_rates.tax_rate_out(tax_rates.delete_tax_rate(session, ctx, rate_id))))

"""Prices: one-time, recurring and usage prices of products."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.billing_answers import Page, one_answer
from api.deps import Ctx, Db
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from domain.billing.catalog import prices
from domain.billing.catalog.prices import PriceIn, PriceOut, PricePatch

router = APIRouter(prefix="/api/v1/prices", tags=["prices"])
routes = ResourceRoutes(router, PriceOut, item="/{price_id:uuid}")


@routes.create(
    summary="Create a price: product, currency, unit_amount (decimal string), type one_time|recurring, "
    "interval day|week|month|year and interval_count (recurring), usage {metric, model per_unit|graduated|"
    "volume|package, tiers [{up_to, unit_amount, flat_amount}], package_size} (recurring). Immutable after"
)
def create_price(body: PriceIn, ctx: Ctx, session: Db) -> JSONResponse:
    out = prices.price_out(prices.create_price(session, ctx, body))
    return one_answer(out, location=f"/api/v1/prices/{out['id']}")


@routes.listing(summary="List prices, newest first: ?product=, ?currency=, ?type=, ?active=")
def list_prices(
    ctx: Ctx,
    session: Db,
    product: uuid.UUID | None = None,
    currency: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    type: Literal["one_time", "recurring"] | None = None,
    active: bool | None = None,
    *,
    page: Page,
) -> JSONResponse:
    found = prices.list_prices(
        session, ctx, product=product, currency=currency, type_=type, active=active, **page.window
    )
    return page.answer(found, prices.price_out)


@routes.read()
def get_price(price_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(prices.price_out(prices.get_price(session, ctx, price_id))))


@routes.patch(summary="Switch the price on or off ({active}): the only change a price allows")
def patch_price(price_id: uuid.UUID, body: PricePatch, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(prices.price_out(prices.set_active(session, ctx, price_id, body))))

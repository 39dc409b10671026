"""Prices: one-time, recurring and usage prices of products."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.billing_answers import Page, ServiceRoutes
from api.deps import Ctx, Db
from api.resource_routes import ResourceRoutes
from domain.billing.catalog import prices
from domain.billing.catalog.prices import PriceIn, PriceOut, PricePatch

router = APIRouter(prefix="/api/v1/prices", tags=["prices"])
routes = ResourceRoutes(router, PriceOut, item="/{price_id:uuid}")
served = ServiceRoutes(routes, prices.price_out)

served.create(
    "create_price",
    PriceIn,
    prices.create_price,
    summary="Create a price: product, currency, unit_amount (decimal string), type one_time|recurring, "
    "interval day|week|month|year and interval_count (recurring), usage {metric, model per_unit|graduated|"
    "volume|package, tiers [{up_to, unit_amount, flat_amount}], package_size} (recurring). Immutable after",
)


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


served.read("get_price", prices.get_price)
served.patch(
    "patch_price",
    PricePatch,
    prices.set_active,
    summary="Switch the price on or off ({active}): the only change a price allows",
)

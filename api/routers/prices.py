"""Prices: one-time, recurring and usage prices of products."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.billing_answers import ServiceRoutes
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
served.listing(
    "list_prices",
    prices.list_prices,
    filters={
        "product": uuid.UUID | None,
        "currency": Annotated[str | None, Query(min_length=3, max_length=3)],
        "type_": Annotated[Literal["one_time", "recurring"] | None, Query(alias="type")],
        "active": bool | None,
    },
    summary="List prices, newest first: ?product=, ?currency=, ?type=, ?active=",
)
served.read("get_price", prices.get_price)
served.patch(
    "patch_price",
    PricePatch,
    prices.set_active,
    summary="Switch the price on or off ({active}): the only change a price allows",
)

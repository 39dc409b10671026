"""Tax rates per country, region and product tax category."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.billing_answers import ServiceRoutes
from api.resource_routes import ResourceRoutes
from domain.billing.catalog import tax_rates
from domain.billing.catalog.schemas import TaxRateIn, TaxRateOut, TaxRatePatch

router = APIRouter(prefix="/api/v1/tax-rates", tags=["tax_rates"])
routes = ResourceRoutes(router, TaxRateOut, item="/{rate_id:uuid}")
served = ServiceRoutes(routes, tax_rates.tax_rate_out)

served.create(
    "create_tax_rate",
    TaxRateIn,
    tax_rates.create_tax_rate,
    summary="Create a tax rate (billing:settings): name, percentage (decimal string 0-100, 4 decimals), "
    "inclusive, country, region, category. The most specific active rate for an address applies",
)
served.listing(
    "list_tax_rates",
    tax_rates.list_tax_rates,
    filters={
        "country": Annotated[str | None, Query(min_length=2, max_length=2)],
        "category": Annotated[str | None, Query(max_length=50)],
        "active": bool | None,
    },
    summary="List tax rates, newest first: ?country=, ?category=, ?active=",
)
served.read("get_tax_rate", tax_rates.get_tax_rate)
served.patch(
    "patch_tax_rate",
    TaxRatePatch,
    tax_rates.patch_tax_rate,
    summary="Rename or (de)activate; a percentage never changes: create a new rate instead",
)
served.delete("delete_tax_rate", tax_rates.delete_tax_rate, summary="Soft delete")

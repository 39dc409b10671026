"""Products and their tax category."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.billing_answers import Page, ServiceRoutes
from api.deps import Ctx, Db
from api.resource_routes import ResourceRoutes
from domain.billing.catalog import service as catalog
from domain.billing.catalog.schemas import ProductIn, ProductOut, ProductPatch

router = APIRouter(prefix="/api/v1/products", tags=["products"])
routes = ResourceRoutes(router, ProductOut, item="/{product_id:uuid}")
served = ServiceRoutes(routes, catalog.product_out)

served.create(
    "create_product",
    ProductIn,
    catalog.create_product,
    summary="Create a product: name, tax_category (default standard: picks the tax rate), description",
)


@routes.listing(summary="List products, newest first: ?active=")
def list_products(ctx: Ctx, session: Db, active: bool | None = None, *, page: Page) -> JSONResponse:
    return page.answer(catalog.list_products(session, ctx, active=active, **page.window), catalog.product_out)


served.read("get_product", catalog.get_product)
served.patch(
    "patch_product",
    ProductPatch,
    catalog.patch_product,
    summary="Change name, tax_category, description or active",
)
served.delete(
    "delete_product",
    catalog.delete_product,
    summary="Soft delete: the product sells no more; its prices stay readable",
)

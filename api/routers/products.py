"""Products and their tax category."""

from __future__ import annotations

from fastapi import APIRouter

from api.billing_answers import ServiceRoutes
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
served.listing(
    "list_products",
    catalog.list_products,
    filters={"active": bool | None},
    summary="List products, newest first: ?active=",
)
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

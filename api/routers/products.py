"""Products and their tax category."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.billing_answers import Page, one_answer
from api.deps import Ctx, Db
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from domain.billing.catalog import service as catalog
from domain.billing.catalog.schemas import ProductIn, ProductOut, ProductPatch

router = APIRouter(prefix="/api/v1/products", tags=["products"])
routes = ResourceRoutes(router, ProductOut, item="/{product_id:uuid}")


@routes.create(
    summary="Create a product: name, tax_category (default standard: picks the tax rate), description"
)
def create_product(body: ProductIn, ctx: Ctx, session: Db) -> JSONResponse:
    out = catalog.product_out(catalog.create_product(session, ctx, body))
    return one_answer(out, location=f"/api/v1/products/{out['id']}")


@routes.listing(summary="List products, newest first: ?active=")
def list_products(ctx: Ctx, session: Db, active: bool | None = None, *, page: Page) -> JSONResponse:
    return page.answer(catalog.list_products(session, ctx, active=active, **page.window), catalog.product_out)


@routes.read()
def get_product(product_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(catalog.product_out(catalog.get_product(session, ctx, product_id))))


@routes.patch(summary="Change name, tax_category, description or active")
def patch_product(product_id: uuid.UUID, body: ProductPatch, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(catalog.product_out(catalog.patch_product(session, ctx, product_id, body))))


@routes.delete(summary="Soft delete: the product sells no more; its prices stay readable")
def delete_product(product_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(catalog.product_out(catalog.delete_product(session, ctx, product_id))))

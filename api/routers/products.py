"""Products and their tax category."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.billing_answers import Page
from api.deps import Ctx, Db
from api.envelope import Envelope, errors, respond, success
from domain.billing.catalog import service as catalog
from domain.billing.catalog.schemas import ProductIn, ProductOut, ProductPatch

router = APIRouter(prefix="/api/v1/products", tags=["products"])
ITEM = "/{product_id:uuid}"


@router.post(
    "",
    status_code=201,
    response_model=Envelope[ProductOut],
    responses=errors(403),
    summary="Create a product: name, tax_category (default standard: picks the tax rate), description",
)
def create_product(body: ProductIn, ctx: Ctx, session: Db) -> JSONResponse:
    out = catalog.product_out(catalog.create_product(session, ctx, body))
    return respond(success(out), status_code=201, headers={"Location": f"/api/v1/products/{out['id']}"})


@router.get(
    "",
    response_model=Envelope[list[ProductOut]],
    responses=errors(403),
    summary="List products, newest first: ?active=",
)
def list_products(ctx: Ctx, session: Db, active: bool | None = None, *, page: Page) -> JSONResponse:
    return page.answer(catalog.list_products(session, ctx, active=active, **page.window), catalog.product_out)


@router.get(ITEM, response_model=Envelope[ProductOut], responses=errors(403, 404))
def get_product(product_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(catalog.product_out(catalog.get_product(session, ctx, product_id))))


@router.patch(
    ITEM,
    response_model=Envelope[ProductOut],
    responses=errors(403, 404),
    summary="Change name, tax_category, description or active",
)
def patch_product(product_id: uuid.UUID, body: ProductPatch, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(catalog.product_out(catalog.patch_product(session, ctx, product_id, body))))


@router.delete(
    ITEM,
    response_model=Envelope[ProductOut],
    responses=errors(403, 404),
    summary="Soft delete: the product sells no more; its prices stay readable",
)
def delete_product(product_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(catalog.product_out(catalog.delete_product(session, ctx, product_id))))

"""The tenant's billing settings: the seller on its invoices, its reporting currency, its invoice template."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import Ctx, Db
from api.envelope import respond, success
from api.resource_routes import SingleRoutes
from domain.billing.catalog import settings
from domain.billing.catalog.schemas import SettingsIn, SettingsOut

router = APIRouter(prefix="/api/v1/billing", tags=["billing_settings"])
seller_settings = SingleRoutes(router, SettingsOut, "/settings")


@seller_settings.read(summary="The seller's settings (defaults before the first PUT)")
def get_settings(ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(settings.settings_out(settings.read(session, ctx))))


@seller_settings.put(
    summary="Replace the seller's settings (billing:settings): seller_name, seller_address, seller_country "
    "(decides EU reverse charge), seller_tax_id, reporting_currency, invoice_template (a document "
    "template key)"
)
def put_settings(body: SettingsIn, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(settings.settings_out(settings.replace(session, ctx, body))))

"""Exchange rates by date (posted, or imported from the ECB's CSV)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.billing_answers import Page
from api.deps import Ctx, Db
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from domain.billing.catalog import fx
from domain.billing.catalog.fx import FxImportOut, FxRateIn, FxRateOut
from domain.errors import UnsupportedMediaType

router = APIRouter(prefix="/api/v1/fx-rates", tags=["fx_rates"])
routes = ResourceRoutes(router, FxRateOut)
CSV_BODY = {"requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}}


@routes.create(
    responses={200: {"description": "an existing rate of that base, quote and date was replaced"}},
    summary="Set a rate (billing:settings): one base is rate quote on date; 201 new, 200 replaced",
)
def set_rate(body: FxRateIn, ctx: Ctx, session: Db) -> JSONResponse:
    row, created = fx.set_rate(session, ctx, body)
    return respond(success(fx.fx_rate_out(row)), status_code=201 if created else 200)


@routes.listing(summary="List rates, newest first: ?base=, ?quote=, ?from=, ?to= (dates, inclusive)")
def list_rates(
    ctx: Ctx,
    session: Db,
    base: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    quote: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    from_: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
    *,
    page: Page,
) -> JSONResponse:
    found = fx.list_rates(session, ctx, base=base, quote=quote, from_=from_, to=to, **page.window)
    return page.answer(found, fx.fx_rate_out)


@routes.collection_post(
    "/import",
    413,
    415,
    model=FxImportOut,
    openapi_extra=CSV_BODY,
    summary="Import the ECB's CSV (text/csv: Date, then one column per currency, base EUR, N/A skipped), "
    "at most 1 MB and 20,000 rows; a malformed line is a 422 naming it and nothing is stored",
)
async def import_rates(request: Request, ctx: Ctx, session: Db) -> JSONResponse:
    if not request.headers.get("content-type", "").lower().startswith("text/csv"):
        raise UnsupportedMediaType("Send the ECB CSV as text/csv.")
    content = await request.body()
    counts = await run_in_threadpool(fx.import_ecb, session, ctx, content)  # the session's I/O blocks
    return respond(success(counts))

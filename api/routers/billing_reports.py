"""Billing reports: revenue, receivables ageing, MRR and tax, as JSON, CSV or XLSX.

``GET /api/v1/billing/reports/{revenue|ar-aging|mrr|tax}`` with ``from`` and ``to`` (inclusive dates),
``group_by``, ``currency`` (default: the reporting currency of the billing settings) and ``format``
(json in the envelope, csv or xlsx as a download). Needs ``billing:read``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import Ctx, Db
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from domain.billing.reports import export, service
from domain.billing.reports.schemas import ReportName, ReportOut

router = APIRouter(prefix="/api/v1/billing/reports", tags=["billing_reports"])
routes = ResourceRoutes(router, ReportOut)

From = Annotated[
    str | None,
    Query(
        alias="from",
        max_length=10,
        description="first day, inclusive (YYYY-MM-DD); default 1 January of `to`'s year",
    ),
]
To = Annotated[
    str | None,
    Query(
        max_length=10,
        description="last day, inclusive (YYYY-MM-DD); default today; at most 10 years after `from`",
    ),
]
Currency = Annotated[
    str | None,
    Query(
        max_length=3,
        description="ISO 4217 code to convert to; default the reporting currency of the billing settings",
    ),
]
Format = Annotated[
    Literal["json", "csv", "xlsx"], Query(alias="format", description="json (default), csv or xlsx")
]
DOWNLOADS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report: the envelope (json), or a download (csv, xlsx) with Content-Disposition",
        "content": {"text/csv": {}, export.XLSX_TYPE: {}},
    }
}


def _group_by(description: str) -> Any:
    return Query(max_length=40, description=description)


def _answer(
    ctx: Ctx,
    session: Db,
    name: ReportName,
    *,
    from_: str | None,
    to: str | None,
    group_by: str | None,
    currency: str | None,
    fmt: str,
) -> Response:
    p = service.params(session, ctx, name, from_=from_, to=to, group_by=group_by, currency=currency)
    report = service.make(session, ctx, name, p)
    if fmt == "json":
        return respond(success(report.out()))
    content, media = (
        (export.to_csv(report), export.CSV_TYPE)
        if fmt == "csv"
        else (
            export.to_xlsx(report),
            export.XLSX_TYPE,
        )
    )
    disposition = f'attachment; filename="{export.filename(report, fmt)}"'
    return Response(
        content, media_type=media, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"}
    )


@routes.collection_get(
    "/revenue",
    responses=DOWNLOADS,
    summary="Revenue per period: invoiced subtotal, tax and total, credit notes, net revenue and cash "
    "collected, in the reporting currency. group_by: day|week|month (default)|quarter|year, customer, "
    "or a period and customer (month,customer)",
)
def revenue(
    ctx: Ctx,
    session: Db,
    from_: From = None,
    to: To = None,
    group_by: Annotated[
        str | None, _group_by("day|week|month|quarter|year|customer, or period,customer")
    ] = None,
    currency: Currency = None,
    fmt: Format = "json",
) -> Response:
    return _answer(ctx, session, "revenue", from_=from_, to=to, group_by=group_by, currency=currency, fmt=fmt)


@routes.collection_get(
    "/ar-aging",
    responses=DOWNLOADS,
    summary="Receivables aged as of `to` (default today): current, 0-30, 31-60, 61-90 and over 90 days "
    "past due. group_by: none (default) or customer. `from` does not apply",
)
def ar_aging(
    ctx: Ctx,
    session: Db,
    from_: From = None,
    to: To = None,
    group_by: Annotated[str | None, _group_by("none (default) or customer")] = None,
    currency: Currency = None,
    fmt: Format = "json",
) -> Response:
    return _answer(
        ctx, session, "ar-aging", from_=from_, to=to, group_by=group_by, currency=currency, fmt=fmt
    )


@routes.collection_get(
    "/tax",
    responses=DOWNLOADS,
    summary="Tax collected with its taxable base, less credit notes: group_by rate (default: name, "
    "percentage, country; reverse charge shown with 0 tax) or country",
)
def tax(
    ctx: Ctx,
    session: Db,
    from_: From = None,
    to: To = None,
    group_by: Annotated[str | None, _group_by("rate (default) or country")] = None,
    currency: Currency = None,
    fmt: Format = "json",
) -> Response:
    return _answer(ctx, session, "tax", from_=from_, to=to, group_by=group_by, currency=currency, fmt=fmt)


@routes.collection_get(
    "/mrr",
    responses=DOWNLOADS,
    summary="Monthly recurring revenue at each month's end from active subscriptions' licensed items, ARR, "
    "opening MRR, new/expansion/contraction/churned MRR, FX effect, subscriptions and churn rate",
)
def mrr(
    ctx: Ctx,
    session: Db,
    from_: From = None,
    to: To = None,
    group_by: Annotated[str | None, _group_by("month (default)")] = None,
    currency: Currency = None,
    fmt: Format = "json",
) -> Response:
    return _answer(ctx, session, "mrr", from_=from_, to=to, group_by=group_by, currency=currency, fmt=fmt)

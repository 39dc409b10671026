"""Analytics metrics: the shipped and published declarations, publishing (YAML), validating, and each
metric's series and KPI value."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.bodies import yaml_body, yaml_content
from api.deps import Ctx, Cursor, Db, Limit
from api.envelope import REPUBLISHED, page, published, respond, success
from api.resource_routes import ResourceRoutes
from domain.analytics import service as analytics
from domain.analytics.predictions import forecast as forecasts
from domain.analytics.predictions.schemas import Forecast
from domain.analytics.schemas import SLUG, KpiValue, MetricOut, MetricSummary, Series, Validation
from domain.errors import ValidationFailed
from domain.instants import Instant
from domain.pagination import clamp_limit

router = APIRouter(prefix="/api/v1/metrics", tags=["metrics"])
routes = ResourceRoutes(router, MetricOut, item="/{name}")
Name = Annotated[str, Path(max_length=64, pattern=SLUG, description="the metric's name")]
From = Annotated[Instant, Query(alias="from", description="RFC 3339 with an offset, inclusive")]
To = Annotated[Instant, Query(alias="to", description="RFC 3339 with an offset, exclusive")]
TimeZone = Annotated[
    str | None, Query(max_length=64, description="an IANA time zone; default the tenant's, else UTC")
]
YAML_BODY = yaml_content("a metric")
FILTERS_NOTE = (
    " `filter[<dimension>]=<value>` (repeated for several values) keeps the facts whose dimension takes "
    "one of the values; only declared dimensions."
)
MAX_FILTERS = 8


def _where(request: Request) -> dict[str, list[str]]:
    """The ``filter[dimension]`` query parameters; any other unknown parameter is left alone."""
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key.startswith("filter[") and key.endswith("]"):
            out.setdefault(key[7:-1], []).append(value)
        elif key.startswith("filter"):
            raise ValidationFailed.one(key[:80], "write a filter as filter[<dimension>]=<value>")
    if len(out) > MAX_FILTERS:
        raise ValidationFailed.one("filter", f"at most {MAX_FILTERS} dimensions may be filtered on")
    return out


@routes.listing(model=list[MetricSummary], summary="Shipped and published metrics by name, a page at a time")
def list_metrics(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> JSONResponse:
    items, next_cursor = analytics.listing(session, ctx, limit=limit, cursor=cursor)
    data = [item.model_dump(mode="json") for item in items]
    return respond(page(data, limit=clamp_limit(limit), next_cursor=next_cursor))


@routes.create(
    400,
    409,
    413,
    415,
    summary="Publish a metric version (YAML body); the same content again answers 200",
    openapi_extra=YAML_BODY,
    responses=REPUBLISHED,
)
async def publish(request: Request, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    body = await yaml_body(request, "metric")

    def run() -> tuple[dict[str, Any], bool]:
        parsed, is_new = analytics.publish(session, ctx, body)
        return analytics.described(parsed, "tenant").model_dump(mode="json"), is_new

    out, is_new = await run_in_threadpool(run)
    return published(response, f"/api/v1/metrics/{out['name']}", out, is_new)


@routes.yaml_validate("a metric", Validation)
async def validate(request: Request, ctx: Ctx) -> dict[str, Any]:
    body = await yaml_body(request, "metric")
    parsed = await run_in_threadpool(analytics.validate, ctx, body)
    d = parsed.declaration
    return success(Validation(valid=True, name=d.name, version=d.version, sha256=parsed.sha256).model_dump())


@routes.read(summary="A metric's latest version: its declaration and unit")
def get_metric(name: Name, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(analytics.get(session, ctx, name).model_dump(mode="json")))


@routes.read(
    below="/series",
    model=Series,
    summary="The metric per time bucket over [from, to)",
    description=(
        "Buckets are the local hours, days, weeks (from Monday) or months of `timezone` that meet the range "
        "(a local day lasts 23 or 25 hours across a DST change); each counts only the facts inside "
        "[from, to). With `group_by` (declared dimensions, comma-separated) each bucket lists its groups."
        + FILTERS_NOTE
    ),
)
def get_series(
    name: Name,
    request: Request,
    ctx: Ctx,
    session: Db,
    start: From,
    end: To,
    grain: Annotated[str | None, Query(max_length=16, description="hour, day, week or month")] = None,
    group_by: Annotated[str | None, Query(max_length=300, description="dimensions, comma-separated")] = None,
    timezone: TimeZone = None,
) -> JSONResponse:
    out = analytics.series(
        session,
        ctx,
        name,
        start,
        end,
        grain=grain,
        group_by=group_by,
        timezone=timezone,
        where=_where(request),
    )
    return respond(success(out.model_dump(mode="json", by_alias=True)))


@routes.read(
    below="/value",
    model=KpiValue,
    summary="The metric over [from, to), the previous period of the same length, and the change",
    description="Amounts are decimal strings, durations seconds." + FILTERS_NOTE,
)
def get_value(
    name: Name, request: Request, ctx: Ctx, session: Db, start: From, end: To, timezone: TimeZone = None
) -> JSONResponse:
    out = analytics.value(session, ctx, name, start, end, timezone=timezone, where=_where(request))
    return respond(success(out.model_dump(mode="json", by_alias=True)))


@routes.read(
    409,
    below="/forecast",
    model=Forecast,
    summary="The metric's next periods forecast from its own series, with bounds and the back-tested error",
    description=(
        "A ridge regression on the trend and the season (weekday for days, month for months; weeks have a "
        "trend only), fitted on the last year of days, three years of weeks or five years of months. The "
        "first point is the current bucket. Fewer than 14 days, 8 weeks or 24 months with a figure is a 409 "
        "`insufficient_history`." + FILTERS_NOTE
    ),
)
def get_forecast(
    name: Name,
    request: Request,
    ctx: Ctx,
    session: Db,
    grain: Annotated[Literal["day", "week", "month"], Query(description="day, week or month")] = "day",
    periods: Annotated[int, Query(ge=1, le=90, description="how many buckets ahead")] = 7,
    timezone: TimeZone = None,
) -> JSONResponse:
    out = forecasts.forecast(
        session, ctx, name, grain=grain, periods=periods, timezone=timezone, where=_where(request)
    )
    return respond(success(out.model_dump(mode="json")))

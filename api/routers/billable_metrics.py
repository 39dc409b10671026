"""Billable metrics: how usage events aggregate into a billed quantity."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from api.billing_answers import Page, one_answer
from api.deps import Ctx, Db
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from domain.billing.usage import service as usage
from domain.billing.usage.schemas import MetricIn, MetricOut, UsageOut, decimal_text, metric_out
from domain.instants import Instant

router = APIRouter(prefix="/api/v1/billable-metrics", tags=["billable_metrics"])
Code = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9_]{1,64}$")]
routes = ResourceRoutes(router, MetricOut, item="/{code}")


@routes.create(
    409,
    summary="Create a metric: code [a-z0-9_]{1,64}, aggregation count|sum|max|unique_count|latest, the "
    "property aggregated as field (not for count), filters {property: [values]}",
)
def create_metric(body: MetricIn, ctx: Ctx, session: Db) -> JSONResponse:
    out = metric_out(usage.create(session, ctx, body))
    return one_answer(out, location=f"/api/v1/billable-metrics/{out['code']}")


@routes.listing(summary="List live metrics, newest first")
def list_metrics(ctx: Ctx, session: Db, *, page: Page) -> JSONResponse:
    return page.answer(usage.list_metrics(session, ctx, **page.window), metric_out)


@routes.read()
def get_metric(code: Code, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(metric_out(usage.get(session, ctx, code))))


@routes.delete(
    summary="Soft delete: events may no longer name the code (it can be created again); stored events stay"
)
def delete_metric(code: Code, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(metric_out(usage.delete(session, ctx, code))))


@routes.read(
    below="/usage",
    model=UsageOut,
    summary="The metric's value for a customer over [from, to): from inclusive, to exclusive",
)
def get_usage(
    code: Code,
    ctx: Ctx,
    session: Db,
    customer: Annotated[uuid.UUID, Query(description="a customer id")],
    start: Annotated[Instant, Query(alias="from", description="RFC 3339 with an offset, inclusive")],
    end: Annotated[Instant, Query(alias="to", description="RFC 3339 with an offset, exclusive")],
    subscription: Annotated[uuid.UUID | None, Query(description="only events sent with this id")] = None,
) -> JSONResponse:
    metric, value = usage.usage_of(session, ctx, code, customer, start, end, subscription)
    out = {
        "metric": code,
        "customer": str(customer),
        "subscription": str(subscription) if subscription else None,
        "aggregation": metric.aggregation,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "value": decimal_text(value),
    }
    return respond(success(out))

"""Billable metrics: how usage events aggregate into a billed quantity."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from api.billing_answers import Page
from api.deps import Ctx, Db
from api.envelope import Envelope, errors, respond, success
from domain.billing.usage import service as usage
from domain.billing.usage.schemas import MetricIn, MetricOut, UsageOut, decimal_text, metric_out
from domain.instants import Instant

router = APIRouter(prefix="/api/v1/billable-metrics", tags=["billable_metrics"])
Code = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9_]{1,64}$")]
ITEM = "/{code}"


@router.post(
    "",
    status_code=201,
    response_model=Envelope[MetricOut],
    responses=errors(403, 409),
    summary="Create a metric: code [a-z0-9_]{1,64}, aggregation count|sum|max|unique_count|latest, the "
    "property aggregated as field (not for count), filters {property: [values]}",
)
def create_metric(body: MetricIn, ctx: Ctx, session: Db) -> JSONResponse:
    out = metric_out(usage.create(session, ctx, body))
    return respond(
        success(out), status_code=201, headers={"Location": f"/api/v1/billable-metrics/{out['code']}"}
    )


@router.get(
    "",
    response_model=Envelope[list[MetricOut]],
    responses=errors(403),
    summary="List live metrics, newest first",
)
def list_metrics(ctx: Ctx, session: Db, *, page: Page) -> JSONResponse:
    return page.answer(usage.list_metrics(session, ctx, **page.window), metric_out)


@router.get(ITEM, response_model=Envelope[MetricOut], responses=errors(403, 404))
def get_metric(code: Code, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(metric_out(usage.get(session, ctx, code))))


@router.delete(
    ITEM,
    response_model=Envelope[MetricOut],
    responses=errors(403, 404),
    summary="Soft delete: events may no longer name the code (it can be created again); stored events stay",
)
def delete_metric(code: Code, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(metric_out(usage.delete(session, ctx, code))))


@router.get(
    ITEM + "/usage",
    response_model=Envelope[UsageOut],
    responses=errors(403, 404),
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

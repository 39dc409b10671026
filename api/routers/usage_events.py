"""Usage events, deduplicated on their transaction id."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.deps import Ctx, Db, Limit, SettingsDep
from api.envelope import Envelope, errors, page, respond, success
from domain.billing.usage import service as usage
from domain.billing.usage.schemas import MetricCode, UsageBatchIn, UsageBatchOut, UsageEventOut
from domain.instants import Instant
from domain.pagination import clamp_limit

router = APIRouter(prefix="/api/v1/usage-events", tags=["usage_events"])


@router.post(
    "",
    response_model=Envelope[UsageBatchOut],
    responses=errors(403, 413),
    summary="Report 1 to 1,000 events. The whole batch is checked first: any bad event is a 422 naming "
    "events.N.field and nothing is stored. An event is stored once per transaction_id: one sent again "
    "(a retried batch) counts as a duplicate and changes nothing. Stored when this answers 200.",
)
def ingest_events(body: UsageBatchIn, ctx: Ctx, session: Db, settings: SettingsDep) -> JSONResponse:
    result = usage.ingest(session, ctx, body, grace=timedelta(days=settings.usage_grace_days))
    return respond(success({"accepted": result.accepted, "duplicates": result.duplicates}))


@router.get(
    "",
    response_model=Envelope[list[UsageEventOut]],
    responses=errors(403, 404),
    summary="A customer's stored events, newest first (by timestamp): ?customer= (required), ?metric=, "
    "?from= (inclusive), ?to= (exclusive), ?limit=, ?cursor=",
)
def list_events(
    ctx: Ctx,
    session: Db,
    customer: Annotated[uuid.UUID, Query(description="a customer id")],
    metric: Annotated[MetricCode | None, Query(description="only this metric's events")] = None,
    start: Annotated[Instant | None, Query(alias="from", description="RFC 3339, inclusive")] = None,
    end: Annotated[Instant | None, Query(alias="to", description="RFC 3339, exclusive")] = None,
    limit: Limit = None,
    cursor: Annotated[
        str | None, Query(max_length=2048, description="meta.next_cursor of the previous page")
    ] = None,
) -> JSONResponse:
    rows, next_cursor = usage.list_events(
        session, ctx, customer, metric=metric, start=start, end=end, limit=limit, cursor=cursor
    )
    return respond(
        page([usage.event_out(e) for e in rows], limit=clamp_limit(limit), next_cursor=next_cursor)
    )

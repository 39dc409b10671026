"""Usage events, deduplicated on their transaction id."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from api.deps import Ctx, Db, Limit, SettingsDep
from api.envelope import page, respond, success
from api.resource_routes import ResourceRoutes
from domain.billing.usage import service as usage
from domain.billing.usage.ingest import MAX_REPORTED
from domain.billing.usage.schemas import MetricCode, UsageBatchIn, UsageBatchOut, UsageEventOut
from domain.billing.usage.wire import EventIn, read_events
from domain.errors import BadRequest, UnsupportedMediaType, ValidationFailed
from domain.instants import Instant
from domain.pagination import clamp_limit

router = APIRouter(prefix="/api/v1/usage-events", tags=["usage_events"])
routes = ResourceRoutes(router, UsageEventOut)


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON Schema with its nested models written in place (no ``$defs`` to resolve)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined


BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inlined(UsageBatchIn.model_json_schema())}},
    }
}


async def raw_json(request: Request) -> bytes:
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind not in ("", "application/json") and not (
        kind.startswith("application/") and kind.endswith("+json")
    ):
        raise UnsupportedMediaType("Send the events as application/json.")
    return await request.body()


def parse_batch(body: bytes) -> list[EventIn]:
    """The batch's events, parsed and checked in one pass of pydantic's compiled validator (a thousand
    events cost a fraction of parsing to Python objects first)."""
    try:
        return read_events(body)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise BadRequest("The request body is not valid JSON.") from exc
        failed = ValidationFailed.from_pydantic(exc)
        if len(failed.fields) <= MAX_REPORTED:
            raise failed from exc
        count = len(failed.fields)
        message = f"{count} problems in the batch (the first {MAX_REPORTED} listed); nothing was stored."
        raise ValidationFailed(failed.fields[:MAX_REPORTED], message) from exc


@routes.collection_post(
    "",
    400,
    413,
    415,
    model=UsageBatchOut,
    openapi_extra=BATCH_BODY,
    summary="Report 1 to 1,000 events. The whole batch is checked first: any bad event is a 422 naming "
    "events.N.field and nothing is stored. An event is stored once per transaction_id: one sent again "
    "(a retried batch) counts as a duplicate and changes nothing. Stored when this answers 200.",
)
def ingest_events(
    body: Annotated[bytes, Depends(raw_json)], ctx: Ctx, session: Db, settings: SettingsDep
) -> JSONResponse:
    ctx.require("usage:write")  # before reading the batch: a caller who may not send learns nothing more
    # Parsed here, in the request's worker thread, rather than by FastAPI on the event loop.
    events = parse_batch(body)
    result = usage.ingest(session, ctx, events, grace=timedelta(days=settings.usage_grace_days))
    return respond(success(result.model_dump()))


@routes.listing(
    404,
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

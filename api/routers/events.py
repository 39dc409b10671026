"""Events for waiting processes: to one process, or to every process waiting on a correlation key."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api import process_runtime as runtime
from api.deps import Ctx, Cursor, Db, EngineDep, Limit, TemporalDep
from api.envelope import Envelope, errors, rows_listed, success
from domain.definitions.schemas import ProcessEvent
from domain.errors import ValidationFailed
from domain.events import catalogue, patterns
from domain.events import service as events
from domain.events.schemas import EventOut
from domain.instants import Instant
from domain.processes import service as processes
from keel.search_attributes import PROCESS_ID
from workflows.dsl import DslWorkflow

router = APIRouter(prefix="/api/v1", tags=["events"])


class EventTypeOut(BaseModel):
    name: str
    description: str
    payload_schema: dict[str, Any] = Field(description="JSON Schema of the event's payload (``data``)")


class EventTypes(BaseModel):
    envelope: dict[str, Any] = Field(description="JSON Schema of the body every webhook delivery carries")
    namespaces: list[str] = Field(description="reserved: POST /api/v1/events refuses names in them")
    types: list[EventTypeOut]


class Delivery(BaseModel):
    event: str
    correlation_key: str | None
    delivered_to: list[uuid.UUID] = Field(description="the processes that received the event")


def _refuse_keel_names(name: str, correlation_key: str | None = None) -> None:
    """A posted event is outside Keel's namespaces, and named like the events subscriptions match."""
    if catalogue.is_reserved(name):
        raise ValidationFailed.one(
            "name",
            f"'{catalogue.namespace(name)}.' is a namespace of Keel's own events "
            "(GET /api/v1/event-types lists them); choose a name in another namespace",
        )
    if not patterns.is_event_type(name):
        raise ValidationFailed.one(
            "name", "must be a lower-case dotted event type of at most 128 characters (invoice.paid)"
        )
    if correlation_key is not None and not patterns.is_correlation_key(correlation_key):
        raise ValidationFailed.one(
            "correlation_key", "must be 1-255 printable characters without a double quote"
        )


@router.post(
    "/processes/{process_id}/events",
    status_code=202,
    responses=errors(403, 404, 409, 503),
    summary="Send an event to one process (names in Keel's namespaces are refused)",
)
async def to_process(
    process_id: uuid.UUID, body: ProcessEvent, ctx: Ctx, session: Db, client: TemporalDep
) -> Envelope[Delivery]:
    ctx.require("events:write")
    _refuse_keel_names(
        body.name, body.correlation_key
    )  # a process waiting for Keel's own event gets only Keel's

    process = await run_in_threadpool(processes.get_process, session, ctx, process_id)
    await runtime.signal_event(client, process, body)
    return Envelope(
        data=Delivery(event=body.name, correlation_key=body.correlation_key, delivered_to=[process.id])
    )


@router.get(
    "/event-types",
    response_model=Envelope[EventTypes],
    responses=errors(),
    summary="The events Keel emits: name, description and payload JSON Schema, and the delivery envelope",
)
def event_types(ctx: Ctx) -> dict[str, Any]:
    types = [
        EventTypeOut(name=e.name, description=e.description, payload_schema=e.payload)
        for e in catalogue.CATALOGUE.values()
    ]
    out = EventTypes(envelope=catalogue.ENVELOPE, namespaces=sorted(catalogue.NAMESPACES), types=types)
    return success(out.model_dump(mode="json"))


@router.get(
    "/events",
    responses=errors(403),
    summary="The tenant's domain events, newest first (type: exact, prefix.* or *)",
)
def list_events(
    ctx: Ctx,
    session: Db,
    type: Annotated[str | None, Query(max_length=128, description="task.completed, task.* or *")] = None,
    since: Annotated[Instant | None, Query(description="RFC 3339: events at or after this instant")] = None,
    process_id: uuid.UUID | None = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> Envelope[list[EventOut]]:
    rows, next_cursor = events.list_events(
        session, ctx, event_type=type, since=since, process_id=process_id, limit=limit, cursor=cursor
    )
    return rows_listed(EventOut, rows, limit=limit, next_cursor=next_cursor)


@router.post(
    "/events",
    status_code=202,
    response_model=Envelope[Delivery],
    responses=errors(403, 503),
    summary="Send an event to every process of the tenant waiting for it (name + correlation key)",
)
async def broadcast(body: ProcessEvent, ctx: Ctx, engine: EngineDep, client: TemporalDep) -> dict[str, Any]:
    ctx.require("events:write")
    _refuse_keel_names(body.name, body.correlation_key)

    def record(session: Session) -> None:
        event = events.emit(
            session, ctx, body.name, {"correlation_key": body.correlation_key, **body.payload}
        )
        event.processes_signalled = True  # signalled below, so the outbox dispatcher does not again

    # Its own transaction: the event is logged before any process is told, and stays logged if
    # telling them fails.
    await runtime.own_transaction(engine, ctx.tenant_id, record)
    key = f"{body.name}:{body.correlation_key}" if body.correlation_key else body.name
    delivered = []
    for execution in await runtime.waiting_for(client, ctx.tenant_id, key):
        await client.get_workflow_handle(execution.id).signal(DslWorkflow.on_event, body)
        pid = execution.typed_search_attributes.get(PROCESS_ID)
        if pid:
            delivered.append(uuid.UUID(pid))
    return success(
        Delivery(event=body.name, correlation_key=body.correlation_key, delivered_to=delivered).model_dump(
            mode="json"
        )
    )

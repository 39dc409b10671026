"""Events for waiting processes: to one process, or to every process waiting on a correlation key."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api import process_runtime as runtime
from api.deps import Ctx, EngineDep, TemporalDep
from api.envelope import Envelope, errors, success
from db.session import tenant_session
from domain.definitions.schemas import ProcessEvent
from domain.processes import service as processes
from keel import temporal as sa

router = APIRouter(prefix="/api/v1", tags=["events"])


class Delivery(BaseModel):
    event: str
    correlation_key: str | None
    delivered_to: list[uuid.UUID] = Field(description="the processes that received the event")


@router.post(
    "/processes/{process_id}/events",
    status_code=202,
    response_model=Envelope[Delivery],
    responses=errors(403, 404, 409, 503),
    summary="Send an event to one process",
)
async def to_process(
    process_id: uuid.UUID, body: ProcessEvent, ctx: Ctx, engine: EngineDep, client: TemporalDep
) -> dict[str, Any]:
    ctx.require("events:write")

    def load() -> Any:
        with tenant_session(engine, ctx.tenant_id) as session:
            return processes.get_process(session, ctx, process_id)

    process = await run_in_threadpool(load)
    await runtime.signal_event(client, process, body)
    return success(
        Delivery(event=body.name, correlation_key=body.correlation_key, delivered_to=[process.id]).model_dump(
            mode="json"
        )
    )


@router.post(
    "/events",
    status_code=202,
    response_model=Envelope[Delivery],
    responses=errors(403, 503),
    summary="Send an event to every process of the tenant waiting for it (name + correlation key)",
)
async def broadcast(body: ProcessEvent, ctx: Ctx, client: TemporalDep) -> dict[str, Any]:
    ctx.require("events:write")
    key = f"{body.name}:{body.correlation_key}" if body.correlation_key else body.name
    delivered = []
    for execution in await runtime.waiting_for(client, ctx.tenant_id, key):
        await client.get_workflow_handle(execution.id).signal("event", body)
        pid = execution.typed_search_attributes.get(sa.PROCESS_ID)
        if pid:
            delivered.append(uuid.UUID(pid))
    return success(
        Delivery(event=body.name, correlation_key=body.correlation_key, delivered_to=delivered).model_dump(
            mode="json"
        )
    )

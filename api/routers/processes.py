"""Processes: start one (a Temporal workflow), read its live state, list, cancel."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from api import process_runtime as runtime
from api.deps import Ctx, EngineDep, SettingsDep, TemporalDep
from api.envelope import Envelope, errors, page, success
from api.routers.identity import Cursor, Limit
from db.models import Process
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import Conflict, Unavailable
from domain.pagination import clamp_limit
from domain.processes import service as processes
from domain.processes.schemas import ApprovalInput, ProcessOut, ProcessStart
from keel.settings import Settings

router = APIRouter(prefix="/api/v1/processes", tags=["processes"])
StatusFilter = Literal["running", "completed", "failed", "cancelled", "terminated", "timed_out"]


def _out(process: Process, settings: Settings, live: dict[str, Any]) -> dict[str, Any]:
    return ProcessOut(
        id=process.id,
        definition=process.definition,
        business_key=process.business_key,
        workflow_id=process.workflow_id,
        input=process.input,
        started_by=process.started_by,
        temporal_ui_url=runtime.ui_link(
            settings.temporal_ui, settings.temporal_namespace, process.workflow_id
        ),
        **live,
    ).model_dump(mode="json")


def _load(engine: Any, ctx: TenantContext, process_id: uuid.UUID) -> Process:
    with tenant_session(engine, ctx.tenant_id) as session:
        return processes.get_process(session, ctx, process_id)


@router.post(
    "",
    status_code=201,
    response_model=Envelope[ProcessOut],
    responses=errors(403, 409, 503),
    summary="Start a process",
    description="Starts the definition's Temporal workflow. The workflow id is "
    "`<tenant domain>:<definition>:<business_key>`, so an operator finds it in the Temporal UI.",
)
async def start_process(
    body: ProcessStart,
    ctx: Ctx,
    engine: EngineDep,
    client: TemporalDep,
    settings: SettingsDep,
    response: Response,
) -> dict[str, Any]:
    def record() -> tuple[Process, ApprovalInput]:
        with tenant_session(engine, ctx.tenant_id) as session:
            parsed = processes.validate_start(session, ctx, body)
            return processes.create_process(session, ctx, body, parsed), parsed

    process, parsed = await run_in_threadpool(record)
    # Only after the commit: start the workflow; undo the row if Temporal refuses, so a retry can succeed.
    try:
        await runtime.start(client, settings.temporal_task_queue, process, parsed, ctx.tenant_domain)
    except (WorkflowAlreadyStartedError, RPCError) as exc:

        def discard() -> None:
            with tenant_session(engine, ctx.tenant_id) as session:
                processes.discard_unstarted(session, ctx, process.id)

        await run_in_threadpool(discard)
        if isinstance(exc, WorkflowAlreadyStartedError):
            raise Conflict(f"A workflow {process.workflow_id} is already running.") from exc
        raise Unavailable("Temporal did not accept the process; nothing was started.") from exc
    response.headers["Location"] = f"/api/v1/processes/{process.id}"
    started = {"status": "running", "state": {"phase": "starting"}, "started_at": process.created_at}
    return success(_out(process, settings, started))


@router.get(
    "",
    response_model=Envelope[list[ProcessOut]],
    responses=errors(403, 503),
    summary="List processes (from Temporal visibility)",
)
async def list_processes(
    ctx: Ctx,
    client: TemporalDep,
    definition: Annotated[str | None, Query(max_length=64)] = None,
    status: StatusFilter | None = None,
    business_key: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    ctx.require("processes:read")
    size = clamp_limit(limit)
    items, next_cursor = await runtime.list_page(
        client,
        ctx.tenant_id,
        definition=definition,
        status=status,
        business_key=business_key,
        limit=size,
        cursor=cursor,
    )
    return page(items, limit=size, next_cursor=next_cursor)


@router.get("/{process_id}", response_model=Envelope[ProcessOut], responses=errors(403, 404, 503))
async def get_process(
    process_id: uuid.UUID, ctx: Ctx, engine: EngineDep, client: TemporalDep, settings: SettingsDep
) -> dict[str, Any]:
    process = await run_in_threadpool(_load, engine, ctx, process_id)
    return success(_out(process, settings, await runtime.describe(client, process)))


@router.post(
    "/{process_id}/cancel",
    status_code=202,
    response_model=Envelope[ProcessOut],
    responses=errors(403, 404, 409, 503),
    summary="Request cancellation; open tasks are closed as cancelled",
)
async def cancel_process(
    process_id: uuid.UUID, ctx: Ctx, engine: EngineDep, client: TemporalDep, settings: SettingsDep
) -> dict[str, Any]:
    ctx.require("processes:cancel")

    def load_and_audit() -> Process:
        with tenant_session(engine, ctx.tenant_id) as session:
            process = processes.get_process(session, ctx, process_id)
            processes.record_cancel_request(session, ctx, process)
            return process

    process = await run_in_threadpool(_load, engine, ctx, process_id)
    await runtime.cancel(client, process)
    await run_in_threadpool(load_and_audit)
    return success(
        _out(process, settings, await runtime.describe(client, process, with_state=False)),
        message="Cancellation requested.",
    )

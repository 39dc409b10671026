"""Processes: start one (a Temporal workflow), read its live state, list, cancel."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.common import WorkflowIDReusePolicy

from api import process_runtime as runtime
from api.deps import CatalogDep, Ctx, Cursor, Db, EngineDep, LauncherDep, Limit, SettingsDep, TemporalDep
from api.envelope import created, page, success
from api.resource_routes import ResourceRoutes
from db.models import Process
from domain.context import TenantContext
from domain.decisions import references as decision_references
from domain.definitions import service as definitions
from domain.definitions.inputs import check_input
from domain.definitions.schemas import DslRun
from domain.definitions.service import Catalog
from domain.errors import NotFound, ValidationFailed
from domain.pagination import clamp_limit
from domain.processes import service as processes
from domain.processes.schemas import BUSINESS_KEY, ProcessOut, ProcessStart
from keel.settings import Settings
from workflows.dsl import DslWorkflow

router = APIRouter(prefix="/api/v1/processes", tags=["processes"])
# Every route asks Temporal too: 503 when it does not answer.
routes = ResourceRoutes(router, ProcessOut, item="/{process_id}", answers=(403, 503))
StatusFilter = Literal["running", "completed", "failed", "cancelled", "terminated", "timed_out"]


# The process row's columns that ProcessOut answers under the same name.
_ROW_FIELDS = ("id", "definition", "business_key", "workflow_id", "input", "started_by")


def _out(process: Process, settings: Settings, live: dict[str, Any]) -> dict[str, Any]:
    """The process as recorded, with ``live`` (status, times, state: from Temporal) and its UI link."""
    row = {name: getattr(process, name) for name in _ROW_FIELDS}
    link = runtime.ui_link(settings.temporal_ui, settings.temporal_namespace, process.workflow_id)
    out = ProcessOut(**row, version=process.definition_version, temporal_ui_url=link, **live)
    return out.model_dump(mode="json")


def _record_start(
    session: Session, ctx: TenantContext, catalog: Catalog, body: ProcessStart
) -> tuple[Process, DslRun]:
    """Validate, write the process row, and build the interpreter's input: every start runs a YAML
    definition, the approval chain (definitions/approval.yaml) included."""
    ctx.require("processes:start")
    try:
        resolved = definitions.resolve(session, ctx, catalog, body.definition, body.version)
    except NotFound as exc:
        field = (
            "version"
            if body.version is not None and body.definition in _names(session, ctx, catalog)
            else "definition"
        )
        raise ValidationFailed.one(field, f"unknown {exc.message.removesuffix(' not found')}") from exc
    check_input(resolved.definition, body.input, lambda who: processes.assignee_exists(session, ctx, who))
    subdefinitions = definitions.bundle(session, ctx, catalog, resolved.definition)
    # Decision tables are pinned with the subprocess definitions: a version published later changes nothing.
    decisions = decision_references.pin(session, ctx, [resolved.definition, *subdefinitions.values()])
    process = processes.create_process(
        session, ctx, body, body.input, version=resolved.definition.version, sha256=resolved.parsed.sha256
    )
    return process, definitions.run_of(ctx, process, resolved.definition, subdefinitions, decisions)


def _names(session: Session, ctx: TenantContext, catalog: Catalog) -> set[str]:
    return {item["name"] for item in definitions.listing(session, ctx, catalog)}


@routes.create(
    409,
    summary="Start a process",
    description="Starts the definition's Temporal workflow. The workflow id is "
    "`<tenant domain>:<definition>:<business_key>`, so an operator finds it in the Temporal UI. 503 "
    "`service_unavailable` when Temporal does not accept the start: nothing is recorded, retry.",
)
async def start_process(
    body: ProcessStart,
    ctx: Ctx,
    launcher: LauncherDep,
    settings: SettingsDep,
    catalog: CatalogDep,
    response: Response,
) -> dict[str, Any]:
    def record(session: Session) -> tuple[Process, list[runtime.Start]]:
        process, run = _record_start(session, ctx, catalog, body)
        start = runtime.Start(
            DslWorkflow.run,
            run,
            process.workflow_id,
            # A business key may be used again once its earlier process has closed.
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            search_attributes=runtime.process_attributes(process),
        )
        return process, [start]

    def discard(session: Session, process: Process) -> None:
        processes.discard_unstarted(session, ctx, process.id)

    process = await launcher.record_then_start(ctx, record, discard)
    started = {"status": "running", "state": {"phase": "starting"}, "started_at": process.created_at}
    return created(response, f"/api/v1/processes/{process.id}", _out(process, settings, started))


@routes.listing(summary="List processes (from Temporal visibility)")
async def list_processes(
    ctx: Ctx,
    client: TemporalDep,
    definition: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")] = None,
    status: StatusFilter | None = None,
    business_key: Annotated[str | None, Query(max_length=200, pattern=BUSINESS_KEY.pattern)] = None,
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


WAIT = Query(
    ge=0,
    le=60,
    description="Seconds to wait for the process to end before answering (a long poll: one request "
    "instead of polling); absent or 0 answers at once.",
)


@routes.read()
async def get_process(
    process_id: uuid.UUID,
    ctx: Ctx,
    engine: EngineDep,
    client: TemporalDep,
    settings: SettingsDep,
    wait: Annotated[float, WAIT] = 0,
) -> dict[str, Any]:
    # The row in a short transaction of its own: no connection is held while Temporal answers.
    process = await runtime.own_transaction(
        engine, ctx.tenant_id, lambda session: processes.get_process(session, ctx, process_id)
    )
    if wait:
        await runtime.until_closed(client, process, wait)
    return success(_out(process, settings, await runtime.describe(client, process)))


@routes.post(
    "/cancel", 409, status_code=202, summary="Request cancellation; open tasks are closed as cancelled"
)
async def cancel_process(
    process_id: uuid.UUID,
    ctx: Ctx,
    session: Db,
    engine: EngineDep,
    client: TemporalDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    ctx.require("processes:cancel")
    process = await run_in_threadpool(processes.get_process, session, ctx, process_id)
    await runtime.cancel(client, process)
    # Its own transaction: Temporal has the cancellation, so its audit stays even if the describe
    # that follows fails.
    await runtime.own_transaction(
        engine, ctx.tenant_id, lambda audit: processes.record_cancel_request(audit, ctx, process.id)
    )
    return success(
        _out(process, settings, await runtime.describe(client, process, with_state=False)),
        message="Cancellation requested.",
    )

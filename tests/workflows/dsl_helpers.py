"""Running YAML definitions on the time-skipping server with real activities and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import yaml
from sqlalchemy import Engine
from temporalio.client import Client, WorkflowHandle

from db.session import tenant_session
from domain.context import TenantContext
from domain.definitions import service as definitions
from domain.definitions.model import Definition
from domain.definitions.schemas import DslResult, DslState
from domain.processes import service as processes
from domain.processes.schemas import Decision, ProcessStart


def definition(text: str) -> Definition:
    return Definition.model_validate(yaml.safe_load(text))


async def start_dsl(
    client: Client,
    engine: Engine,
    tenant: Any,
    task_queue: str,
    source: str,
    input: dict[str, Any] | None = None,
    subdefinitions: dict[str, Definition] | None = None,
    **extra: Any,
) -> tuple[uuid.UUID, WorkflowHandle[Any, Any]]:
    d = definition(source)
    key = f"K-{uuid.uuid4().hex[:8]}"
    start = ProcessStart(definition=d.name, business_key=key, input=input or {})
    # The process row as the API records it (audit, ``process.started``), without its catalog lookup.
    with tenant_session(engine, tenant.id) as session:
        ctx = TenantContext.system(tenant.id, tenant.domain)
        process = processes.create_process(session, ctx, start, start.input, version=d.version)
        pid, workflow_id = process.id, process.workflow_id
        run = definitions.run_of(ctx, process, d, subdefinitions).model_copy(update=extra)
    handle = await client.start_workflow(
        "dsl", run, id=workflow_id, task_queue=task_queue, result_type=DslResult
    )
    return pid, handle


async def state_of(handle: WorkflowHandle[Any, Any]) -> DslState:
    return await handle.query("state", result_type=DslState)


async def until(handle: WorkflowHandle[Any, Any], predicate: Any, timeout: float = 10.0) -> DslState:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        state = await state_of(handle)
        if predicate(state):
            return state
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"state never matched: {state}")
        await asyncio.sleep(0.05)


async def decide(
    handle: WorkflowHandle[Any, Any], task_id: uuid.UUID, outcome: str, keys: list[str], **kw: Any
) -> Decision:
    return await handle.execute_update(
        "decide", Decision(task_id=task_id, outcome=outcome, assignee_keys=keys, **kw), result_type=Decision
    )

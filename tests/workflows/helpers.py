"""Shared set-up for workflow tests: a tenant with roles and users, and a started approval."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from temporalio.client import Client, ScheduleActionExecutionStartWorkflow, ScheduleHandle, WorkflowHandle

from db.session import tenant_session
from domain.context import TenantContext
from domain.identity import service as identity
from domain.identity.schemas import RoleCreate, UserCreate
from domain.processes import service as processes
from domain.processes.schemas import ApprovalInput, ApprovalRun, ApprovalState, ProcessStart
from workflows.approval import ApprovalWorkflow


def seed_people(engine: Engine, tenant_id: uuid.UUID, domain: str) -> dict[str, str]:
    """Roles manager/director and users alice (manager), dora (director), cfo. Returns emails."""
    ctx = TenantContext.system(tenant_id, domain)
    people: dict[str, str | None] = {"alice": "manager", "dora": "director", "cfo": None}
    with tenant_session(engine, tenant_id) as session:
        for role in ("manager", "director"):
            identity.create_role(
                session, ctx, RoleCreate(name=role, permissions=["tasks:read", "tasks:complete"])
            )
        for name, held in people.items():
            identity.create_user(
                session,
                ctx,
                UserCreate(
                    email=f"{name}@{domain}", password="correct-horse-1", roles=[held] if held else []
                ),
            )
    return {name: f"{name}@{domain}" for name in people}


async def start_approval(
    client: Client, engine: Engine, tenant_id: uuid.UUID, domain: str, task_queue: str, input: dict[str, Any]
) -> tuple[uuid.UUID, WorkflowHandle[ApprovalWorkflow, Any]]:
    ctx = TenantContext.system(tenant_id, domain)
    start = ProcessStart(definition="approval", business_key=f"PO-{uuid.uuid4().hex[:6]}", input=input)
    # Started directly: the API starts definitions/approval.yaml, this workflow only serves old processes.
    parsed = ApprovalInput.model_validate(input)
    with tenant_session(engine, tenant_id) as session:
        process = processes.create_process(session, ctx, start, parsed.model_dump(mode="json"))
    run = ApprovalRun(
        tenant_id=tenant_id,
        tenant_domain=domain,
        process_id=process.id,
        business_key=process.business_key,
        input=parsed,
    )
    handle = await client.start_workflow(
        ApprovalWorkflow.run, run, id=process.workflow_id, task_queue=task_queue
    )
    return process.id, handle


async def wait_for_state(
    handle: WorkflowHandle[Any, Any], predicate: Any, timeout: float = 10.0
) -> ApprovalState:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        state = await handle.query(ApprovalWorkflow.state)
        if predicate(state):
            return state
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"state never matched: {state}")
        await asyncio.sleep(0.05)


HISTORIES = Path(__file__).parents[1] / "replay" / "histories"


async def record_history(handle: WorkflowHandle[Any, Any], name: str) -> None:
    """With KEEL_RECORD_HISTORIES=1, keep this run's history for the replay test."""
    if os.environ.get("KEEL_RECORD_HISTORIES") == "1":
        history = await handle.fetch_history()
        (HISTORIES / f"{name}.json").write_text(history.to_json())


async def run_on(
    client: Client, handle: ScheduleHandle, queue: str, before: int
) -> ScheduleActionExecutionStartWorkflow:
    """The run the trigger started on ``queue``: a tick of the 10 s interval that came before the
    pause (on the first queue, under load) is also a recent action, and no worker serves it."""
    for _ in range(300):
        for recent in (await handle.describe()).info.recent_actions[before:]:
            run = recent.action
            assert isinstance(run, ScheduleActionExecutionStartWorkflow)
            info = await client.get_workflow_handle(
                run.workflow_id, run_id=run.first_execution_run_id
            ).describe()
            if info.task_queue == queue:
                return run
        await asyncio.sleep(0.1)
    raise AssertionError("the triggered run never started on the worker's queue")

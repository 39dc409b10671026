"""What the API asks of Temporal: start (after the commit, or undo), describe, query, list, cancel and
decide, always through the workflow classes' typed methods (their names are in ``workflows.contracts``)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import (
    Client,
    WorkflowExecution,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowUpdateFailedError,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.types import MethodAsyncSingleParam

from db.models import Process
from db.session import tenant_session
from domain import cursors
from domain.context import TenantContext
from domain.definitions.schemas import ProcessEvent
from domain.errors import Conflict, PermissionDenied, Unavailable, ValidationFailed
from domain.processes.schemas import Decision, ProcessOut
from keel.search_attributes import BUSINESS_KEY, DEFINITION, PROCESS_ID, TENANT
from keel.visibility import escape as _escape
from keel.visibility import waiting_for as waiting_for
from workflows.approval import ApprovalWorkflow
from workflows.dsl import DslWorkflow

STATUS_NAMES = {
    WorkflowExecutionStatus.RUNNING: "running",
    WorkflowExecutionStatus.COMPLETED: "completed",
    WorkflowExecutionStatus.FAILED: "failed",
    WorkflowExecutionStatus.CANCELED: "cancelled",
    WorkflowExecutionStatus.TERMINATED: "terminated",
    WorkflowExecutionStatus.CONTINUED_AS_NEW: "running",
    WorkflowExecutionStatus.TIMED_OUT: "timed_out",
}
VISIBILITY_STATUS = {
    "running": "Running",
    "completed": "Completed",
    "failed": "Failed",
    "cancelled": "Canceled",
    "terminated": "Terminated",
    "timed_out": "TimedOut",
}
RPC_TIMEOUT = timedelta(seconds=5)
CONCURRENCY = 16  # workflows started at once for one request (a booking series)


def ui_link(ui_base: str, namespace: str, workflow_id: str) -> str:
    return f"{ui_base}/namespaces/{namespace}/workflows/{quote(workflow_id, safe='')}"


def process_attributes(process: Process) -> TypedSearchAttributes:
    """What the process list filters on (Temporal visibility)."""
    return TypedSearchAttributes(
        [
            SearchAttributePair(TENANT, str(process.tenant_id)),
            SearchAttributePair(DEFINITION, process.definition),
            SearchAttributePair(BUSINESS_KEY, process.business_key),
            SearchAttributePair(PROCESS_ID, str(process.id)),
        ]
    )


def _is_dsl(process: Process) -> bool:
    """A YAML definition's process (run by the interpreter). The other kind is an approval started by
    the code workflow before every start went through the interpreter: still queried, decided and
    cancelled until it closes."""
    return process.definition_version is not None


async def until_closed(client: Client, process: Process, seconds: float) -> None:
    """Up to ``seconds`` for the process to end: Temporal's long poll on its history, no query to the
    worker, so a client that waits for the outcome asks once instead of polling (each poll of a
    running process is a query the worker answers). Whatever ends the wait, ``describe`` says why."""
    handle = client.get_workflow_handle(process.workflow_id)
    with contextlib.suppress(Exception):  # timed out, failed, Temporal unreachable: not for us to say
        await asyncio.wait_for(handle.result(), timeout=seconds)


async def describe(client: Client, process: Process, *, with_state: bool = True) -> dict[str, Any]:
    """Status, times, live state (the workflow's ``state`` query) and the result or error of one process."""
    handle = client.get_workflow_handle(process.workflow_id)  # no run id: follows continue-as-new
    try:
        desc = await handle.describe(rpc_timeout=RPC_TIMEOUT)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return {"status": "failed", "error": "the workflow execution no longer exists in Temporal"}
        raise Unavailable("Temporal did not answer.") from exc
    status = STATUS_NAMES.get(desc.status or WorkflowExecutionStatus.RUNNING, "running")
    out: dict[str, Any] = {"status": status, "started_at": desc.start_time, "closed_at": desc.close_time}
    if status == "completed":
        result = await handle.result(rpc_timeout=RPC_TIMEOUT)
        # A YAML process answers its definition's output; a code workflow its own result.
        is_yaml = process.definition_version is not None and isinstance(result, dict)
        out["result"] = result.get("output") if is_yaml else result
        final_state = result.get("state") if is_yaml else None
        if with_state and final_state is not None:  # as the run ended: no replay to query it
            out["state"], with_state = final_state, False
    if with_state:
        try:
            query = DslWorkflow.query_state if _is_dsl(process) else ApprovalWorkflow.state
            state: BaseModel = await handle.query(query, rpc_timeout=RPC_TIMEOUT)
            out["state"] = state.model_dump(mode="json")
        except Exception:  # no worker right now (or a closed run it cannot replay): the rest still answers
            out["state"] = None
    if status == "failed":
        try:
            await handle.result(rpc_timeout=RPC_TIMEOUT)
        except WorkflowFailureError as exc:
            cause = exc.cause
            kind = cause.type if isinstance(cause, ApplicationError) and cause.type else "Failure"
            out["error"] = f"{kind}: {cause.message if isinstance(cause, ApplicationError) else cause or exc}"
    return out


async def signal_event(client: Client, process: Process, event: ProcessEvent) -> None:
    handle = client.get_workflow_handle(process.workflow_id)
    try:
        desc = await handle.describe(rpc_timeout=RPC_TIMEOUT)
        if desc.status != WorkflowExecutionStatus.RUNNING:
            raise Conflict("The process is no longer running.")
        await handle.signal(DslWorkflow.on_event, event, rpc_timeout=RPC_TIMEOUT)
    except RPCError as exc:
        raise Unavailable("Temporal did not answer.") from exc


async def list_page(
    client: Client,
    tenant_id: uuid.UUID,
    *,
    definition: str | None,
    status: str | None,
    business_key: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    clauses = [f"{TENANT.name} = '{tenant_id}'"]
    if definition:
        clauses.append(f"{DEFINITION.name} = '{_escape(definition)}'")
    if business_key:
        clauses.append(f"{BUSINESS_KEY.name} = '{_escape(business_key)}'")
    if status:
        clauses.append(f"ExecutionStatus = '{VISIBILITY_STATUS[status]}'")
    # Signed: a cursor Temporal never issued is refused here, not after a visibility round trip.
    token = cursors.unseal("processes", cursor) if cursor is not None else None
    iterator = client.list_workflows(" AND ".join(clauses), page_size=limit, next_page_token=token)
    try:
        await iterator.fetch_next_page()
    except RPCError as exc:
        if exc.status == RPCStatusCode.INVALID_ARGUMENT:
            raise ValidationFailed.one("cursor", "is not a cursor this API returned") from exc
        raise Unavailable("Temporal visibility did not answer.") from exc
    items = [_summary(execution) for execution in iterator.current_page or []]
    next_token = iterator.next_page_token
    return items, cursors.seal("processes", next_token) if next_token else None


def _summary(execution: WorkflowExecution) -> dict[str, Any]:
    attrs = execution.typed_search_attributes
    return ProcessOut(
        id=uuid.UUID(attrs.get(PROCESS_ID) or str(uuid.UUID(int=0))),
        definition=attrs.get(DEFINITION) or execution.workflow_type,
        business_key=attrs.get(BUSINESS_KEY) or "",
        workflow_id=execution.id,
        status=STATUS_NAMES.get(execution.status or WorkflowExecutionStatus.RUNNING, "running"),
        started_at=execution.start_time,
        closed_at=execution.close_time,
    ).model_dump(mode="json", exclude_none=True)


async def cancel(client: Client, process: Process) -> None:
    handle = client.get_workflow_handle(process.workflow_id)
    desc = await handle.describe(rpc_timeout=RPC_TIMEOUT)
    if desc.status != WorkflowExecutionStatus.RUNNING:
        status = STATUS_NAMES.get(desc.status or WorkflowExecutionStatus.RUNNING, "closed")
        raise Conflict(f"The process is already {status}.", {"process_status": status})
    await handle.cancel(rpc_timeout=RPC_TIMEOUT)


async def decide(client: Client, process: Process, decision: Decision) -> Decision:
    """Send the decision as a Temporal update: the workflow's validator accepts or refuses it at once."""
    handle = client.get_workflow_handle(process.workflow_id)
    try:
        # temporalio types a named async update as returning its coroutine: typed as Any to call it.
        update: Any = DslWorkflow.decide if _is_dsl(process) else ApprovalWorkflow.decide
        result: Decision = await handle.execute_update(update, decision, rpc_timeout=timedelta(seconds=30))
        return result
    except WorkflowUpdateFailedError as exc:
        cause = exc.cause
        if isinstance(cause, ApplicationError) and cause.type == "NotAssignee":
            raise PermissionDenied(cause.message) from exc
        message = cause.message if isinstance(cause, ApplicationError) else "The decision was refused."
        raise Conflict(message) from exc
    except RPCError as exc:
        if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
            raise Conflict("The process is no longer running.") from exc
        raise Unavailable("Temporal did not answer.") from exc


@dataclass(frozen=True)
class Start:
    """One workflow to start: its typed ``run`` method, its input and its id."""

    workflow: MethodAsyncSingleParam[Any, Any, Any]
    argument: Any
    workflow_id: str
    id_reuse_policy: WorkflowIDReusePolicy = WorkflowIDReusePolicy.REJECT_DUPLICATE
    search_attributes: TypedSearchAttributes | None = None


UNSTARTED = "Temporal did not accept the request; nothing was recorded."


async def start_or_undo(
    client: Client,
    task_queue: str,
    starts: Sequence[Start],
    *,
    undo: Callable[[], None],
    started_undo: Callable[[list[str]], Awaitable[None]] | None = None,
) -> None:
    """Start the workflows of rows the request has just committed (only after the commit, so a
    workflow never sees a row that could still roll back).

    If any start fails, ``undo`` removes the rows (in a thread), ``started_undo`` gets the ids of those
    that did start (to stop them), and the answer is 503 ``service_unavailable`` when Temporal refused
    or did not answer (already started, RPC error): the request changed nothing, so a retry can
    succeed. Any other error is re-raised after the undo. At most ``CONCURRENCY`` starts run at once.
    """
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(start: Start) -> BaseException | None:
        async with gate:
            try:
                await client.start_workflow(
                    start.workflow,
                    start.argument,
                    id=start.workflow_id,
                    task_queue=task_queue,
                    id_reuse_policy=start.id_reuse_policy,
                    search_attributes=start.search_attributes,
                    rpc_timeout=RPC_TIMEOUT,
                )
            except Exception as exc:
                return exc
            return None

    failures = await asyncio.gather(*(one(start) for start in starts))
    failed = [f for f in failures if f is not None]
    if not failed:
        return
    await run_in_threadpool(undo)
    started = [s.workflow_id for s, f in zip(starts, failures, strict=True) if f is None]
    if started and started_undo is not None:
        await started_undo(started)
    if all(isinstance(f, WorkflowAlreadyStartedError | RPCError) for f in failed):
        raise Unavailable(UNSTARTED) from failed[0]
    raise failed[0]


T = TypeVar("T")


async def own_transaction(engine: Engine, tenant_id: uuid.UUID, work: Callable[[Session], T]) -> T:
    """``work`` in a tenant transaction of its own, on a worker thread, committed when it returns.

    Not the request's unit of work: what a workflow reads must be committed before Temporal is
    called, and what must stay even if the Temporal call fails must be committed before it."""

    def run() -> T:
        with tenant_session(engine, tenant_id) as session:
            return work(session)

    return await run_in_threadpool(run)


@dataclass(frozen=True)
class Launcher:
    """Record rows, commit, then start their workflows, or undo the rows."""

    engine: Engine
    client: Client
    task_queue: str

    async def record_then_start(
        self,
        ctx: TenantContext,
        record: Callable[[Session], tuple[T, Sequence[Start]]],
        discard: Callable[[Session, T], None],
        *,
        started_undo: Callable[[list[str]], Awaitable[None]] | None = None,
    ) -> T:
        """``record`` writes the rows in a transaction of its own, committed before the workflows it
        asks for start (they read the rows). If one cannot start, ``discard`` removes the rows in
        another transaction and ``start_or_undo`` answers 503. What ``record`` made is returned."""
        recorded, starts = await own_transaction(self.engine, ctx.tenant_id, record)

        def undo() -> None:
            with tenant_session(self.engine, ctx.tenant_id) as session:
                discard(session, recorded)

        await start_or_undo(self.client, self.task_queue, starts, undo=undo, started_undo=started_undo)
        return recorded

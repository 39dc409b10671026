"""Processes and their human tasks: the rows the approval workflow's activities maintain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Process, SlaBreach, Task
from domain.audit import service as audit
from domain.context import TenantContext
from domain.deliveries import service as deliveries
from domain.entities import safeschema
from domain.errors import FieldError
from domain.events import service as events
from domain.identity import service as identity
from domain.pagination import paginate
from domain.processes.errors import Conflict, NotFound, PermissionDenied, TaskClosed, ValidationFailed
from domain.processes.schemas import (
    ChildProcess,
    Decision,
    ProcessStart,
    TaskCreate,
    TaskEscalate,
    TaskExpire,
)
from domain.queries import find, get_or_404, live, mine

TASKS_CHANNEL = "keel_tasks"  # a trigger NOTIFYs it with the tenant id whenever a task is written
TASK_FIELDS = ["assignee", "status", "outcome", "comment", "due_at", "escalation_level"]


def _event(
    session: Session, ctx: TenantContext, event_type: str, process_id: uuid.UUID, **payload: Any
) -> None:
    """A domain event in the outbox, in the transaction of the change it reports."""
    body = {"process_id": str(process_id), **{k: _jsonable(v) for k, v in payload.items()}}
    events.emit(session, ctx, event_type, body, process_id=process_id)


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def workflow_id(tenant_domain: str, definition: str, business_key: str) -> str:
    """Readable in the Temporal UI: ``acme.test:approval:PO-1``."""
    return f"{tenant_domain}:{definition}:{business_key}"


# -- starting --------------------------------------------------------------------------------
def assignee_exists(session: Session, ctx: TenantContext, assignee: str) -> bool:
    kind, _, name = assignee.partition(":")
    if kind == "user":
        return identity.find_user_by_email(session, ctx, name) is not None
    return identity.role_exists(session, ctx, name)


def create_process(
    session: Session,
    ctx: TenantContext,
    data: ProcessStart,
    input_: dict[str, Any],
    *,
    version: int | None = None,
    sha256: str | None = None,
) -> Process:
    process_id = uuid.uuid4()
    business_key = data.business_key or str(process_id)
    existing = session.scalar(
        select(Process.id).where(
            *mine(ctx, Process),
            Process.definition == data.definition,
            Process.business_key == business_key,
        )
    )
    if existing:
        raise Conflict(
            f"A {data.definition} process with business key {business_key} already exists.",
            {"process_id": str(existing)},
        )
    process = Process.new(
        ctx,
        id=process_id,
        definition=data.definition,
        business_key=business_key,
        workflow_id=workflow_id(ctx.tenant_domain, data.definition, business_key),
        input=input_,
        definition_version=version,
        definition_sha256=sha256,
        started_by=ctx.user_id,
    )
    session.add(process)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"A {data.definition} process with business key {business_key} already exists."
        ) from exc
    audited = {
        "definition": [None, data.definition],
        "version": [None, version],
        "business_key": [None, business_key],
    }
    _started(session, ctx, process, audited, started_by=ctx.user_id)
    return process


def _started(
    session: Session, ctx: TenantContext, process: Process, audited: dict[str, Any], **extra: Any
) -> None:
    """Audit a new process row (``audited`` is the audit's diff) and emit ``process.started``."""
    audit.record(session, ctx, "process.started", "process", process.id, audited)
    _event(
        session,
        ctx,
        "process.started",
        process.id,
        definition=process.definition,
        version=process.definition_version,
        business_key=process.business_key,
        **extra,
    )


def discard_unstarted(session: Session, ctx: TenantContext, process_id: uuid.UUID) -> None:
    """The workflow could not be started: the row must not block a retry, so it also gives up its
    workflow id (unique across rows, deleted ones included)."""
    session.execute(
        update(Process)
        .where(Process.id == process_id, *mine(ctx, Process, deleted=True))
        .values(deleted_at=datetime.now().astimezone(), workflow_id=f"discarded:{process_id}")
    )
    audit.record(session, ctx, "process.start_failed", "process", process_id, {})
    _event(session, ctx, "process.start_failed", process_id)


def get_process(session: Session, ctx: TenantContext, process_id: uuid.UUID) -> Process:
    ctx.require("processes:read")
    return get_or_404(session, ctx, Process, process_id, "process")


# -- tasks (called from activities) -----------------------------------------------------------
def _notify(
    session: Session, ctx: TenantContext, assignee: str, kind: str, title: str, data: dict[str, str]
) -> int:
    return deliveries.notify(session, ctx, [assignee], kind=kind, title=title, data=data)


def create_task(session: Session, ctx: TenantContext, data: TaskCreate) -> Task:
    """Idempotent: an activity retry finds the task it already created."""
    step_key = data.step_key or str(data.step)
    existing = session.scalar(
        select(Task).where(Task.process_id == data.process_id, Task.step_key == step_key)
    )
    if existing:
        return existing
    given = data.model_dump(
        exclude={"task_id", "tenant_id", "step_key"}
    )  # process, step, title, assignee, due, data
    task = Task(**given, id=data.task_id, tenant_id=ctx.tenant_id, step_key=step_key, status="open")
    session.add(task)
    session.flush()
    _audit_task(session, ctx, "task.created", task, None)
    _notify(
        session,
        ctx,
        task.assignee,
        "task.assigned",
        f"Task to do: {task.title}",
        {"task_id": str(task.id), "process_id": str(task.process_id)},
    )
    _task_event(session, ctx, "task.assigned", task)
    return task


def _audit_task(
    session: Session, ctx: TenantContext, action: str, task: Task, before: dict[str, Any] | None
) -> None:
    """Audit a task change as the diff of its TASK_FIELDS from ``before`` (None: it is new)."""
    audit.record(session, ctx, action, "task", task.id, audit.diff(before, audit.snapshot(task, TASK_FIELDS)))


def _task_event(session: Session, ctx: TenantContext, event_type: str, task: Task, **extra: Any) -> None:
    _event(
        session,
        ctx,
        event_type,
        task.process_id,
        task_id=task.id,
        title=task.title,
        assignee=task.assignee,
        status=task.status,
        outcome=task.outcome,
        due_at=task.due_at,
        **extra,
    )


def _task_for_update(session: Session, ctx: TenantContext, task_id: uuid.UUID) -> Task:
    return get_or_404(session, ctx, Task, task_id, "task", for_update=True)


def complete_task(session: Session, ctx: TenantContext, decision: Decision) -> Task:
    task = _task_for_update(session, ctx, decision.task_id)
    if task.status == "completed" and task.outcome == decision.outcome:
        return task  # an activity retry
    if task.status != "open":
        raise TaskClosed(task.status)
    before = audit.snapshot(task, TASK_FIELDS)
    task.status = "completed"
    task.outcome = decision.outcome
    task.comment = decision.comment
    if decision.data is not None:
        task.data = {**task.data, "submission": decision.data}
    task.completed_by = decision.user_id
    task.completed_at = decision.decided_at
    session.flush()
    _audit_task(session, ctx, "task.completed", task, before)
    _task_event(session, ctx, "task.completed", task, completed_by=decision.user_id, comment=decision.comment)
    return task


def _breach(
    session: Session,
    ctx: TenantContext,
    task: Task,
    due_at: datetime,
    breached_at: datetime,
    action: str,
    detail: str,
) -> None:
    outcome = {"action": action, "detail": detail}  # what Keel did, in the event and in the row
    _task_event(session, ctx, "sla.breached", task, breached_at=breached_at, breach_due_at=due_at, **outcome)
    session.add(
        SlaBreach.new(
            task,
            task_id=task.id,
            process_id=task.process_id,
            due_at=due_at,
            breached_at=breached_at,
            **outcome,
        )
    )


def escalate_task(session: Session, ctx: TenantContext, data: TaskEscalate) -> Task:
    task = _task_for_update(session, ctx, data.task_id)
    if task.status != "open":
        raise TaskClosed(task.status)
    if task.assignee == data.assignee and task.escalation_level > 0:
        return task  # an activity retry
    before = audit.snapshot(task, TASK_FIELDS)
    detail = f"reassigned from {task.assignee} to {data.assignee}"
    _breach(session, ctx, task, data.due_at, data.breached_at, "escalated", detail)
    previous = task.assignee
    task.assignee = data.assignee
    task.escalation_level += 1
    task.due_at = data.new_due_at
    session.flush()
    _audit_task(session, ctx, "task.escalated", task, before)
    if data.notify:
        _notify(
            session,
            ctx,
            data.assignee,
            "task.escalated",
            f"Escalated to you: {task.title}",
            {"task_id": str(task.id), "process_id": str(task.process_id), "previous_assignee": previous},
        )
    _task_event(session, ctx, "task.assigned", task, escalated_from=previous)
    return task


def expire_task(session: Session, ctx: TenantContext, data: TaskExpire) -> Task:
    task = _task_for_update(session, ctx, data.task_id)
    if task.status == "expired":
        return task
    if task.status != "open":
        raise TaskClosed(task.status)
    before = audit.snapshot(task, TASK_FIELDS)
    detail = "no escalation target: on_timeout applied"
    _breach(session, ctx, task, data.due_at, data.breached_at, data.action, detail)
    task.status = "expired"
    task.outcome = data.outcome or ("approve" if data.action == "approved" else "reject")
    task.completed_at = data.breached_at
    session.flush()
    _audit_task(session, ctx, "task.expired", task, before)
    _task_event(session, ctx, "task.expired", task)
    return task


def _cancel_open(session: Session, ctx: TenantContext, which: ColumnElement[bool]) -> int:
    """Cancel the open tasks ``which`` selects, locked first; returns how many there were."""
    tasks = list(session.scalars(select(Task).where(which, Task.status == "open").with_for_update()))
    for task in tasks:
        task.status = "cancelled"
        audit.record(session, ctx, "task.cancelled", "task", task.id, {"status": ["open", "cancelled"]})
        _task_event(session, ctx, "task.cancelled", task)
    session.flush()
    return len(tasks)


def cancel_open_tasks(session: Session, ctx: TenantContext, process_id: uuid.UUID) -> int:
    return _cancel_open(session, ctx, Task.process_id == process_id)


def record_cancel_request(session: Session, ctx: TenantContext, process_id: uuid.UUID) -> None:
    audit.record(session, ctx, "process.cancel_requested", "process", process_id, {})


# -- tasks (called from the API) ----------------------------------------------------------------
def get_task(session: Session, ctx: TenantContext, task_id: uuid.UUID) -> Task:
    ctx.require("tasks:read")
    task = find(session, ctx, Task, task_id)
    if task is None or not (
        ctx.can("tasks:read_all") or _designates(task, ctx) or _started_by(session, task, ctx)
    ):
        raise NotFound("task", task_id)
    return task


def _designates(task: Task, ctx: TenantContext) -> bool:
    """The actor is the task's assignee (itself or by role) or one of its candidates."""
    keys = set(ctx.assignee_keys())
    return task.assignee in keys or bool(set(task.data.get("candidates") or []) & keys)


def _started_by(session: Session, task: Task, ctx: TenantContext) -> bool:
    process = session.get(Process, task.process_id)
    return process is not None and ctx.user_id is not None and process.started_by == ctx.user_id


def check_completable(
    session: Session, ctx: TenantContext, task_id: uuid.UUID, outcome: str, data: dict[str, Any] | None
) -> Task:
    """404 unknown, 409 closed, 403 not an assignee, 422 a wrong outcome or form: all before the workflow."""
    ctx.require("tasks:complete")
    task = get_or_404(session, ctx, Task, task_id, "task")
    if task.status != "open":
        raise TaskClosed(task.status)
    if not _designates(task, ctx):
        raise PermissionDenied(f"This task is assigned to {task.assignee}, not to you or one of your roles.")
    outcomes = task.data.get("outcomes") or ["approve", "reject"]
    if outcome not in outcomes:
        raise ValidationFailed.one("outcome", f"must be one of: {', '.join(outcomes)}")
    if task.data.get("form"):
        _check_form(task.data["form"], data or {})
    return task


def _check_form(schema: dict[str, Any], data: dict[str, Any]) -> None:
    try:
        validator = safeschema.validator(schema)  # RE2 patterns, nothing retrieved
    except safeschema.UnsafeSchema as exc:  # a form published before these limits
        raise ValidationFailed.one("data", f"the task's form schema is no longer accepted: {exc}") from exc
    problems = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if problems:
        raise ValidationFailed(
            [FieldError(".".join(["data", *(str(p) for p in e.absolute_path)]), e.message) for e in problems]
        )


def list_tasks(
    session: Session,
    ctx: TenantContext,
    *,
    status: str | None,
    assignee: str | None,
    process_id: uuid.UUID | None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[Task], str | None]:
    ctx.require("tasks:read")
    stmt = live(ctx, Task)
    if status:
        stmt = stmt.where(Task.status == status)
    if process_id:
        stmt = stmt.where(Task.process_id == process_id)
    if assignee == "me" or not ctx.can("tasks:read_all"):
        keys = ctx.assignee_keys()
        stmt = stmt.where(or_(Task.assignee.in_(keys), Task.data["candidates"].has_any(array(keys))))
    if assignee and assignee != "me":
        stmt = stmt.where(Task.assignee == assignee)
    return paginate(session, stmt, Task, limit, cursor)


# -- used by the definition interpreter --------------------------------------------------------
def register_child(session: Session, ctx: TenantContext, child: ChildProcess) -> uuid.UUID:
    """The process row of a subprocess; idempotent on its workflow id."""
    existing = session.scalar(select(Process.id).where(Process.workflow_id == child.workflow_id))
    if existing:
        return existing
    parent = session.get(Process, child.parent_id)
    process = Process.new(
        ctx,
        **child.model_dump(include={"definition", "business_key", "workflow_id", "input", "parent_id"}),
        definition_version=child.version,
        started_by=parent.started_by if parent else None,
    )
    session.add(process)
    session.flush()
    audited = {"definition": [None, child.definition], "parent_id": [None, str(child.parent_id)]}
    _started(session, ctx, process, audited, parent_id=child.parent_id)
    return process.id


def record_finished(
    session: Session, ctx: TenantContext, process_id: uuid.UUID, status: str, output: Any, error: str | None
) -> str | None:
    """The process ended: ``process.completed``, ``process.failed`` or ``process.cancelled`` (once);
    its definition's name."""
    event_type = f"process.{status}"
    dedup = f"{process_id}/{event_type}"
    process = session.get(Process, process_id)
    if process is not None and process.ended_at is None:  # what analytics counts (domain/analytics)
        process.status, process.ended_at = status, datetime.now().astimezone()
    events.emit(
        session,
        ctx,
        event_type,
        {
            "process_id": str(process_id),
            "definition": process.definition if process else None,
            "business_key": process.business_key if process else None,
            "output": output,
            "error": error,
        },
        process_id=process_id,
        dedup_key=dedup,
    )
    audit.record(session, ctx, f"process.{status}", "process", process_id, {"status": [None, status]})
    return process.definition if process else None


def cancel_tasks(session: Session, ctx: TenantContext, task_ids: list[uuid.UUID]) -> int:
    return _cancel_open(session, ctx, Task.id.in_(task_ids))


def record_breach(
    session: Session, ctx: TenantContext, task_id: uuid.UUID, due_at: datetime, breached_at: datetime
) -> None:
    """A missed due date that does not interrupt the task (no on_timeout): recorded once."""
    task = _task_for_update(session, ctx, task_id)
    already = session.scalar(
        select(SlaBreach.id).where(SlaBreach.task_id == task_id, SlaBreach.due_at == due_at)
    )
    if not already:
        _breach(session, ctx, task, due_at, breached_at, "breached", "due date passed; the task stays open")
        audit.record(
            session, ctx, "task.sla_breached", "task", task.id, {"due_at": [None, due_at.isoformat()]}
        )

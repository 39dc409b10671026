"""Activities of the approval process: each opens a tenant unit of work and calls the domain."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine
from temporalio import activity
from temporalio.exceptions import ApplicationError

from db.session import tenant_session
from domain.context import TenantContext
from domain.processes import service
from domain.processes.errors import TaskClosed
from domain.processes.schemas import ProcessRef, TaskComplete, TaskCreate, TaskEscalate, TaskExpire


def _ctx(tenant_id: uuid.UUID) -> TenantContext:
    info = activity.info()
    return TenantContext.system(tenant_id, correlation_id=info.workflow_id)


def _closed(exc: TaskClosed) -> ApplicationError:
    return ApplicationError(exc.message, type="TaskClosed", non_retryable=True)


class ProcessActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @activity.defn(name="processes.create_task")
    def create_task(self, data: TaskCreate) -> None:
        with tenant_session(self.engine, data.tenant_id) as session:
            service.create_task(session, _ctx(data.tenant_id), data)

    @activity.defn(name="processes.complete_task")
    def complete_task(self, data: TaskComplete) -> None:
        try:
            with tenant_session(self.engine, data.tenant_id) as session:
                service.complete_task(session, _ctx(data.tenant_id), data.decision)
        except TaskClosed as exc:
            raise _closed(exc) from exc

    @activity.defn(name="processes.escalate_task")
    def escalate_task(self, data: TaskEscalate) -> None:
        try:
            with tenant_session(self.engine, data.tenant_id) as session:
                service.escalate_task(session, _ctx(data.tenant_id), data)
        except TaskClosed as exc:
            raise _closed(exc) from exc

    @activity.defn(name="processes.expire_task")
    def expire_task(self, data: TaskExpire) -> None:
        try:
            with tenant_session(self.engine, data.tenant_id) as session:
                service.expire_task(session, _ctx(data.tenant_id), data)
        except TaskClosed as exc:
            raise _closed(exc) from exc

    @activity.defn(name="processes.cancel_open_tasks")
    def cancel_open_tasks(self, data: ProcessRef) -> int:
        with tenant_session(self.engine, data.tenant_id) as session:
            return service.cancel_open_tasks(session, _ctx(data.tenant_id), data.process_id)


def all_activities(engine: Engine) -> list[object]:
    """Every activity, registered in one place so definitions can call them by name."""
    procs = ProcessActivities(engine)
    return [
        procs.create_task,
        procs.complete_task,
        procs.escalate_task,
        procs.expire_task,
        procs.cancel_open_tasks,
    ]

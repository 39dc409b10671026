"""Activities of the approval process: each opens a tenant unit of work and calls the domain."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from db.session import tenant_session
from domain.context import TenantContext
from domain.processes import service
from domain.processes.errors import TaskClosed
from domain.processes.schemas import ProcessRef, TaskComplete, TaskCreate, TaskEscalate, TaskExpire
from workflows import contracts


def _ctx(tenant_id: uuid.UUID) -> TenantContext:
    return TenantContext.system(tenant_id, correlation_id=activity.info().workflow_id)


class ProcessActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def _unit(self, tenant_id: uuid.UUID) -> Iterator[tuple[Session, TenantContext]]:
        """One transaction; a closed task is a business fact that no retry can change."""
        try:
            with tenant_session(self.engine, tenant_id) as session:
                yield session, _ctx(tenant_id)
        except TaskClosed as exc:
            raise ApplicationError(exc.message, type="TaskClosed", non_retryable=True) from exc

    @activity.defn(name=contracts.PROCESSES_CREATE_TASK)
    def create_task(self, data: TaskCreate) -> None:
        with self._unit(data.tenant_id) as (session, ctx):
            service.create_task(session, ctx, data)

    @activity.defn(name=contracts.PROCESSES_COMPLETE_TASK)
    def complete_task(self, data: TaskComplete) -> None:
        with self._unit(data.tenant_id) as (session, ctx):
            service.complete_task(session, ctx, data.decision)

    @activity.defn(name=contracts.PROCESSES_ESCALATE_TASK)
    def escalate_task(self, data: TaskEscalate) -> None:
        with self._unit(data.tenant_id) as (session, ctx):
            service.escalate_task(session, ctx, data)

    @activity.defn(name=contracts.PROCESSES_EXPIRE_TASK)
    def expire_task(self, data: TaskExpire) -> None:
        with self._unit(data.tenant_id) as (session, ctx):
            service.expire_task(session, ctx, data)

    @activity.defn(name=contracts.PROCESSES_CANCEL_OPEN_TASKS)
    def cancel_open_tasks(self, data: ProcessRef) -> int:
        with self._unit(data.tenant_id) as (session, ctx):
            return service.cancel_open_tasks(session, ctx, data.process_id)

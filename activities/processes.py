"""Activities of the approval process: each opens a tenant unit of work and calls the domain."""

from __future__ import annotations

from temporalio import activity

from activities import Deps
from domain.processes import service
from domain.processes.errors import TaskClosed
from domain.processes.schemas import ProcessRef, TaskComplete, TaskCreate, TaskEscalate, TaskExpire
from workflows import contracts

# A closed task is a business fact that no retry can change.
FINAL = (TaskClosed,)


class ProcessActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.PROCESSES_CREATE_TASK)
    def create_task(self, data: TaskCreate) -> None:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            service.create_task(session, ctx, data)

    @activity.defn(name=contracts.PROCESSES_COMPLETE_TASK)
    def complete_task(self, data: TaskComplete) -> None:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            service.complete_task(session, ctx, data.decision)

    @activity.defn(name=contracts.PROCESSES_ESCALATE_TASK)
    def escalate_task(self, data: TaskEscalate) -> None:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            service.escalate_task(session, ctx, data)

    @activity.defn(name=contracts.PROCESSES_EXPIRE_TASK)
    def expire_task(self, data: TaskExpire) -> None:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            service.expire_task(session, ctx, data)

    @activity.defn(name=contracts.PROCESSES_CANCEL_OPEN_TASKS)
    def cancel_open_tasks(self, data: ProcessRef) -> int:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            return service.cancel_open_tasks(session, ctx, data.process_id)

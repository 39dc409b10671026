"""Activities the definition interpreter uses besides the task ones: notify, emit, child processes."""

from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import Path

from temporalio import activity

from activities.processes import FINAL, ProcessActivities
from domain.definitions.schemas import ProcessFinished, RoleMembers, TaskBreach, TaskCancel
from domain.deliveries import service as deliveries
from domain.events import service as events
from domain.events.schemas import EmitIn
from domain.identity import service as identity
from domain.notifications.schemas import NotifyIn
from domain.processes import service
from domain.processes.schemas import ChildProcess
from workflows import contracts


@lru_cache(maxsize=4)
def shipped_names(directory: Path) -> frozenset[str]:
    return frozenset(p.stem for p in directory.glob("*.yaml"))


class DefinitionActivities(ProcessActivities):
    @activity.defn(name=contracts.NOTIFICATIONS_NOTIFY)
    def notify(self, data: NotifyIn) -> int:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            return deliveries.notify(
                session,
                ctx,
                data.to,
                **data.model_dump(
                    exclude={"tenant_id", "to"}
                ),  # the notice: kind, title, body, data, category
                dedup_prefix=f"{activity.info().workflow_id}:{activity.info().activity_id}",
            )

    @activity.defn(name=contracts.EVENTS_EMIT)
    def emit(self, data: EmitIn) -> str:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            event = events.emit(
                session,
                ctx,
                data.event,
                data.payload,
                process_id=data.process_id,
                dedup_key=data.dedup_key,
                by_tenant=True,  # the definition's author chose the name: Keel's namespaces are refused
            )
            return str(event.id)

    @activity.defn(name=contracts.PROCESSES_REGISTER_CHILD)
    def register_child(self, data: ChildProcess) -> uuid.UUID:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            return service.register_child(session, ctx, data)

    @activity.defn(name=contracts.PROCESSES_CANCEL_TASKS)
    def cancel_tasks(self, data: TaskCancel) -> int:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            return service.cancel_tasks(session, ctx, data.task_ids)

    @activity.defn(name=contracts.PROCESSES_RECORD_FINISHED)
    def record_finished(self, data: ProcessFinished) -> None:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            definition = service.record_finished(
                session, ctx, data.process_id, data.status, data.output, data.error
            )
        # Counted on the worker's metrics (KEEL_WORKER_METRICS_ADDRESS), per definition Keel ships
        # (others are "custom": a tenant's names would make the labels unbounded) and status.
        shipped = shipped_names(self.deps.settings.shipped_definitions)
        label = definition if definition in shipped else "custom"
        activity.metric_meter().create_counter(
            "keel_processes_finished", "Processes ended, by definition and status"
        ).add(1, {"definition": label, "status": data.status})

    @activity.defn(name=contracts.PROCESSES_ROLE_MEMBERS)
    def role_members(self, data: RoleMembers) -> list[str]:
        """The active holders of a role as ``user:<email>`` keys, sorted (one task each)."""
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            users = identity.users_with_role(session, ctx, data.role)
            return sorted({f"user:{u.email.lower()}" for u in users})

    @activity.defn(name=contracts.PROCESSES_RECORD_BREACH)
    def record_breach(self, data: TaskBreach) -> None:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            service.record_breach(session, ctx, data.task_id, data.due_at, data.breached_at)

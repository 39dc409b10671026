"""The audit-maintenance Schedule (every 10 s), created or brought up to date by every worker at start,
as the housekeeping ones are (workers/schedules.py)."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
)

from workers.schedules import ensure_schedule
from workflows.audit import AuditMaintenanceWorkflow

SCHEDULE_ID = "audit-maintenance"
EVERY = timedelta(seconds=10)


def audit_schedule(task_queue: str) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            AuditMaintenanceWorkflow.run, id=SCHEDULE_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=EVERY)]),
        # One run at a time: a run still sealing when the next is due skips that one.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_audit_schedule(client: Client, task_queue: str) -> None:
    await ensure_schedule(client, SCHEDULE_ID, audit_schedule(task_queue))

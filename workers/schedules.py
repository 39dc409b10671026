"""The housekeeping Schedules, created or brought up to date by every worker when it starts.

At worker start rather than in ``keel migrate``: the worker is what runs them, it already holds a
Temporal client and the task queue, and migrate needs only PostgreSQL (a migration Job may run
before Temporal is reachable). Several workers starting at once are harmless: the first creates a
schedule, the others find it and update it to the same thing.
"""

from __future__ import annotations

import logging

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from domain.housekeeping.schemas import INTERVALS, Job, SweepIn
from workflows.housekeeping import HousekeepingWorkflow

log = logging.getLogger("keel.worker")


def schedule_id(job: Job) -> str:
    return f"housekeeping-{job}"


def housekeeping_schedule(job: Job, task_queue: str) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            HousekeepingWorkflow.run, SweepIn(job=job), id=schedule_id(job), task_queue=task_queue
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=INTERVALS[job])]),
        # A sweep still running when the next is due: skip that one, never two at once.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_schedule(client: Client, schedule_id: str, schedule: Schedule) -> None:
    """Create the schedule, or replace what an earlier start made of it (a new interval, task queue)."""
    try:
        await client.create_schedule(schedule_id, schedule)
    except ScheduleAlreadyRunningError:

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(schedule_id).update(replace)


async def ensure_schedules(client: Client, task_queue: str) -> None:
    """Every housekeeping schedule, created or brought up to date."""
    for job in INTERVALS:
        await ensure_schedule(client, schedule_id(job), housekeeping_schedule(job, task_queue))
    log.info("housekeeping schedules ready", extra={"jobs": list(INTERVALS)})

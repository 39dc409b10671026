"""The housekeeping Schedules on the dev server: created once whatever number of workers start, kept up
to date, and a triggered one runs its sweep through the worker."""

from __future__ import annotations

import asyncio
import uuid

from temporalio.client import (
    Client,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
)

from domain.housekeeping.schemas import INTERVALS, Swept
from keel.temporal import connect
from tests.workflows.helpers import run_on
from workers.main import build_worker
from workers.schedules import ensure_schedules, schedule_id
from workflows import contracts


async def listed(client: Client) -> set[str]:
    return {entry.id async for entry in await client.list_schedules()}


async def test_workers_starting_together_make_each_schedule_once(settings, engine, dev_server, tenant):
    client = await connect(settings.model_copy(update={"temporal_address": dev_server}))
    queue = f"hk-{uuid.uuid4().hex[:8]}"
    await asyncio.gather(ensure_schedules(client, "elsewhere"), ensure_schedules(client, "elsewhere"))
    await ensure_schedules(client, queue)  # a later start updates them (here: the task queue)
    ids = {schedule_id(job) for job in INTERVALS}
    for _ in range(50):  # the visibility store lists new schedules after a moment
        if ids <= await listed(client):
            break
        await asyncio.sleep(0.2)
    assert ids <= await listed(client)

    for job, every in INTERVALS.items():
        described = await client.get_schedule_handle(schedule_id(job)).describe()
        action = described.schedule.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert action.workflow == contracts.HOUSEKEEPING and action.task_queue == queue
        assert described.schedule.spec.intervals == [ScheduleIntervalSpec(every=every)]

    async with build_worker(client, engine, queue, settings=settings):
        handle = client.get_schedule_handle(schedule_id("idempotency-keys"))
        await handle.trigger(overlap=ScheduleOverlapPolicy.ALLOW_ALL)  # never skipped behind a stale run
        run = await run_on(client, handle, queue, 0)
        result = await asyncio.wait_for(  # bounded: a stalled run fails instead of hanging the suite
            client.get_workflow_handle(
                run.workflow_id, run_id=run.first_execution_run_id, result_type=Swept
            ).result(),
            timeout=60,
        )
    assert result.job == "idempotency-keys" and result.tenants >= 1

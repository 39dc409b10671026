"""The audit-maintenance Schedule on the dev server: every 10 s, and a triggered run seals every
tenant's settled audit rows through the worker."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from temporalio.client import (
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
)

from db.models import AuditLog
from db.models.audit import AuditSeal
from db.session import tenant_session
from domain.audit import chain
from domain.audit.schemas import Maintained
from keel.temporal import connect
from tests.workflows.helpers import run_on
from workers.audit_schedule import SCHEDULE_ID, ensure_audit_schedule
from workers.main import build_worker
from workflows import contracts


@pytest.fixture(autouse=True)
def no_settling(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(chain, "SETTLE", timedelta(0))  # the worker's activities run in this process
    yield


async def test_the_schedule_seals_every_tenant(settings, engine, dev_server, make_tenant) -> None:
    a, b = make_tenant("A"), make_tenant("B")
    client = await connect(settings.model_copy(update={"temporal_address": dev_server}))
    queue = f"audit-{uuid.uuid4().hex[:8]}"
    await asyncio.gather(
        ensure_audit_schedule(client, "elsewhere"), ensure_audit_schedule(client, "elsewhere")
    )
    await ensure_audit_schedule(client, queue)  # a later start updates it (here: the task queue)
    handle = client.get_schedule_handle(SCHEDULE_ID)
    described = await handle.describe()
    action = described.schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert action.workflow == contracts.AUDIT_MAINTENANCE and action.task_queue == queue
    assert described.schedule.spec.intervals == [ScheduleIntervalSpec(every=timedelta(seconds=10))]

    await handle.pause()  # only the triggered run below, whatever the clock does
    before = len(described.info.recent_actions)
    async with build_worker(client, engine, queue, settings=settings):
        # A tick left running on the first queue (no worker serves it) must not make it skip this run.
        await handle.trigger(overlap=ScheduleOverlapPolicy.ALLOW_ALL)
        run = await run_on(client, handle, queue, before)
        # Bounded: a run that never ends fails the test instead of stalling the suite.
        result = await asyncio.wait_for(
            client.get_workflow_handle(
                run.workflow_id, run_id=run.first_execution_run_id, result_type=Maintained
            ).result(),
            timeout=60,
        )
    assert result.tenants >= 2 and result.sealed >= 2
    for t in (a, b):
        with tenant_session(engine, t.id) as session:
            rows = session.scalar(select(func.count()).select_from(AuditLog))
            seals = session.scalar(select(func.count()).select_from(AuditSeal))
        assert rows and seals == rows

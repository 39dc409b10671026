"""Kill the worker (SIGKILL) in the middle of a 500-recipient campaign, start another: every recipient
gets exactly one message."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from temporalio.client import Client

from db.models import DevOutboxMessage
from db.session import tenant_session
from domain.campaigns import service as campaigns
from domain.campaigns.schemas import CampaignCreate, CampaignRun
from domain.context import TenantContext
from keel.temporal import connect

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 500


def spawn_worker(settings, address: str, queue: str, home: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "KEEL_HOME": str(home),
        "KEEL_DATABASE_URL": settings.database_url,
        "KEEL_DATABASE_ADMIN_URL": settings.database_admin_url,
        "KEEL_TEMPORAL_ADDRESS": address,
        "KEEL_TEMPORAL_TASK_QUEUE": queue,
        "KEEL_ENVIRONMENT": "test",
        "KEEL_JWT_SECRET": settings.jwt_secret.get_secret_value(),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )


def sent_counts(engine, tenant) -> tuple[int, int]:
    with tenant_session(engine, tenant.id) as session:
        rows = session.execute(
            select(func.count(), func.count(DevOutboxMessage.to.distinct())).where(
                DevOutboxMessage.to.like("%@crash.example")
            )
        ).one()
    return int(rows[0]), int(rows[1])


async def test_a_campaign_resumed_after_a_worker_crash_sends_nobody_twice(
    settings, engine, tenant, dev_server, tmp_path
):
    queue = f"crash-{uuid.uuid4().hex[:8]}"
    ctx = TenantContext.system(tenant.id, tenant.domain)
    body = CampaignCreate.model_validate(
        {
            "template": "campaign",
            "audience": {"recipients": [{"email": f"r{i}@crash.example"} for i in range(RECIPIENTS)]},
            "channels": ["email"],
            "data": {"subject": "t", "body": "b"},
            "rate_per_minute": 3000,  # 50 a second: the crash lands mid-way
        }
    )
    with tenant_session(engine, tenant.id) as session:
        campaign = campaigns.create(session, ctx, body)
    client: Client = await connect(settings.model_copy(update={"temporal_address": dev_server}))
    handle = await client.start_workflow(
        "campaign",
        CampaignRun(tenant_id=tenant.id, campaign_id=campaign.id, rate_per_minute=3000),
        id=campaigns.workflow_id(campaign.id),
        task_queue=queue,
    )

    first = spawn_worker(settings, dev_server, queue, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while sent_counts(engine, tenant)[0] < 100:
            assert time.monotonic() < deadline, "the first worker sent nothing"
            time.sleep(0.05)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    at_crash = sent_counts(engine, tenant)[0]
    assert at_crash < RECIPIENTS

    second = spawn_worker(settings, dev_server, queue, tmp_path)
    try:
        status = await asyncio.wait_for(handle.result(), timeout=120)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    assert status == "completed"
    assert sent_counts(engine, tenant) == (RECIPIENTS, RECIPIENTS)  # everyone once, nobody twice
    with tenant_session(engine, tenant.id) as session:
        progress = campaigns.progress(session, ctx, campaigns.get(session, ctx, campaign.id))
    assert progress.sent == RECIPIENTS and progress.pending == 0 and progress.failed == 0

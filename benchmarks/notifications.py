"""Notification throughput and event-to-webhook latency.

Starts a private stack (embedded PostgreSQL, an in-memory Temporal dev server, one `keel worker`
process), then:

1. baseline: the outbox adapter alone, called in this process for N messages (one insert each);
2. a campaign of R recipients (default 10,000) through the campaign workflow and the outbox adapter,
   unthrottled: deliveries per second end to end (audience resolution included) and for the send
   phase alone, and the ratio to the baseline;
3. event-to-webhook latency on loopback: domain events committed one by one, received by a local
   webhook receiver through the outbox dispatcher and the delivery workflow (p50/p95/p99), against a
   bare HTTP POST to the same receiver as its baseline.

    .venv/bin/python benchmarks/notifications.py [-r 10000] [-n 200] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import record  # the script's folder is on sys.path
from stack import arguments, make_tenant, private_stack
from webhook_latency import measure as measure_webhooks

from adapters.messaging import OutgoingMessage
from adapters.outbox import OutboxSender
from db.models import Campaign, DevOutboxMessage
from db.session import make_engine, tenant_session
from domain.campaigns import service as campaigns
from domain.campaigns.schemas import CampaignCreate, CampaignRun
from domain.context import TenantContext
from keel.settings import Settings
from keel.temporal import connect


def baseline(settings: Settings, tenant_id: uuid.UUID, n: int) -> float:
    """Messages per second the outbox adapter stores when called directly, one after another."""
    engine = make_engine(settings.require_database_url(), pool_size=2)
    sender = OutboxSender(engine)
    started = time.perf_counter()
    for i in range(n):
        sender.send(
            OutgoingMessage(
                tenant_id=tenant_id,
                message_id=uuid.uuid4(),
                channel="email",
                to=f"baseline{i}@bench.example",
                subject="Spring offer",
                text="20% off",
            )
        )
    rate = n / (time.perf_counter() - started)
    engine.dispose()
    return rate


async def campaign(settings: Settings, tenant_id: uuid.UUID, recipients: int) -> tuple[float, float, float]:
    """(deliveries/s end to end, deliveries/s while sending, seconds to resolve the audience)."""
    engine = make_engine(settings.require_database_url(), pool_size=2)
    ctx = TenantContext.system(tenant_id)
    body = CampaignCreate.model_validate(
        {
            "template": "campaign",
            "audience": {"recipients": [{"email": f"r{i}@bench.example"} for i in range(recipients)]},
            "channels": ["email"],
            "data": {"subject": "Spring offer", "body": "20% off"},
            "rate_per_minute": 600_000,
        }
    )
    with tenant_session(engine, tenant_id) as session:
        row = campaigns.create(session, ctx, body)
    client = await connect(settings)
    started = time.perf_counter()
    handle = await client.start_workflow(
        "campaign",
        CampaignRun(tenant_id=tenant_id, campaign_id=row.id, rate_per_minute=600_000),
        id=campaigns.workflow_id(row.id),
        task_queue=settings.temporal_task_queue,
    )
    resolved_at = None
    while resolved_at is None:
        with tenant_session(engine, tenant_id) as session:
            if session.scalar(select(Campaign.total).where(Campaign.id == row.id)) is not None:
                resolved_at = time.perf_counter()
        await asyncio.sleep(0.02)
    status = await handle.result()
    elapsed = time.perf_counter() - started
    with tenant_session(engine, tenant_id) as session:
        stored = session.scalar(
            select(func.count(DevOutboxMessage.to.distinct())).where(
                DevOutboxMessage.to.like("r%@bench.example")
            )
        )
    engine.dispose()
    if status != "completed" or stored != recipients:
        raise RuntimeError(f"campaign {status}: {stored} of {recipients} messages stored")
    return recipients / elapsed, recipients / (elapsed - (resolved_at - started)), resolved_at - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-r", "--recipients", type=int, default=10_000)
    parser.add_argument("-n", "--events", type=int, default=200, help="webhook events to time")
    args = arguments(parser, recipients=1000, events=40)
    with (
        tempfile.TemporaryDirectory() as tmp,
        private_stack(Path(tmp), webhook_allow_private="127.0.0.0/8") as stack,
    ):
        settings = stack.settings
        tenant_id = make_tenant(settings).id
        time.sleep(2)  # let the worker connect
        base = baseline(settings, tenant_id, 500 if args.quick else 2000)
        print(f"outbox adapter alone (baseline):      {base:8.0f} messages/s")
        total, sending, resolve = asyncio.run(campaign(settings, tenant_id, args.recipients))
        print(f"campaign of {args.recipients} recipients, end to end: {total:8.0f} deliveries/s")
        print(f"  audience resolved in {resolve:.2f} s; while sending: {sending:8.0f} deliveries/s")
        print(f"  ratio to the baseline (sending): {sending / base:.2f}")
        outbox = "outbox adapter alone"
        record(
            "notifications",
            f"campaign of {args.recipients:,}, end to end",
            total,
            "deliveries/s",
            baseline=base,
            baseline_name=outbox,
            target=200,
        )
        record(
            "notifications",
            "campaign while sending",
            sending,
            "deliveries/s",
            baseline=base,
            baseline_name=outbox,
        )
        if args.events > 0:
            figures = asyncio.run(_webhooks(settings, args.events))
            for line in figures:
                print(line)


async def _webhooks(settings: Settings, n: int) -> list[str]:
    engine = make_engine(settings.require_database_url(), pool_size=2)
    client = await connect(settings)
    result = await measure_webhooks(settings, client, engine, n)
    engine.dispose()
    record(
        "notifications",
        "event committed -> webhook received, p99",
        result["event_to_webhook"]["p99_ms"],
        "ms",
        baseline=result["bare_post"]["p99_ms"],
        baseline_name="bare POST",
        better="lower",
        target=500,
    )
    lines = []
    for name, label in (
        ("event_to_webhook", "event committed -> webhook received"),
        ("bare_post", "bare POST (baseline)"),
    ):
        f = result[name]
        lines.append(
            f"{label:38s} p50 {f['p50_ms']:6.1f} ms  p95 {f['p95_ms']:6.1f} ms  "
            f"p99 {f['p99_ms']:6.1f} ms  max {f['max_ms']:6.1f} ms"
        )
    return [f"webhooks: {result['n']} events on loopback", *lines]


if __name__ == "__main__":
    main()

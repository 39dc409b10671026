"""Usage-based billing at volume: ingesting usage events and aggregating them per customer.

Starts a private stack (embedded PostgreSQL, Temporal dev server, `keel api`; no worker: usage events
emit no outbox events), a tenant, a `sum` metric and 1,000 customers, then measures, each against a
baseline run in the same process on the same rows:

1. ingestion: N events (default 200,000) through POST /api/v1/usage-events in batches of 1,000 from a
   few concurrent clients (authentication, validation of every event, customer and metric checks,
   dedup, one audit row per batch), against a bare `INSERT ... ON CONFLICT DO NOTHING` of the same
   batches into a table of the same shape (same columns, primary key and index; no RLS, no foreign
   keys); events/s of each and the ratio, and the CPU time each cost the API process and PostgreSQL
   per 1,000 events (steadier than events/s when other work shares the machine); then the same
   batches again (all duplicates);
2. aggregation: `aggregate` for each of the 1,000 customers over one period, against one SQL
   `GROUP BY` over the same rows (and `aggregate_all`, which is that GROUP BY behind the service),
   plus the latency of GET /billable-metrics/{code}/usage.

    .venv/bin/python benchmarks/billing.py [-n 200000] [--concurrency 4] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psutil
from psycopg2.extras import execute_values
from sqlalchemy import Engine, create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The script's folder is on sys.path.
from results import record
from stack import BenchStack, arguments, make_tenant, percentiles, private_stack, timed

from db.models import BillingCustomer
from db.session import make_engine, tenant_session
from domain.billing.usage import service as usage
from domain.context import TenantContext

CUSTOMERS = 1000
BATCH = 1000
METRIC = {"code": "compute_minutes", "name": "Compute minutes", "aggregation": "sum", "field": "minutes"}
REGIONS = ["eu-west", "eu-central", "us-east", "ap-south"]
COLUMNS = "tenant_id, transaction_id, customer_id, subscription_id, metric_code, occurred_at, properties"


def show(label: str, figure: str, note: str = "") -> None:
    print(f"{label:50s} {figure}" + (f"  ({note})" if note else ""))


class CpuMeter:
    """CPU seconds spent by the API process and by PostgreSQL (its server and every backend, ended ones
    included): what a phase cost the machine, a figure that other work on it disturbs far less than
    events/s."""

    def __init__(self, home: Path, api: int) -> None:
        pid = (home / "pg" / "postmaster.pid").read_text().split()[0]
        self.postgres = psutil.Process(int(pid))
        self.api = psutil.Process(api)

    def read(self) -> tuple[float, float]:
        """(API process, PostgreSQL) CPU seconds so far."""
        api = self.api.cpu_times()
        server = self.postgres.cpu_times()
        postgres = server.user + server.system + server.children_user + server.children_system
        for backend in self.postgres.children():
            try:
                used = backend.cpu_times()
            except psutil.NoSuchProcess:  # ended meanwhile: now in the server's children_* times
                continue
            postgres += used.user + used.system
        return api.user + api.system, postgres

    def show(self, since: tuple[float, float], events: int, api: bool = True) -> None:
        now = self.read()
        per = [(now[i] - since[i]) * 1e6 / events for i in (0, 1)]
        figures = (f"API process {per[0]:5.1f} ms, " if api else "") + f"PostgreSQL {per[1]:5.1f} ms"
        show("  CPU per 1,000 events", figures)


def make_customers(engine: Engine, tenant_id: uuid.UUID, count: int = CUSTOMERS) -> list[uuid.UUID]:
    """``count`` EUR customers in France, written in one statement; their ids."""
    ids = [uuid.uuid4() for _ in range(count)]
    rows = [
        {
            "tenant_id": tenant_id,
            "id": cid,
            "name": f"Customer {i}",
            "email": f"billing{i}@bench.example",
            "currency": "EUR",
            "country": "FR",
            "address": {},
            "tax_ids": [],
            "locale": "en",
            "payment_terms_days": 30,
            "credit_minor": 0,
            "metadata_": {},
            "version": 1,
        }
        for i, cid in enumerate(ids)
    ]
    with tenant_session(engine, tenant_id) as session:
        session.execute(insert(BillingCustomer), rows)
    return ids


def make_events(
    n: int, customers: list[uuid.UUID], start: datetime, prefix: str = "evt"
) -> list[dict[str, Any]]:
    """N events over the 24 hours after ``start``, spread over every customer."""
    rng = random.Random(prefix)
    return [
        {
            "transaction_id": f"{prefix}-{i:08d}",
            "customer": str(customers[i % len(customers)]),
            "metric": METRIC["code"],
            "timestamp": (start + timedelta(seconds=rng.randrange(86_400))).isoformat(),
            "properties": {"minutes": rng.randint(1, 120), "region": rng.choice(REGIONS)},
        }
        for i in range(n)
    ]


def batches_of(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [events[i : i + BATCH] for i in range(0, len(events), BATCH)]


def bare_insert(
    admin_url: str, tenant_id: uuid.UUID, batches: list[list[dict[str, Any]]], concurrency: int
) -> float:
    """Events/s of a bare INSERT ... ON CONFLICT DO NOTHING of the same batches, one statement and one
    commit per batch, from ``concurrency`` threads (the baseline)."""
    engine = create_engine(admin_url, pool_size=concurrency)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bare_usage (LIKE usage_events INCLUDING DEFAULTS INCLUDING INDEXES)"))
    rows = [
        [
            (
                str(tenant_id),
                e["transaction_id"],
                e["customer"],
                None,
                e["metric"],
                e["timestamp"],
                json.dumps(e["properties"]),
            )
            for e in batch
        ]
        for batch in batches
    ]
    queue = list(range(len(rows)))
    lock = threading.Lock()
    sql = f"INSERT INTO bare_usage ({COLUMNS}) VALUES %s ON CONFLICT (tenant_id, transaction_id) DO NOTHING"

    def work() -> None:
        raw = engine.raw_connection()
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    index = queue.pop()
                cur = raw.cursor()
                execute_values(cur, sql, rows[index], page_size=BATCH)
                raw.commit()
        finally:
            raw.close()

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    engine.dispose()
    return sum(len(b) for b in batches) / elapsed


async def through_api(
    url: str, headers: dict[str, str], bodies: list[bytes], concurrency: int
) -> tuple[float, int, int]:
    """(events/s, accepted, duplicates) of POST /usage-events with pre-encoded bodies."""
    queue = list(range(len(bodies)))
    totals = [0, 0]
    async with httpx.AsyncClient(
        base_url=url, headers=headers | {"Content-Type": "application/json"}, timeout=120
    ) as client:

        async def work() -> None:
            while queue:
                r = await client.post("/api/v1/usage-events", content=bodies[queue.pop()])
                if r.status_code != 200:
                    raise RuntimeError(f"{r.status_code}: {r.text[:500]}")
                answer = r.json()["data"]
                totals[0] += answer["accepted"]
                totals[1] += answer["duplicates"]

        started = time.perf_counter()
        await asyncio.gather(*(work() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    events = sum(totals)
    return events / elapsed, totals[0], totals[1]


def aggregation(
    stack: BenchStack, tenant_id: uuid.UUID, customers: list[uuid.UUID], start: datetime, end: datetime
) -> None:
    engine = make_engine(stack.settings.require_database_url(), pool_size=2)
    ctx = TenantContext.system(tenant_id)
    with tenant_session(engine, tenant_id) as session:
        usage.aggregate(session, ctx, METRIC["code"], customers[0], start, end)  # warm the plan
        started = time.perf_counter()
        one_by_one = {c: usage.aggregate(session, ctx, METRIC["code"], c, start, end) for c in customers}
        each = time.perf_counter() - started
        started = time.perf_counter()
        grouped_rows = session.execute(
            text(
                "SELECT customer_id, sum((properties->>'minutes')::numeric) FROM usage_events "
                "WHERE tenant_id = :t AND metric_code = :m AND occurred_at >= :s AND occurred_at < :e "
                "GROUP BY customer_id"
            ),
            {"t": tenant_id, "m": METRIC["code"], "s": start, "e": end},
        ).all()
        grouped = time.perf_counter() - started
        started = time.perf_counter()
        through_service = usage.aggregate_all(session, ctx, METRIC["code"], start, end)
        service_grouped = time.perf_counter() - started
    engine.dispose()
    by_sql = {row[0]: Decimal(row[1]) for row in grouped_rows}
    if not (by_sql == one_by_one == through_service):
        raise RuntimeError("the aggregations disagree")
    total = sum(one_by_one.values())
    show(
        f"aggregate() for each of {len(customers)} customers",
        f"{each * 1000:8.1f} ms",
        f"{each * 1e6 / len(customers):.0f} µs each",
    )
    show(
        "one SQL GROUP BY over the same rows (baseline)",
        f"{grouped * 1000:8.1f} ms",
        f"{each / grouped:.0f}x faster",
    )
    show(
        "aggregate_all() (that GROUP BY in the service)",
        f"{service_grouped * 1000:8.1f} ms",
        f"sum of all: {total}",
    )
    group_by = "one SQL GROUP BY"
    for label, seconds in (
        (f"aggregate() for each of {len(customers):,} customers", each),
        ("aggregate_all(), every customer at once", service_grouped),
    ):
        record(
            "billing",
            label,
            seconds * 1000,
            "ms",
            baseline=grouped * 1000,
            baseline_name=group_by,
            better="lower",
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--events", type=int, default=200_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=1000, help="timed GET …/usage requests")
    args = arguments(parser, events=20_000, requests=100)
    with tempfile.TemporaryDirectory() as tmp, private_stack(Path(tmp), api=True, worker=False) as stack:
        tenant = make_tenant(stack.settings)
        assert stack.api_url
        headers = {"Authorization": f"Bearer {tenant.api_key}"}
        api = httpx.Client(base_url=stack.api_url, headers=headers, timeout=120)
        api.post("/api/v1/billable-metrics", json=METRIC).raise_for_status()
        engine = make_engine(stack.settings.require_database_url(), pool_size=1)
        customers = make_customers(engine, tenant.id)
        engine.dispose()
        start = (datetime.now(UTC) - timedelta(days=2)).replace(hour=0, minute=0, second=0, microsecond=0)
        events = make_events(args.events, customers, start)
        batches = batches_of(events)
        bodies = [json.dumps({"events": b}).encode() for b in batches]
        size = sum(map(len, bodies)) / len(bodies) / 1e3
        print(f"{args.events} events in {len(batches)} batches of {BATCH} ({size:.0f} kB each), ", end="")
        print(f"{CUSTOMERS} customers, {args.concurrency} concurrent clients")
        cpu = CpuMeter(Path(tmp), stack.children[-1].pid)  # the API is the last process started
        before = cpu.read()
        baseline = bare_insert(stack.settings.require_admin_url(), tenant.id, batches, args.concurrency)
        show("bare INSERT ... ON CONFLICT DO NOTHING (baseline)", f"{baseline:8.0f} events/s")
        cpu.show(before, args.events, api=False)
        # Warm-up (connections, caches), on events outside the timed ones.
        warm = [
            json.dumps({"events": b}).encode()
            for b in batches_of(make_events(4 * BATCH, customers, start, "warm"))
        ]
        asyncio.run(through_api(stack.api_url, headers, warm, args.concurrency))
        before = cpu.read()
        rate, accepted, duplicates = asyncio.run(
            through_api(stack.api_url, headers, bodies, args.concurrency)
        )
        if (accepted, duplicates) != (args.events, 0):
            raise RuntimeError(f"accepted {accepted}, duplicates {duplicates}")
        show("POST /usage-events, end to end", f"{rate:8.0f} events/s", f"ratio {rate / baseline:.2f}")
        cpu.show(before, args.events)
        met = rate >= 5000 and rate / baseline >= 0.3
        print(f"  targets >= 5,000 events/s and >= 0.3 of the baseline: {'met' if met else 'MISSED'}")
        record(
            "billing",
            "POST /usage-events, end to end",
            rate,
            "events/s",
            baseline=baseline,
            baseline_name="bare INSERT ... ON CONFLICT",
            target=5000,
            ratio_target=0.3,
        )
        replay = bodies[: max(1, len(bodies) // 10)]
        again, accepted, duplicates = asyncio.run(
            through_api(stack.api_url, headers, replay, args.concurrency)
        )
        if accepted != 0:
            raise RuntimeError(f"a replay stored {accepted} events")
        show(f"the first {len(replay)} batches again (all duplicates)", f"{again:8.0f} events/s")
        end = start + timedelta(days=1)
        aggregation(stack, tenant.id, customers, start, end)
        rng = random.Random(3)
        window = {"from": start.isoformat(), "to": end.isoformat()}
        path = f"/api/v1/billable-metrics/{METRIC['code']}/usage"
        for _ in range(20):
            api.get(path, params=window | {"customer": str(rng.choice(customers))})
        samples = timed(
            lambda i: api.get(path, params=window | {"customer": str(rng.choice(customers))}), args.requests
        )
        p50, p95, p99 = percentiles(samples)
        print(
            f"GET …/usage (one customer, one day):  p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   p99 {p99:6.2f} ms"
        )
        record("billing", "GET /billable-metrics/{code}/usage, p99", p99, "ms", better="lower")
        api.close()


if __name__ == "__main__":
    main()

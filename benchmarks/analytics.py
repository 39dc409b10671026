"""Analytics: a metric's series from the rollups against the same GROUP BY on the raw facts.

Starts a private stack (embedded PostgreSQL, an in-memory Temporal dev server, `keel api`), loads one
tenant's facts straight into the tables (INSERT ... SELECT generate_series: processes that ended, the
human tasks they completed, bookings; ~120 days, six definitions), then measures in one run:

1. the first full fold of every metric (the ``analytics-rollups`` job's work for a new tenant);
2. the series of ``process-cycle-time`` over 90 days by day and definition through the domain service
   (rollups and the live edges merged), against the equivalent hand-written GROUP BY on ``processes``:
   p50/p95 of each and their ratio; the same series over HTTP;
3. GET /api/v1/dashboards/{id}/data of a dashboard of 8 tiles (count, sum and average metrics);
4. one fold after 10,000 new facts.

    .venv/bin/python benchmarks/analytics.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import record
from stack import BenchStack, BenchTenant, make_tenant, percentiles, private_stack, timed

from db.session import make_engine, tenant_session
from domain.analytics import rollups
from domain.analytics import service as analytics
from domain.context import TenantContext

DEFINITIONS = ("approval", "onboarding", "invoice-review", "refund", "hiring", "procurement")
DAYS = 120
METRIC = "process-cycle-time"

# One fact per row; the times spread evenly over the last DAYS days (ended_at = now - i * step).
PROCESSES = """
INSERT INTO processes (id, tenant_id, created_at, updated_at, definition, business_key, workflow_id,
                       definition_version, input, status, ended_at)
SELECT gen_random_uuid(), :tenant, t.ended - make_interval(secs => 60 + (g::bigint * 7919) % 86400),
       coalesce(CAST(:changed AS timestamptz), t.ended),
       (:definitions)[1 + g % 6], 'bk-' || g, 'bench-' || :run || '-' || g, 1, '{}'::jsonb,
       CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'completed' END, t.ended
FROM generate_series(:first, :last) g,
     LATERAL (SELECT now() - make_interval(
         secs => CAST(:seconds AS float8) * (g - :first + 1) / CAST(:last - :first + 1 AS float8))) t(ended)
"""
TASKS = """
INSERT INTO tasks (id, tenant_id, created_at, updated_at, process_id, step, step_key, title, assignee,
                   status, outcome, completed_at, escalation_level, data)
SELECT gen_random_uuid(), p.tenant_id, p.created_at, p.ended_at, p.id, 1, 'review', 'Review',
       'role:approver', 'completed', CASE WHEN random() < 0.8 THEN 'approved' ELSE 'rejected' END,
       p.ended_at - interval '30 seconds', 0, '{}'::jsonb
FROM processes p WHERE p.tenant_id = :tenant AND p.workflow_id LIKE 'bench-' || :run || '-%'
"""
BOOKINGS = """
INSERT INTO bookings (id, tenant_id, created_at, updated_at, status, start_at, end_at,
                      requires_confirmation, late_cancellation, details)
SELECT gen_random_uuid(), :tenant, t.made, coalesce(CAST(:changed AS timestamptz), t.made),
       (ARRAY['confirmed', 'completed', 'no_show', 'cancelled'])[1 + g % 4],
       t.made + make_interval(hours => 1 + g % 200), t.made + make_interval(hours => 2 + g % 200),
       false, false, '{}'::jsonb
FROM generate_series(1, :count) g,
     LATERAL (SELECT now() - make_interval(secs => CAST(:seconds AS float8) * g / CAST(:count AS float8)))
       t(made)
"""
# The series asked of the service, written by hand on the raw table: the baseline.
RAW = """
SELECT date_trunc('day', ended_at, 'UTC') AS day, definition, count(*),
       avg(extract(epoch FROM ended_at - created_at))
FROM processes
WHERE tenant_id = :tenant AND ended_at IS NOT NULL AND status = 'completed'
  AND ended_at >= :start AND ended_at < :end
GROUP BY 1, 2
"""
TILES: list[dict[str, Any]] = [
    {"metric": "process-cycle-time", "chart": "line", "params": {"grain": "day", "group_by": "definition"}},
    {"metric": "process-throughput", "chart": "bar", "params": {"grain": "day", "group_by": "status"}},
    {"metric": "process-throughput", "chart": "number", "params": {}},
    {"metric": "step-cycle-time", "chart": "line", "params": {"grain": "day"}},
    {"metric": "step-throughput", "chart": "bar", "params": {"grain": "day", "group_by": "outcome"}},
    {"metric": "booking-lead-time", "chart": "line", "params": {"grain": "day", "group_by": "status"}},
    {"metric": "booking-no-show-rate", "chart": "number", "params": {}},
    {"metric": "process-cycle-time", "chart": "table", "params": {"grain": "week", "group_by": "definition"}},
]


def load(
    admin: Engine,
    tenant: uuid.UUID,
    processes: int,
    bookings: int,
    days: float = DAYS,
    first: int = 1,
    changed: datetime | None = None,
) -> float:
    """Seconds to insert ``processes`` ended processes, a completed task each, and ``bookings``, over
    the last ``days`` days; ``changed``: their rows' ``updated_at``, else their time."""
    started = time.perf_counter()
    run = uuid.uuid4().hex[:8]
    common = {"tenant": tenant, "seconds": days * 86400, "run": run, "changed": changed}
    with admin.begin() as conn:
        conn.execute(
            text(PROCESSES),
            common | {"first": first, "last": first + processes - 1, "definitions": list(DEFINITIONS)},
        )
        conn.execute(text(TASKS), common)
        if bookings:
            conn.execute(text(BOOKINGS), common | {"count": bookings})
        conn.execute(text("ANALYZE processes; ANALYZE tasks; ANALYZE bookings"))
    return time.perf_counter() - started


def fold_all(engine: Engine, ctx: TenantContext, rounds: int) -> tuple[float, int, dict[str, float]]:
    """Seconds and rollup rows of ``rounds`` runs of the job's fold of the stale metrics (a fold
    covers at most ``rollups.MAX_SPAN``: a new tenant's history takes several), and the seconds each
    metric took."""
    started, written, took = time.perf_counter(), 0, dict[str, float]()
    for _ in range(rounds):
        with tenant_session(engine, ctx.tenant_id) as session:
            names = analytics.stale(session, ctx)
        for name in names:
            began = time.perf_counter()
            with tenant_session(engine, ctx.tenant_id) as session:
                written += analytics.fold(session, ctx, name)
            took[name] = took.get(name, 0.0) + time.perf_counter() - began
    return time.perf_counter() - started, written, took


def slowest(took: dict[str, float]) -> str:
    return ", ".join(
        f"{name} {seconds:.1f} s" for name, seconds in sorted(took.items(), key=lambda x: -x[1])[:4]
    )


def sampled(call: Callable[[], Any], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(bench: BenchStack, tenant: BenchTenant, processes: int, bookings: int, new: int, n: int) -> None:
    settings = bench.settings
    admin = make_engine(settings.require_admin_url(), pool_size=2)
    engine = make_engine(bench.env["KEEL_DATABASE_URL"], pool_size=2)
    ctx = TenantContext.system(tenant.id, tenant.domain)
    loaded = load(admin, tenant.id, processes, bookings)
    print(f"loaded {processes:,} processes + {processes:,} tasks + {bookings:,} bookings in {loaded:.1f} s")
    first_fold, rows, took = fold_all(engine, ctx, -(-DAYS // rollups.MAX_SPAN.days))
    print(f"first full fold: {first_fold:.1f} s, {rows:,} rollup rows; slowest: {slowest(took)}")

    end = datetime.now(UTC)
    start = end - timedelta(days=90)

    def service() -> Any:
        with tenant_session(engine, tenant.id) as session:
            return analytics.series(
                session, ctx, METRIC, start, end, grain="day", group_by="definition", timezone="UTC"
            )

    def raw() -> Any:
        with tenant_session(engine, tenant.id) as session:
            params = {"tenant": tenant.id, "start": start, "end": end}
            return session.execute(text(RAW), params).all()

    answer = service()
    assert len(answer.buckets) in (90, 91) and answer.buckets[-1].groups, "the series is incomplete"
    assert len(raw()) >= 90 * len(DEFINITIONS), "the raw baseline is incomplete"
    service_ms, raw_ms = sampled(service, n), sampled(raw, max(5, n // 4))
    query = {"from": start.isoformat(), "to": end.isoformat(), "grain": "day", "group_by": "definition"}
    with tenant.client(bench) as client:
        http_ms = timed(lambda _: client.get(f"/api/v1/metrics/{METRIC}/series", params=query), n)
        created = client.post("/api/v1/dashboards", json={"name": "Bench", "tiles": tiles()})
        created.raise_for_status()
        board = created.json()["data"]["id"]
        dashboard_ms = timed(lambda _: client.get(f"/api/v1/dashboards/{board}/data"), n)

    # New facts of the last 20 minutes, recorded now: half processes, half their tasks.
    load(admin, tenant.id, new // 2, 0, days=1 / 72, first=processes + 1, changed=datetime.now(UTC))
    fold_new, new_rows, took = fold_all(engine, ctx, 1)
    print(f"fold of the new facts: slowest {slowest(took)}")

    s50, s95, _ = percentiles(service_ms)
    r50, r95, _ = percentiles(raw_ms)
    h50, h95, _ = percentiles(http_ms)
    d50, d95, _ = percentiles(dashboard_ms)
    print()
    print(f"{'measure':<58} {'p50 ms':>9} {'p95 ms':>9}")
    print(f"{'raw GROUP BY on processes (baseline)':<58} {r50:>9.1f} {r95:>9.1f}")
    print(f"{'series via analytics.series (rollups + live edges)':<58} {s50:>9.1f} {s95:>9.1f}")
    print(f"{'  ratio raw / series':<58} {r50 / s50:>9.1f}x {r95 / s95:>8.1f}x")
    print(f"{'series via GET /api/v1/metrics/{name}/series':<58} {h50:>9.1f} {h95:>9.1f}")
    print(f"{'dashboard of 8 tiles, GET /api/v1/dashboards/{id}/data':<58} {d50:>9.1f} {d95:>9.1f}")
    print(f"first full fold of every metric: {first_fold:.2f} s ({rows:,} rollup rows)")
    print(f"fold after {new:,} new facts: {fold_new:.2f} s ({new_rows:,} rollup rows written)")
    # The targets: the series at least 20x faster than the GROUP BY, p95 <= 50 ms; the
    # dashboard's p95 <= 150 ms.
    raw_name = "raw GROUP BY on processes"
    record(
        "analytics",
        f"{METRIC} series, 90 days, p95",
        s95,
        "ms",
        baseline=r95,
        baseline_name=raw_name,
        better="lower",
        target=50,
        ratio_target=1 / 20,
    )
    record(
        "analytics",
        "the same series over HTTP, p95",
        h95,
        "ms",
        baseline=r95,
        baseline_name=raw_name,
        better="lower",
    )
    record("analytics", "dashboard of 8 tiles, p95", d95, "ms", better="lower", target=150)
    record("analytics", f"first full fold of {processes:,} processes", first_fold, "s", better="lower")
    record("analytics", f"fold after {new:,} new facts", fold_new, "s", better="lower")
    admin.dispose()
    engine.dispose()


def tiles() -> list[dict[str, Any]]:
    """The bench dashboard's tiles, each over the last 90 days."""
    return [t | {"params": t["params"] | {"range": "P90D"}} for t in TILES]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 processes and bookings, a smoke run")
    parser.add_argument("-n", type=int, default=None, help="samples per measure")
    args = parser.parse_args()
    processes, bookings, new = (20_000, 20_000, 1_000) if args.quick else (500_000, 500_000, 10_000)
    n = args.n or (20 if args.quick else 60)
    with (
        tempfile.TemporaryDirectory() as home,
        private_stack(Path(home), api=True, worker=False) as bench,
    ):
        tenant = make_tenant(bench.settings)
        run(bench, tenant, processes, bookings, new, n)


if __name__ == "__main__":
    main()

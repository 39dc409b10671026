"""Entities and search at 100,000 records of a 10-attribute type, through the REST API.

Starts a private stack (embedded PostgreSQL, Temporal dev server, Typesense, `keel worker`,
`keel api`), then measures, each against a baseline run in the same process:

1. import: a CSV of N rows (default 100,000) through POST /entities/{type}/import until the import is
   completed, rows/s end to end; baseline: a raw PostgreSQL COPY of the same file into a plain table;
2. read latency through the API: GET /entities/{type}/{id}, a filtered list
   (filter[city]=…&filter[age][gte]=…) and POST /entities/{type}/search: p50/p95/p99;
3. CRUD throughput: POST /entities/{type} (validation, unique key, history, audit, outbox event,
   authentication) against a bare FastAPI + SQLAlchemy endpoint inserting the same row, same
   concurrency, ratio.

    .venv/bin/python benchmarks/entities.py [-n 100000] [--requests 2000] [--creates 2000] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import random
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The script's folder is on sys.path.
from results import record
from stack import BenchStack, arguments, make_tenant, percentiles, private_stack, timed

from keel.temporal import free_port

CITIES = ["Paris", "Lyon", "Lille", "Nantes", "Nice", "Berlin", "Madrid", "Rome", "Oslo", "Porto"]
FIRST = [
    "Anna",
    "Bruno",
    "Chloé",
    "David",
    "Élodie",
    "Farid",
    "Greta",
    "Hugo",
    "Inès",
    "Jonas",
    "Karim",
    "Léa",
]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]
# The targets: p99 of a read and of a filtered list, p95 of a search (ms).
READ_TARGETS = {"GET /{id}": (2, 10.0), "filtered list": (2, 30.0), "search": (1, 30.0)}
# The entity type's JSON Schema: ten attributes, the CSV's columns in the same order.
SCHEMA: dict[str, Any] = json.loads((Path(__file__).parent / "customers.schema.json").read_text())
COLUMNS = list(SCHEMA["properties"])
SEGMENTS: list[str] = SCHEMA["properties"]["segment"]["enum"]


def row(i: int, rng: random.Random) -> dict[str, Any]:
    return {
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
        "email": f"person{i}@bench.example",
        "city": rng.choice(CITIES),
        "segment": rng.choice(SEGMENTS),
        "age": rng.randint(18, 90),
        "score": round(rng.random() * 100, 2),
        "vip": rng.random() < 0.1,
        "joined": f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "phone": f"+3361{i:07d}",
        "notes": "customer since the spring campaign",
    }


def csv_file(n: int) -> bytes:
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for i in range(n):
        values = row(i, rng)
        values["vip"] = "true" if values["vip"] else "false"
        writer.writerow(values)
    return out.getvalue().encode()


def raw_copy(stack: BenchStack, content: bytes) -> float:
    """Rows/s of a bare COPY of the same CSV into a plain table of ten text columns (the baseline)."""
    engine = create_engine(stack.settings.require_admin_url())
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE raw_copy ({', '.join(f'{c} text' for c in COLUMNS)})"))
    raw = engine.raw_connection()
    started = time.perf_counter()
    cur = raw.cursor()
    cur.copy_expert("COPY raw_copy FROM STDIN WITH (FORMAT csv, HEADER true)", io.BytesIO(content))
    raw.commit()
    elapsed = time.perf_counter() - started
    raw.close()
    engine.dispose()
    return (content.count(b"\n") - 1) / elapsed


def import_file(
    api: httpx.Client, content: bytes, n: int, timeout: float = 900
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    r = api.post(
        "/api/v1/entities/bench_customer/import",
        files={"file": ("customers.csv", content, "text/csv")},
        data={"mode": "insert", "on_duplicate": "allow"},
    )
    r.raise_for_status()
    import_id = r.json()["data"]["id"]
    while True:
        state = api.get(f"/api/v1/imports/{import_id}").json()["data"]
        if state["status"] in ("completed", "failed", "cancelled"):
            break
        if time.perf_counter() - started > timeout:  # a failing activity is retried, never "failed"
            raise RuntimeError(f"import still {state['status']} after {timeout:.0f} s: {state}")
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    if state["status"] != "completed" or state["rows_ok"] != n:
        raise RuntimeError(f"import ended {state['status']}: {state}")
    return n / elapsed, state


def wait_indexed(api: httpx.Client, n: int, timeout: float = 300) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        r = api.post("/api/v1/entities/bench_customer/search", json={"q": "*", "per_page": 1})
        if r.status_code == 200 and r.json()["meta"].get("found", 0) >= n:
            return time.perf_counter() - started
        time.sleep(0.5)
    raise RuntimeError("the search index did not catch up")


def latencies(api: httpx.Client, ids: list[str], requests: int) -> dict[str, tuple[float, float, float]]:
    rng = random.Random(11)
    base = "/api/v1/entities/bench_customer"
    for _ in range(50):  # warm connections and caches
        api.get(f"{base}/{rng.choice(ids)}")
    figures = {
        "GET /{id}": timed(lambda i: api.get(f"{base}/{rng.choice(ids)}"), requests),
        "filtered list": timed(
            lambda i: api.get(
                base,
                params={
                    "filter[city]": rng.choice(CITIES),
                    "filter[age][gte]": str(rng.randint(20, 80)),
                    "limit": "50",
                },
            ),
            requests,
        ),
        "search": timed(
            lambda i: api.post(
                f"{base}/search",
                json={
                    "q": rng.choice(FIRST)[:4] + " " + rng.choice(LAST)[:3],
                    "facets": ["city"],
                    "per_page": 10,
                },
            ),
            requests,
        ),
    }
    return {name: percentiles(samples) for name, samples in figures.items()}


async def throughput(
    url: str, path: str, headers: dict[str, str], count: int, concurrency: int, first: int
) -> float:
    rng = random.Random(first)
    bodies = [{"attributes": row(first + i, rng)} for i in range(count)]
    queue = list(range(count))
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as client:

        async def work() -> None:
            while queue:
                body = bodies[queue.pop()]
                r = await client.post(path, json=body)
                if r.status_code != 201:
                    raise RuntimeError(f"{r.status_code}: {r.text[:300]}")

        for _ in range(20):  # warm-up, then timed
            await client.post(path, json={"attributes": row(first + count + _, rng)})
        started = time.perf_counter()
        await asyncio.gather(*(work() for _ in range(concurrency)))
        return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000, help="timed requests per read kind")
    parser.add_argument("--creates", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = arguments(parser, rows=5000, requests=200, creates=200)
    with tempfile.TemporaryDirectory() as tmp, private_stack(Path(tmp), typesense=True, api=True) as stack:
        tenant = make_tenant(stack.settings)
        headers = tenant.headers
        api = tenant.client(stack)
        etype = api.post(
            "/api/v1/entity-types",
            json={
                "name": "bench_customer",
                "schema": SCHEMA,
                "unique": ["email"],
                "search": {"fields": ["name", "email", "city"], "facets": ["city", "segment"]},
            },
        )
        etype.raise_for_status()
        content = csv_file(args.rows)
        print(f"{args.rows} rows of {len(COLUMNS)} attributes, {len(content) / 1e6:.1f} MB of CSV")
        copy_rate = raw_copy(stack, content)
        print(f"raw COPY of the same file (baseline):  {copy_rate:9.0f} rows/s")
        rate, _ = import_file(api, content, args.rows)
        print(f"import through the API, end to end:    {rate:9.0f} rows/s  (ratio {rate / copy_rate:.4f})")
        record(
            "entities",
            f"import of {args.rows:,} rows, end to end",
            rate,
            "rows/s",
            baseline=copy_rate,
            baseline_name="raw COPY",
            target=10_000,
        )
        caught_up = wait_indexed(api, args.rows)
        print(f"search index caught up {caught_up:.1f} s after the import completed")
        record("entities", "search index caught up after the import", caught_up, "s", better="lower")
        ids = [
            e["id"]
            for e in api.get("/api/v1/entities/bench_customer", params={"limit": "200"}).json()["data"]
        ]
        for name, (p50, p95, p99) in latencies(api, ids, args.requests).items():
            print(f"{name:16s} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   p99 {p99:6.2f} ms")
            at, goal = READ_TARGETS[name]
            label = f"{name} p{(50, 95, 99)[at]}"
            record("entities", label, (p50, p95, p99)[at], "ms", better="lower", target=goal)
        bare_port = free_port()
        type_id = etype.json()["data"]["id"]
        bare = stack.spawn(
            str(Path(__file__).parent / "bare_insert.py"), str(bare_port), str(tenant.id), type_id
        )
        bare_url = f"http://127.0.0.1:{bare_port}"
        for _ in range(100):
            try:
                httpx.get(f"{bare_url}/docs", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        path = "/api/v1/entities/bench_customer"
        baseline = asyncio.run(throughput(bare_url, "/bare", {}, args.creates, args.concurrency, 10_000_000))
        live = asyncio.run(throughput(stack.api, path, headers, args.creates, args.concurrency, 20_000_000))
        # The same with the worker paused: the API's own cost. Its outbox events wait and are
        # dispatched (webhooks, search) when the worker resumes.
        worker = stack.children[stack.worker_index]
        worker.send_signal(signal.SIGSTOP)
        alone = asyncio.run(throughput(stack.api, path, headers, args.creates, args.concurrency, 30_000_000))
        worker.send_signal(signal.SIGCONT)
        print(
            f"bare FastAPI+SQLAlchemy insert (baseline): {baseline:7.0f} records/s ({args.concurrency} clnt)"
        )
        print(
            f"create through the API, worker paused:     {alone:7.0f} records/s  ratio {alone / baseline:.2f}"
        )
        print(
            f"  with the worker dispatching each event:  {live:7.0f} records/s  ratio {live / baseline:.2f}"
        )
        bare_name = f"bare FastAPI insert, {args.concurrency} clients"
        record(
            "entities",
            "POST /entities/{type}, worker paused",
            alone,
            "records/s",
            baseline=baseline,
            baseline_name=bare_name,
            ratio_target=0.6,
        )
        record(
            "entities",
            "POST /entities/{type}, worker dispatching",
            live,
            "records/s",
            baseline=baseline,
            baseline_name=bare_name,
        )
        bare.terminate()
        api.close()


if __name__ == "__main__":
    main()

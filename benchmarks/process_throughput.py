"""Approval-process throughput: through the REST API, with the temporalio client directly, and the
floor that only Temporal and PostgreSQL set.

Starts a private stack (embedded PostgreSQL, an in-memory Temporal dev server, `keel api` and
`keel worker` as separate processes, and ``floor_worker.py``), then runs N one-step approval
processes three times:

1. through the API: POST /api/v1/processes, find the task with GET /api/v1/tasks?wait=30, complete
   it with POST /api/v1/tasks/{id}/complete, and wait with GET /api/v1/processes/{id}?wait=30 (long
   polls, as a client that wants the task and then the outcome does) until it says completed;
2. direct: the same workflow (the shipped approval definition, run by the interpreter) driven
   with the temporalio client (process row written by the domain service, start_workflow, query for
   the task, execute_update, await the result);
3. the floor: the same driver and the same activities (the same rows written: process, task,
   decision, the finished record) with a hand-written workflow (``handwritten.HandOneStep``) on a
   worker process of its own: what is left is Temporal's and PostgreSQL's cost.

It prints processes/second for each, the ratios REST/direct and direct/floor, and p50/p99 latency of
POST /api/v1/processes, under the concurrent load and for paced starts.

    .venv/bin/python benchmarks/process_throughput.py [-n 200] [-c 16] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handwritten import HandOneStep  # the script's folder is on sys.path
from results import record as record_figure
from stack import BenchStack, BenchTenant, make_tenant, private_stack

from activities import activity_names
from db.session import make_engine, tenant_session
from domain.context import TenantContext
from domain.definitions import service as definitions
from domain.definitions.schemas import DslRun, DslState
from domain.definitions.service import Catalog
from domain.identity import service as identity
from domain.identity.schemas import RoleCreate, UserCreate
from domain.processes import service as processes
from domain.processes.schemas import ApprovalState, Decision, ProcessRef, ProcessStart
from keel.settings import Settings
from keel.temporal import connect


@dataclass
class Stack:
    settings: Settings
    api_url: str
    admin_key: str
    approver_key: str
    approver_email: str
    tenant_id: uuid.UUID
    domain: str


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def start_stack(bench: BenchStack) -> Stack:
    """The benchmark's tenant, approver and keys on a running private stack."""
    assert bench.api_url
    tenant = make_tenant(bench.settings, domain="bench.test")
    admin_engine = make_engine(bench.settings.require_admin_url(), pool_size=1)
    approver_key, approver_email = add_approver(admin_engine, tenant)
    return Stack(
        bench.settings, bench.api_url, tenant.api_key, approver_key, approver_email, tenant.id, tenant.domain
    )


def add_approver(admin_engine: Engine, tenant: BenchTenant) -> tuple[str, str]:
    """A manager of the tenant: its API key and email."""
    domain = tenant.domain
    ctx = TenantContext.system(tenant.id, domain)
    approver = f"approver@{domain}"
    with tenant_session(admin_engine, tenant.id) as session:
        identity.create_role(
            session, ctx, RoleCreate(name="manager", permissions=["tasks:read", "tasks:complete"])
        )
        user = identity.create_user(
            session, ctx, UserCreate(email=approver, password="bench-password-1", roles=["manager"])
        )
        user_ctx = TenantContext(
            tenant_id=tenant.id,
            tenant_domain=domain,
            user_id=user.id,
            permissions=frozenset({"api_keys:write"}),
        )
        _, approver_key = identity.create_api_key(session, user_ctx, "bench")
    admin_engine.dispose()
    return approver_key, approver


def body(key: str) -> dict[str, Any]:
    return {
        "definition": "approval",
        "business_key": key,
        "input": {
            "subject": "Benchmark",
            "amount": {"value": "10.00", "currency": "EUR"},
            "chain": [{"assignee": "role:manager", "due": "P2D"}],
        },
    }


async def poll(fn: Any, interval: float = 0.05, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        await asyncio.sleep(interval)


async def via_api(stack: Stack, n: int, concurrency: int, tag: str) -> tuple[float, list[float]]:
    starts: list[float] = []
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency * 2)

    def client(key: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=stack.api_url, limits=limits, timeout=60, headers={"Authorization": f"Bearer {key}"}
        )

    async with client(stack.admin_key) as admin, client(stack.approver_key) as approver:

        async def one(i: int) -> None:
            async with sem:
                t0 = time.perf_counter()
                r = await admin.post("/api/v1/processes", json=body(f"{tag}-{i}"))
                starts.append(time.perf_counter() - t0)
                assert r.status_code == 201, r.text
                pid = r.json()["data"]["id"]

                async def task() -> Any:  # a long poll: answers when the step opens the task
                    mine = {"process_id": pid, "status": "open", "wait": 30}
                    rows = (await approver.get("/api/v1/tasks", params=mine)).json()["data"]
                    return rows[0] if rows else None

                t = await poll(task)
                r = await approver.post(f"/api/v1/tasks/{t['id']}/complete", json={"outcome": "approve"})
                assert r.status_code == 200, r.text

                async def done() -> bool:  # a long poll: answers when the process ends
                    answer = await admin.get(f"/api/v1/processes/{pid}", params={"wait": 30})
                    return bool(answer.json()["data"]["status"] == "completed")

                await poll(done)

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        return n / (time.perf_counter() - t0), starts


FLOOR_QUEUE = "bench-floor"


async def direct(stack: Stack, n: int, concurrency: int, tag: str, floor: bool = False) -> float:
    """The same shipped approval definition, started and decided with the temporalio client; with
    ``floor``, the hand-written workflow of the same work instead, on the floor worker's queue."""
    client = await connect(stack.settings)
    engine = make_engine(stack.settings.require_database_url(), pool_size=concurrency)
    ctx = TenantContext.system(stack.tenant_id, stack.domain)
    catalog = Catalog(activity_names(), stack.settings.shipped_definitions)
    approval = catalog.shipped["approval"][1].definition
    sem = asyncio.Semaphore(concurrency)

    def record(key: str) -> DslRun:
        start = ProcessStart.model_validate(body(key))
        with tenant_session(engine, stack.tenant_id) as session:
            process = processes.create_process(session, ctx, start, start.input, version=approval.version)
            return definitions.run_of(ctx, process, approval)

    async def one(i: int) -> None:
        async with sem:
            run = await asyncio.to_thread(record, f"{tag}-{i}")
            workflow_id = f"{stack.domain}:approval:{tag}-{i}"
            if floor:
                ref = ProcessRef(tenant_id=run.tenant_id, process_id=run.process_id)
                handle = await client.start_workflow(
                    HandOneStep.run, ref, id=workflow_id, task_queue=FLOOR_QUEUE
                )
            else:
                handle = await client.start_workflow(
                    "dsl", run, id=workflow_id, task_queue=stack.settings.temporal_task_queue
                )

            async def task_id() -> Any:
                if floor:
                    return (await handle.query("state", result_type=ApprovalState)).open_task_id
                state = await handle.query("state", result_type=DslState)
                return state.open_tasks[0].task_id if state.open_tasks else None

            tid = await poll(task_id)
            decision = Decision(
                task_id=tid, outcome="approve", email=stack.approver_email, assignee_keys=["role:manager"]
            )
            await handle.execute_update("decide", decision, result_type=Decision)
            await handle.result()

    t0 = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    rate = n / (time.perf_counter() - t0)
    engine.dispose()
    return rate


async def paced_starts(stack: Stack, n: int, rate: float, tag: str = "paced") -> list[float]:
    """Open-loop arrivals at a steady rate: start latency when the stack is busy but not saturated."""
    out: list[float] = []
    async with httpx.AsyncClient(
        base_url=stack.api_url, timeout=30, headers={"Authorization": f"Bearer {stack.admin_key}"}
    ) as admin:

        async def one(i: int) -> None:
            await asyncio.sleep(i / rate)
            t0 = time.perf_counter()
            r = await admin.post("/api/v1/processes", json=body(f"{tag}-{i}"))
            out.append(time.perf_counter() - t0)
            assert r.status_code == 201, r.text

        await asyncio.gather(*(one(i) for i in range(n)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="processes per run")
    parser.add_argument("-c", type=int, default=16, help="concurrent clients")
    parser.add_argument("--rate", type=float, default=10.0, help="arrivals per second in the paced run")
    parser.add_argument("--paced", type=int, default=200, help="starts in the paced run")
    parser.add_argument("--quick", action="store_true", help="40 processes, 50 paced starts, a smoke run")
    args = parser.parse_args()
    warm = 5 if args.quick else 20
    if args.quick:
        args.n, args.paced = 40, 50
    with (
        tempfile.TemporaryDirectory(dir="/tmp", prefix="keel-bench-") as tmp,
        private_stack(Path(tmp), api=True) as bench,
    ):
        stack = start_stack(bench)
        bench.spawn(str(Path(__file__).parent / "floor_worker.py"), FLOOR_QUEUE)
        asyncio.run(via_api(stack, warm, args.c, "warm-api"))
        asyncio.run(direct(stack, warm, args.c, "warm-direct"))
        asyncio.run(direct(stack, warm, args.c, "warm-floor", floor=True))
        api_rate, starts = asyncio.run(via_api(stack, args.n, args.c, "api"))
        direct_rate = asyncio.run(direct(stack, args.n, args.c, "direct"))
        floor_rate = asyncio.run(direct(stack, args.n, args.c, "floor", floor=True))
        paced = asyncio.run(paced_starts(stack, args.paced, args.rate))
    ms = 1000.0
    print(f"processes per run: {args.n}, concurrency: {args.c}, cores: {os.cpu_count()}")
    print(f"through the REST API     : {api_rate:7.1f} processes/s")
    print(f"temporalio client direct : {direct_rate:7.1f} processes/s")
    print(f"hand-written floor       : {floor_rate:7.1f} processes/s")
    print(f"ratio API / direct       : {api_rate / direct_rate:7.2f}   (target >= 0.8)")
    print(f"ratio direct / floor     : {direct_rate / floor_rate:7.2f}   (target >= 0.6)")
    print(
        f"POST /api/v1/processes under load : p50 {percentile(starts, 0.5) * ms:6.1f} ms  "
        f"p99 {percentile(starts, 0.99) * ms:6.1f} ms  mean {statistics.mean(starts) * ms:6.1f} ms"
    )
    print(
        f"POST /api/v1/processes at {args.rate:g}/s : p50 {percentile(paced, 0.5) * ms:6.1f} ms  "
        f"p99 {percentile(paced, 0.99) * ms:6.1f} ms   (target p99 <= 50 ms)"
    )
    name = "process_throughput"
    record_figure(
        name,
        "approval processes through the REST API",
        api_rate,
        "processes/s",
        baseline=direct_rate,
        baseline_name="temporalio client direct",
        ratio_target=0.8,
    )
    record_figure(
        name,
        "approval processes, temporalio client direct",
        direct_rate,
        "processes/s",
        baseline=floor_rate,
        baseline_name="hand-written workflow, same work",
        ratio_target=0.6,
    )
    paced_p99, load_p99 = percentile(paced, 0.99) * ms, percentile(starts, 0.99) * ms
    record_figure(
        name, f"POST /processes at {args.rate:g}/s, p99", paced_p99, "ms", better="lower", target=50
    )
    record_figure(name, "POST /processes under load, p99", load_p99, "ms", better="lower")


if __name__ == "__main__":
    main()

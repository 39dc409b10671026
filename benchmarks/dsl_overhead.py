"""The cost of the definition interpreter: YAML definitions against the same processes written by hand.

Starts an in-memory Temporal dev server (no PostgreSQL) and, in this process, one worker with the
interpreter workflow ("dsl"), the two hand-written workflows of ``handwritten.py`` and no-op
activities registered under the names the interpreter calls (``processes.create_task``…, plus
``bench.step``), so both sides pay identical activity costs and only the workflow code differs.

Four variants, each warmed up first, then measured in alternating blocks in the same run:

- chain, YAML and hand-written: ten ``bench.step`` calls, each passed the previous step's output;
  completion time is start → result;
- approval, YAML and hand-written: three human tasks in a row; the driver queries "state" until
  the task is open, sends the "decide" update, three times, then awaits the result; completion
  time is start → result.

It prints p50/mean/p99 completion time and throughput per variant, the YAML/hand-written ratios
(target <= 1.3) and the duration of the first workflow task, WorkflowTaskStarted →
WorkflowTaskCompleted in the run's history (target <= 10 ms for YAML after warm-up): for the
measured runs (under load), for runs started one at a time afterwards (idle), and for the very
first run of each variant (cold). It reports and does not assert: the exit status is 0 when a
target is missed.

    .venv/bin/python benchmarks/dsl_overhead.py [-n 100] [-c 8] [--warmup 20] [--block 20]
        [--sequential 20] [--no-bytecode-cache] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Worker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handwritten import CHAIN_STEPS, HandApproval, HandChain
from results import record
from stack import arguments

from domain.definitions.model import Definition
from domain.definitions.parser import parse
from domain.definitions.schemas import DslResult, DslRun, DslState
from domain.processes.schemas import ApprovalState, Decision, ProcessRef
from keel.temporal import free_port, headless_dev_server
from workers.main import workflow_runner
from workflows.dsl import DslWorkflow

TASK_QUEUE = "bench-dsl-overhead"
TENANT_DOMAIN = "bench.test"
ASSIGNEE = "role:manager"
POLL = 0.005  # seconds between "state" queries while the driver waits for a task

CHAIN_YAML = (
    """
name: bench-chain
version: 1
description: Ten activity steps in a row, each given the previous step's running total.
steps:
  - {id: s1, type: activity, call: bench.step, with: {n: 1, total: 0}}
"""
    + "".join(
        f"  - {{id: s{n}, type: activity, call: bench.step, "
        f'with: {{n: {n}, total: "{{{{ steps.s{n - 1}.output.total }}}}"}}}}\n'
        for n in range(2, CHAIN_STEPS + 1)
    )
    + f'output: "{{{{ steps.s{CHAIN_STEPS}.output }}}}"\n'
)

APPROVAL_YAML = """
name: bench-approval
version: 1
description: Three approvals in a row by the manager.
steps:
  - {id: first, type: task, title: First approval, assignee: role:manager}
  - {id: second, type: task, title: Second approval, assignee: role:manager}
  - {id: third, type: task, title: Third approval, assignee: role:manager}
output: >-
  {{ [steps.first.output.outcome, steps.second.output.outcome, steps.third.output.outcome] }}
"""


# -- no-op activities under the names the workflows call -------------------------------------------------
@activity.defn(name="bench.step")
async def bench_step(arg: Any) -> dict[str, Any]:
    return {"n": arg["n"], "total": int(arg["total"]) + int(arg["n"])}


@activity.defn(name="processes.create_task")
async def create_task(arg: Any) -> None:
    return None


@activity.defn(name="processes.complete_task")
async def complete_task(arg: Any) -> None:
    return None


@activity.defn(name="processes.cancel_tasks")
async def cancel_tasks(arg: Any) -> int:
    return 0


@activity.defn(name="processes.cancel_open_tasks")
async def cancel_open_tasks(arg: Any) -> int:
    return 0


@activity.defn(name="notifications.notify")
async def notify(arg: Any) -> int:
    return 0


@activity.defn(name="events.emit")
async def emit(arg: Any) -> str:
    return str(uuid.uuid4())


@activity.defn(name="processes.record_finished")
async def record_finished(arg: Any) -> None:
    return None


ACTIVITIES = [
    bench_step,
    create_task,
    complete_task,
    cancel_tasks,
    cancel_open_tasks,
    notify,
    emit,
    record_finished,
]
EXPECTED_TOTAL = CHAIN_STEPS * (CHAIN_STEPS + 1) // 2


# -- the variants ------------------------------------------------------------------------------------------
@dataclass
class Variant:
    name: str
    kind: str  # "chain" or "approval"
    definition: Definition | None  # None: hand-written
    times: list[float] = field(default_factory=list)  # completion seconds of the measured runs
    ids: list[str] = field(default_factory=list)  # workflow ids of the measured runs
    wall: float = 0.0  # seconds spent in the measured blocks
    cold_id: str = ""  # the very first run (in the warm-up)
    first_task: list[float] = field(default_factory=list)  # ms, first workflow task of each measured run
    idle_ids: list[str] = field(default_factory=list)  # runs started one at a time, after the measured ones
    idle_first_task: list[float] = field(default_factory=list)
    cold_first_task: float = float("nan")

    @property
    def yaml(self) -> bool:
        return self.definition is not None


async def start(client: Client, variant: Variant, workflow_id: str) -> WorkflowHandle[Any, Any]:
    ref = ProcessRef(tenant_id=uuid.uuid4(), process_id=uuid.uuid4())
    if variant.definition is not None:
        run = DslRun(
            tenant_id=ref.tenant_id,
            tenant_domain=TENANT_DOMAIN,
            process_id=ref.process_id,
            business_key=workflow_id,
            definition=variant.definition,
            input={},
        )
        return await client.start_workflow(
            "dsl", run, id=workflow_id, task_queue=TASK_QUEUE, result_type=DslResult
        )
    if variant.kind == "chain":
        return await client.start_workflow(HandChain.run, ref, id=workflow_id, task_queue=TASK_QUEUE)
    return await client.start_workflow(HandApproval.run, ref, id=workflow_id, task_queue=TASK_QUEUE)


async def open_task(handle: WorkflowHandle[Any, Any], yaml: bool, decided: set[uuid.UUID]) -> uuid.UUID:
    """The id of the open task not decided yet, once the workflow shows one."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if yaml:
                dsl = await handle.query("state", result_type=DslState)
                found = [t.task_id for t in dsl.open_tasks]
            else:
                hand = await handle.query("state", result_type=ApprovalState)
                found = [hand.open_task_id] if hand.open_task_id else []
        except RPCError as err:  # the first workflow task has not completed yet
            if err.status != RPCStatusCode.FAILED_PRECONDITION:
                raise
            found = []
        fresh = [task_id for task_id in found if task_id not in decided]
        if fresh:
            return fresh[0]
        if time.monotonic() > deadline:
            raise TimeoutError(f"{handle.id}: no open task")
        await asyncio.sleep(POLL)


async def one(client: Client, variant: Variant, tag: str) -> tuple[str, float]:
    """One process from start to result; returns its workflow id and completion time in seconds."""
    workflow_id = f"{variant.name}-{tag}-{uuid.uuid4().hex[:12]}"
    t0 = time.perf_counter()
    handle = await start(client, variant, workflow_id)
    if variant.kind == "approval":
        decided: set[uuid.UUID] = set()
        for _ in range(3):
            task_id = await open_task(handle, variant.yaml, decided)
            decision = Decision(task_id=task_id, outcome="approve", assignee_keys=[ASSIGNEE])
            await handle.execute_update("decide", decision, result_type=Decision)
            decided.add(task_id)
    result = await handle.result()
    elapsed = time.perf_counter() - t0
    output = result.output if isinstance(result, DslResult) else result
    expected: Any = (
        {"n": CHAIN_STEPS, "total": EXPECTED_TOTAL} if variant.kind == "chain" else ["approve"] * 3
    )
    if output != expected:
        raise RuntimeError(f"{workflow_id}: unexpected result {output!r}")
    return workflow_id, elapsed


async def block(client: Client, variant: Variant, n: int, concurrency: int, tag: str) -> list[str]:
    """``n`` runs of one variant, ``concurrency`` at a time; records times when measuring."""
    sem = asyncio.Semaphore(concurrency)
    results: list[tuple[str, float]] = []

    async def limited() -> None:
        async with sem:
            results.append(await one(client, variant, tag))

    t0 = time.perf_counter()
    await asyncio.gather(*(limited() for _ in range(n)))
    if tag == "run":
        variant.wall += time.perf_counter() - t0
        variant.ids += [wid for wid, _ in results]
        variant.times += [seconds for _, seconds in results]
    return [wid for wid, _ in results]


async def first_task_ms(client: Client, workflow_id: str) -> float:
    """WorkflowTaskStarted → WorkflowTaskCompleted of the first workflow task, in milliseconds."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    started = None
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED and started is None:
            started = event.event_time.ToDatetime()
        elif event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED and started is not None:
            return (event.event_time.ToDatetime() - started).total_seconds() * 1000
    raise RuntimeError(f"{workflow_id}: no completed workflow task")


# -- the stack --------------------------------------------------------------------------------------------
def start_temporal(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(headless_dev_server(port), stdout=subprocess.DEVNULL)


async def connect(address: str) -> Client:
    for _ in range(300):
        try:
            return await Client.connect(address, data_converter=pydantic_data_converter)
        except Exception:
            await asyncio.sleep(0.1)
    raise RuntimeError("Temporal did not start")


def bytecode_cache(prefix: Path, *, enabled: bool) -> str:
    """Let the sandbox's per-run imports load compiled bytecode, as in the installed image.

    The workflow sandbox imports each workflow's module afresh for every run. An installed Keel (the
    Docker image's ``pip install .``) ships compiled bytecode; a checkout run with
    PYTHONDONTWRITEBYTECODE has none, and every run would compile the workflow sources again. The
    cache goes to a private directory, not into the checkout.
    """
    if not sys.dont_write_bytecode:
        return "on (Python's default)"
    if not enabled:
        return "off (PYTHONDONTWRITEBYTECODE): every run compiles the workflow modules"
    sys.pycache_prefix = str(prefix)
    sys.dont_write_bytecode = False
    return "on (a private cache, as in the installed image; --no-bytecode-cache to turn off)"


def definitions() -> tuple[Definition, Definition]:
    known = {
        "bench.step",
        "processes.create_task",
        "processes.complete_task",
        "processes.cancel_tasks",
        "processes.cancel_open_tasks",
        "notifications.notify",
        "events.emit",
    }
    chain = parse(CHAIN_YAML, known_activities=known).definition
    approval = parse(APPROVAL_YAML, known_activities=known).definition
    return chain, approval


# -- the run ----------------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bench(
    address: str, n: int, concurrency: int, warmup: int, block_size: int, sequential: int
) -> list[Variant]:
    client = await connect(address)
    chain, approval = definitions()
    variants = [
        Variant("chain-yaml", "chain", chain),
        Variant("chain-hand", "chain", None),
        Variant("approval-yaml", "approval", approval),
        Variant("approval-hand", "approval", None),
    ]
    worker = Worker(
        client,
        task_queue=TASK_QUEUE,
        workflows=[DslWorkflow, HandChain, HandApproval],
        activities=ACTIVITIES,
        workflow_runner=workflow_runner(),
    )
    async with worker:
        for variant in variants:
            variant.cold_id = (await block(client, variant, 1, 1, "cold"))[0]
            await block(client, variant, warmup, concurrency, "warm")
        rounds = max(1, -(-n // block_size))
        for r in range(rounds):
            size = min(block_size, n - r * block_size)
            # The order rotates each round, so no variant always follows the same one.
            for i in range(len(variants)):
                await block(client, variants[(r + i) % len(variants)], size, concurrency, "run")
        for _ in range(sequential):  # the first workflow task without other runs competing for the CPU
            for variant in variants:
                variant.idle_ids += await block(client, variant, 1, 1, "idle")
    sem = asyncio.Semaphore(16)

    async def measured(workflow_id: str) -> float:
        async with sem:
            return await first_task_ms(client, workflow_id)

    for variant in variants:
        variant.cold_first_task = await first_task_ms(client, variant.cold_id)
        variant.first_task = list(await asyncio.gather(*(measured(wid) for wid in variant.ids)))
        variant.idle_first_task = list(await asyncio.gather(*(measured(wid) for wid in variant.idle_ids)))
    return variants


def report(variants: list[Variant], args: argparse.Namespace, elapsed: float) -> None:
    ms = 1000.0
    print(
        f"runs per variant: {args.n} measured in blocks of {args.block} (after {args.warmup} warm-up), "
        f"concurrency: {args.c}, cores: {os.cpu_count()}; chain: {CHAIN_STEPS} activities, "
        f"approval: 3 tasks; bytecode cache: {args.bytecode}"
    )
    print(
        f"{'':<15}{'completion time ms':^27}{'':>9}  {'first workflow task ms':^40}"
        f"\n{'variant':<15}{'p50':>9}{'mean':>9}{'p99':>9}{'runs/s':>9}"
        f"  {'load p50':>9}{'load p99':>9}{'idle p50':>9}{'idle p99':>9}{'cold':>7}"
    )
    for v in variants:
        print(
            f"{v.name:<15}{percentile(v.times, 0.5) * ms:9.1f}{statistics.mean(v.times) * ms:9.1f}"
            f"{percentile(v.times, 0.99) * ms:9.1f}{len(v.times) / v.wall:9.1f}"
            f"  {percentile(v.first_task, 0.5):9.1f}{percentile(v.first_task, 0.99):9.1f}"
            f"{percentile(v.idle_first_task, 0.5):9.1f}{percentile(v.idle_first_task, 0.99):9.1f}"
            f"{v.cold_first_task:7.1f}"
        )
    print(
        f"(load: the measured runs, {args.c} at a time; idle: {args.sequential} runs one at a time "
        "afterwards; cold: the first run of the process)"
    )
    by_name = {v.name: v for v in variants}
    for kind in ("chain", "approval"):
        y, h = by_name[f"{kind}-yaml"], by_name[f"{kind}-hand"]
        p50 = percentile(y.times, 0.5) / percentile(h.times, 0.5)
        mean = statistics.mean(y.times) / statistics.mean(h.times)
        wall = (y.wall / len(y.times)) / (h.wall / len(h.times))
        verdict = "met" if max(p50, mean) <= 1.3 else "MISSED"
        record(
            "dsl_overhead",
            f"{kind}, YAML completion p50",
            percentile(y.times, 0.5) * ms,
            "ms",
            baseline=percentile(h.times, 0.5) * ms,
            baseline_name="hand-written",
            better="lower",
            ratio_target=1.3,
        )
        print(
            f"ratio YAML / hand-written, {kind:<8}: completion p50 {p50:4.2f}  mean {mean:4.2f}  "
            f"wall time per run {wall:4.2f}   (target <= 1.3: {verdict})"
        )
    for kind in ("chain", "approval"):
        y = by_name[f"{kind}-yaml"]
        load, idle = percentile(y.first_task, 0.5), percentile(y.idle_first_task, 0.5)
        verdict = "met" if max(load, idle) <= 10 else "met when idle" if idle <= 10 else "MISSED"
        hand = by_name[f"{kind}-hand"]
        record(
            "dsl_overhead",
            f"{kind}, YAML first workflow task p50, idle",
            idle,
            "ms",
            baseline=percentile(hand.idle_first_task, 0.5),
            baseline_name="hand-written",
            better="lower",
            target=10,
        )
        print(
            f"first workflow task, YAML {kind:<8}: p50 {load:5.1f} ms under load, {idle:5.1f} ms idle   "
            f"(target <= 10 ms: {verdict})"
        )
    print(f"benchmark run: {elapsed:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="measured runs per variant")
    parser.add_argument("-c", type=int, default=8, help="concurrent runs")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up runs per variant")
    parser.add_argument("--block", type=int, default=20, help="runs per variant in each alternating block")
    parser.add_argument(
        "--sequential", type=int, default=20, help="runs per variant started one at a time (idle first task)"
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE as it is: the sandbox then compiles the workflow modules anew "
        "for every run",
    )
    args = arguments(parser, n=20, warmup=5, block=10, sequential=5)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="keel-bench-pyc-") as pyc:
        args.bytecode = bytecode_cache(Path(pyc), enabled=not args.no_bytecode_cache)
        port = free_port()
        temporal = start_temporal(port)
        try:
            variants = asyncio.run(
                bench(f"127.0.0.1:{port}", args.n, args.c, args.warmup, args.block, args.sequential)
            )
        finally:
            temporal.terminate()
            temporal.wait(timeout=20)
    report(variants, args, time.perf_counter() - t0)


if __name__ == "__main__":
    main()

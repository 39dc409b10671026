"""Decision tables: a 200-rule table with 5 inputs against the same rules as a Python if chain, and
what a ``decide`` step adds to a process.

Starts a private stack (embedded PostgreSQL, an in-memory Temporal dev server, `keel api` and
`keel worker` as separate processes), publishes the table through REST, then measures in one run:

1. the baseline: the 200 rules as one Python function of ``if`` statements in rule order (its source is
   written out from the same rule list, then compiled once: what a developer would write by hand), called
   in this process; the same table compiled by the engine (``CompiledTable.evaluate``) in this process;
   and ``POST /api/v1/decisions/{name}/evaluate`` (HTTP, the tenant's row, the answer with the
   explanation of every rule). The same random contexts for all three, each answer checked equal to the
   baseline's. p50/p95/p99 of each and the ratios to the baseline.
2. a process with one ``decide`` step against the same process with a ``set`` step in its place: each
   started through ``POST /api/v1/processes`` and awaited to its end (the workflow's result through the
   Temporal client), one at a time, the two alternating. p50/p95 of each and the difference, and the
   decide step's own duration from the process timeline.

    .venv/bin/python benchmarks/decisions.py [--quick] [-n SAMPLES] [--processes N]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import record
from stack import BenchStack, BenchTenant, make_tenant, percentiles, private_stack, timed

from domain.decisions.parser import parse
from keel.temporal import connect

NAME = "bench-pricing"
YAML = {"content-type": "application/yaml"}
REGIONS = ("eu", "us", "apac", "latam", "africa")
TIERS = ("gold", "silver", "bronze", "basic")
BANDS = (0, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, None)  # amount bands [lo, hi)
APPROVERS = ("clerk", "team-lead", "manager", "director")
Rule = dict[str, Any]


def rules() -> list[Rule]:
    """199 rules over region x tier x amount band (days and express narrowing some), then a catch-all."""
    out: list[Rule] = []
    for r, region in enumerate(REGIONS):
        for t, tier in enumerate(TIERS):
            for b, (lo, hi) in enumerate(itertools.pairwise(BANDS)):
                if len(out) == 199:
                    break
                n = len(out)
                out.append(
                    {
                        "region": region,
                        "tier": tier,
                        "lo": lo,
                        "hi": hi,
                        "days": 30 if n % 3 == 0 else None,  # "<= 30" on every third rule
                        "express": (n % 2 == 0) if n % 5 == 0 else None,  # true/false on every fifth
                        "discount": (r * 7 + t * 3 + b) % 25,
                        "approver": APPROVERS[(b + t) % len(APPROVERS)],
                    }
                )
    out.append({"discount": 0, "approver": "director"})
    return out


def table_yaml(table_rules: list[Rule]) -> str:
    def when(rule: Rule) -> dict[str, str]:
        if "region" not in rule:
            return {}
        cells = {"region": f'"{rule["region"]}"', "tier": f'"{rule["tier"]}"'}
        cells["amount"] = f"[{rule['lo']}..{rule['hi']})" if rule["hi"] is not None else f">= {rule['lo']}"
        if rule["days"] is not None:
            cells["days"] = f"<= {rule['days']}"
        if rule["express"] is not None:
            cells["express"] = "true" if rule["express"] else "false"
        return cells

    document = {
        "name": NAME,
        "version": 1,
        "description": "Discount and approver by region, tier, amount, delivery days and express",
        "hit_policy": "first",
        "inputs": [
            {"name": "amount", "expression": "order.amount", "type": "number"},
            {"name": "region", "expression": "customer.region", "type": "string"},
            {"name": "tier", "expression": "customer.tier", "type": "string"},
            {"name": "days", "expression": "order.days", "type": "number"},
            {"name": "express", "expression": "order.express", "type": "boolean"},
        ],
        "outputs": [
            {"name": "discount", "type": "number"},
            {"name": "approver", "type": "string", "values": list(APPROVERS)},
        ],
        "rules": [
            {"when": when(r), "then": {"discount": r["discount"], "approver": r["approver"]}}
            for r in table_rules
        ],
    }
    return yaml.safe_dump(document, sort_keys=False)


def if_chain(table_rules: list[Rule]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The baseline: one ``if`` per rule, in order, as a person writes the table in Python."""
    lines = [
        "def decide(context):",
        "    order, customer = context['order'], context['customer']",
        "    amount, days, express = order['amount'], order['days'], order['express']",
        "    region, tier = customer['region'], customer['tier']",
    ]
    for rule in table_rules:
        then = f"    return {{'discount': {rule['discount']}, 'approver': {rule['approver']!r}}}"
        if "region" not in rule:  # the catch-all
            lines.append(then)
            continue
        tests = [f"region == {rule['region']!r}", f"tier == {rule['tier']!r}", f"{rule['lo']} <= amount"]
        if rule["hi"] is not None:
            tests.append(f"amount < {rule['hi']}")
        if rule["days"] is not None:
            tests.append(f"days <= {rule['days']}")
        if rule["express"] is not None:
            tests.append(f"express is {rule['express']}")
        lines += [f"    if {' and '.join(tests)}:", "    " + then]
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines) + "\n", "<if chain>", "exec"), namespace)
    decide: Callable[[dict[str, Any]], dict[str, Any]] = namespace["decide"]
    return decide


def contexts(count: int, seed: int = 17) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        {
            "order": {
                "amount": rng.choice([rng.randint(0, 120_000), round(rng.uniform(0, 3_000), 2)]),
                "days": rng.randint(1, 60),
                "express": rng.random() < 0.5,
            },
            "customer": {"region": rng.choice(REGIONS), "tier": rng.choice(TIERS)},
        }
        for _ in range(count)
    ]


def per_call_ms(call: Callable[[dict[str, Any]], Any], samples: list[dict[str, Any]]) -> list[float]:
    """Milliseconds of each call, timed one by one (the clock costs well under a microsecond)."""
    out = []
    for context in samples:
        started = time.perf_counter_ns()
        call(context)
        out.append((time.perf_counter_ns() - started) / 1e6)
    return out


def evaluation(bench: BenchStack, tenant: BenchTenant, n: int) -> None:
    table_rules = rules()
    source = table_yaml(table_rules)
    baseline = if_chain(table_rules)
    compiled = parse(source).compiled
    samples = contexts(n)
    for context in samples:  # the three answer alike before anything is timed
        expected = baseline(context)
        got = compiled.evaluate(context)["outputs"]
        assert got == expected, f"{context}: engine {got} != if chain {expected}"
    with tenant.client(bench) as client:
        published = client.post("/api/v1/decisions", content=source, headers=YAML)
        assert published.status_code == 201, published.text
        path = f"/api/v1/decisions/{NAME}/evaluate"
        for context in samples[:50]:
            answer = client.post(path, json={"context": context}).json()["data"]
            assert answer["outputs"] == baseline(context), (context, answer["outputs"])
        for context in samples[:20]:  # warm-up
            client.post(path, json={"context": context})
        http_ms = timed(lambda i: client.post(path, json={"context": samples[i]}), n)
    per_call_ms(baseline, samples)  # warm-up
    per_call_ms(compiled.evaluate, samples)
    chain_ms = per_call_ms(baseline, samples * 5)
    engine_ms = per_call_ms(compiled.evaluate, samples * 5)
    report(
        f"1. a {len(table_rules)}-rule table with 5 inputs, {n} contexts",
        [
            ("Python if chain, in process (baseline)", chain_ms),
            ("CompiledTable.evaluate, in process", engine_ms),
            ("POST /api/v1/decisions/{name}/evaluate", http_ms),
        ],
    )
    chain_p50 = percentiles(chain_ms)[0]
    for label, took in (
        ("200-rule table in process, p50", engine_ms),
        ("POST /decisions/{name}/evaluate, p50", http_ms),
    ):
        p50 = percentiles(took)[0]
        record(
            "decisions", label, p50, "ms", baseline=chain_p50, baseline_name="Python if chain", better="lower"
        )


def report(title: str, rows: list[tuple[str, list[float]]]) -> None:
    print()
    print(title)
    print(f"{'measure':<48} {'p50 ms':>10} {'p95 ms':>10} {'p99 ms':>10} {'x baseline p50':>15} {'p99':>9}")
    base = percentiles(rows[0][1])
    for label, samples in rows:
        p50, p95, p99 = percentiles(samples)
        ratios = f"{p50 / base[0]:>14.0f}x {p99 / base[2]:>8.0f}x"
        print(f"{label:<48} {p50:>10.4f} {p95:>10.4f} {p99:>10.4f} {ratios}")


DECIDE = """
name: bench-decide
version: 1
steps:
  - id: price
    type: decide
    decision: bench-pricing
    context:
      order: "{{ input.order }}"
      customer: "{{ input.customer }}"
output: "{{ steps.price.output }}"
"""
SET = """
name: bench-set
version: 1
steps:
  - id: price
    type: set
    vars:
      price: {discount: 5, approver: manager}
output: "{{ steps.price.output.price }}"
"""


async def overhead(bench: BenchStack, tenant: BenchTenant, count: int) -> None:
    client = await connect(bench.settings)
    samples = contexts(count + 5, seed=23)
    times: dict[str, list[float]] = {"bench-set": [], "bench-decide": []}
    step_ms: list[float] = []
    async with httpx.AsyncClient(base_url=bench.api, headers=tenant.headers, timeout=60) as api:
        for source in (DECIDE, SET):
            published = await api.post("/api/v1/definitions", content=source, headers=YAML)
            assert published.status_code == 201, published.text

        async def one(name: str, context: dict[str, Any]) -> float:
            body = {"definition": name, "business_key": uuid.uuid4().hex[:12], "input": context}
            started = time.perf_counter()
            r = await api.post("/api/v1/processes", json=body)
            assert r.status_code == 201, r.text
            await client.get_workflow_handle(r.json()["data"]["workflow_id"]).result()
            took = (time.perf_counter() - started) * 1000
            if name == "bench-decide":
                view = (await api.get(f"/api/v1/processes/{r.json()['data']['id']}")).json()["data"]
                (entry,) = [e for e in view["state"]["timeline"] if e["step_id"] == "price"]
                step_ms.append(float(entry["duration_ms"]))
            return took

        for i in range(5):  # warm-up: both definitions parsed, both paths run
            await one("bench-set", samples[i])
            await one("bench-decide", samples[i])
        step_ms.clear()
        for i, context in enumerate(samples[5:]):
            order = ("bench-set", "bench-decide") if i % 2 == 0 else ("bench-decide", "bench-set")
            for name in order:
                times[name].append(await one(name, context))
    set50, set95, _ = percentiles(times["bench-set"])
    dec50, dec95, _ = percentiles(times["bench-decide"])
    step50, step95, _ = percentiles(step_ms)
    print()
    print(f"2. a process started through REST and run to its end, {count} of each, one at a time")
    print(f"{'measure':<48} {'p50 ms':>10} {'p95 ms':>10}")
    print(f"{'one set step (baseline)':<48} {set50:>10.1f} {set95:>10.1f}")
    print(f"{'one decide step (the 200-rule table)':<48} {dec50:>10.1f} {dec95:>10.1f}")
    print(f"{'  difference':<48} {dec50 - set50:>+10.1f} {dec95 - set95:>+10.1f}")
    print(f"{'  the decide step in the timeline':<48} {step50:>10.1f} {step95:>10.1f}")
    record(
        "decisions",
        "process with a decide step, p50",
        dec50,
        "ms",
        baseline=set50,
        baseline_name="the same with a set step",
        better="lower",
    )
    record("decisions", "the decide step in the timeline, p50", step50, "ms", better="lower")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples, a smoke run")
    parser.add_argument("-n", type=int, default=None, help="contexts evaluated per measure")
    parser.add_argument("--processes", type=int, default=None, help="processes of each kind")
    args = parser.parse_args()
    n = args.n or (200 if args.quick else 1_000)
    count = args.processes or (20 if args.quick else 100)
    with tempfile.TemporaryDirectory() as home, private_stack(Path(home), api=True) as bench:
        tenant = make_tenant(bench.settings)
        evaluation(bench, tenant, n)
        asyncio.run(overhead(bench, tenant, count))


if __name__ == "__main__":
    main()

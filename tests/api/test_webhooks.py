"""Webhooks through the live API: subscriptions, signed deliveries of real events, dead letters and
replay, bad input, tenant isolation, and processes woken by events another process emits."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from db.models import WebhookDelivery
from db.session import tenant_session
from domain.context import TenantContext
from domain.events import service as events
from domain.webhooks import signing
from keel.temporal import connect
from keel.visibility import waiting_for
from tests.api.conftest import data, error_of
from tests.api.test_definitions import YAML, eventually, manager  # noqa: F401 - fixture
from tests.workflows.test_webhooks import Receiver, serve_receiver
from workers.outbox_listener import dispatcher_id


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver, server = serve_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


def subscribe(admin, url: str, events: list[str], **extra: Any) -> dict[str, Any]:
    r = admin.post("/api/v1/webhooks", json={"url": url, "events": events, **extra})
    hook = data(r, 201)
    assert r.headers["location"] == f"/api/v1/webhooks/{hook['id']}"
    return hook


def post_event(admin, name: str, key: str | None = None, **payload: Any) -> None:
    data(admin.post("/api/v1/events", json={"name": name, "correlation_key": key, "payload": payload}), 202)


def deliveries(admin, hook_id: str, **params: Any) -> list[dict[str, Any]]:
    return data(admin.get(f"/api/v1/webhooks/{hook_id}/deliveries", params=params))


def test_a_posted_event_arrives_signed_and_is_listed(admin, receiver):
    hook = subscribe(admin, receiver.url, ["bill.*"], description="accounting")
    assert hook["secret"].startswith("whsec_") and hook["active"] is True
    assert hook["events"] == ["bill.*"] and hook["description"] == "accounting"
    post_event(admin, "bill.paid", "INV-1", amount=10)
    (request,) = receiver.wait_for(1, timeout=10)
    signing.verify(hook["secret"], request.headers, request.body)
    (event,) = data(admin.get("/api/v1/events", params={"type": "bill.paid"}))
    assert request.json["type"] == "bill.paid"
    assert request.json["data"] == {"id": event["id"], "correlation_key": "INV-1", "amount": 10}

    listed = data(admin.get("/api/v1/webhooks"))
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
    detail = eventually(
        lambda: (d := data(admin.get(f"/api/v1/webhooks/{hook['id']}")))["deliveries"]["succeeded"] == 1 and d
    )
    assert detail["deliveries"] == {"pending": 0, "succeeded": 1, "failed": 0, "disabled": 0}
    assert "secret" not in detail
    (delivery,) = deliveries(admin, hook["id"], status="succeeded")
    assert request.headers["webhook-id"] == signing.message_id(uuid.UUID(delivery["id"]))
    assert delivery["event_id"] == event["id"] and delivery["event_type"] == "bill.paid"
    assert (delivery["attempts"], delivery["last_status_code"], delivery["last_error"]) == (1, 200, None)
    assert deliveries(admin, hook["id"], status="failed") == []
    error_of(
        admin.get(f"/api/v1/webhooks/{hook['id']}/deliveries", params={"status": "lost"}),
        422,
        "validation_failed",
    )
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "webhook", "entity_id": hook["id"]}))
    assert [a["action"] for a in audit] == ["webhook.created"]
    assert hook["secret"] not in str(audit[0]["changes"])


def test_process_and_task_events_reach_a_subscriber(admin, manager, receiver):  # noqa: F811
    from tests.api.test_events import ONE_TASK

    hook = subscribe(admin, receiver.url, ["process.*", "task.assigned"])
    data(admin.post("/api/v1/definitions", content=ONE_TASK, headers=YAML), 201)
    started = data(
        admin.post("/api/v1/processes", json={"definition": "one-task", "business_key": "W-1"}), 201
    )
    requests = receiver.wait_for(2, timeout=10)
    # Separate delivery workflows: arrival order is not promised.
    assert sorted(r.json["type"] for r in requests) == ["process.started", "task.assigned"]
    for request in requests:
        signing.verify(hook["secret"], request.headers, request.body)
        assert request.json["data"]["process_id"] == started["id"]


def test_a_dead_letter_is_listed_and_replayed(admin, receiver):
    receiver.then = 500
    hook = subscribe(admin, receiver.url, ["order.*"])
    post_event(admin, "order.shipped", None, order=7)
    # The live schedule is 0s, 1s, 1s: three attempts, then the dead-letter list.
    (dead,) = eventually(lambda: deliveries(admin, hook["id"], status="failed"), timeout=20)
    assert (dead["attempts"], dead["last_status_code"], dead["replays"]) == (3, 500, 0)
    assert dead["last_error"].startswith("HTTP 500") and dead["next_attempt_at"] is None
    assert len(receiver.requests) == 3

    receiver.then = 200
    replay = data(admin.post(f"/api/v1/webhooks/deliveries/{dead['id']}/retry"), 202)
    assert replay["status"] == "pending" and replay["replays"] == 1
    (done,) = eventually(lambda: deliveries(admin, hook["id"], status="succeeded"), timeout=10)
    assert done["id"] == dead["id"] and done["attempts"] == 4 and done["last_status_code"] == 200
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1  # receivers can dedupe
    signing.verify(hook["secret"], receiver.requests[-1].headers, receiver.requests[-1].body)

    err = error_of(admin.post(f"/api/v1/webhooks/deliveries/{dead['id']}/retry"), 409, "conflict")
    assert "succeeded" in err["message"]
    error_of(admin.post(f"/api/v1/webhooks/deliveries/{uuid.uuid4()}/retry"), 404, "not_found")
    audit = data(
        admin.get("/api/v1/audit", params={"entity_type": "webhook_delivery", "entity_id": dead["id"]})
    )
    assert [a["action"] for a in audit] == ["webhook_delivery.replayed"]


def test_410_disables_the_webhook_and_its_dead_letters_cannot_be_replayed(admin, receiver):
    receiver.then = 410
    hook = subscribe(admin, receiver.url, ["*"])
    post_event(admin, "door.opened")
    (gone,) = eventually(lambda: deliveries(admin, hook["id"], status="disabled"), timeout=10)
    assert gone["attempts"] == 1 and gone["last_status_code"] == 410
    detail = data(admin.get(f"/api/v1/webhooks/{hook['id']}"))
    assert detail["active"] is False and "410" in detail["disabled_reason"]
    err = error_of(admin.post(f"/api/v1/webhooks/deliveries/{gone['id']}/retry"), 409, "conflict")
    assert "disabled" in err["message"]


@pytest.mark.parametrize(
    ("body", "field", "why"),
    [
        ({"url": "ftp://example.com/x", "events": ["*"]}, "url", "only http and https"),
        ({"url": "https://u:p@example.com/", "events": ["*"]}, "url", "credentials"),
        ({"url": "https://nowhere.invalid/", "events": ["*"]}, "url", "does not resolve"),
        ({"url": "http://10.0.0.1/hook", "events": ["*"]}, "url", "private"),
        ({"url": "http://169.254.169.254/latest", "events": ["*"]}, "url", "link-local"),
        ({"url": "http://[::1]:8080/", "events": ["*"]}, "url", "loopback"),
        ({"url": "http://127.0.0.1:9/", "events": ["Task.*"]}, "events.0", "event type"),
        ({"url": "http://127.0.0.1:9/", "events": ["task.*", "task.*.x"]}, "events.1", "event type"),
        ({"url": "http://127.0.0.1:9/", "events": []}, "events", ""),
        ({"events": ["*"]}, "url", ""),
    ],
)
def test_bad_subscriptions_are_refused_with_the_reason(admin, body, field, why):
    err = error_of(admin.post("/api/v1/webhooks", json=body), 422, "validation_failed")
    fields = {f["field"]: f["message"] for f in err["details"]["fields"]}
    assert field in fields and why in fields[field], fields
    assert data(admin.get("/api/v1/webhooks")) == []


def test_idempotency_key_returns_the_first_subscription(admin, receiver):
    body = {"url": receiver.url, "events": ["a.b"]}
    first = data(admin.post("/api/v1/webhooks", json=body, headers={"Idempotency-Key": "wh-1"}), 201)
    again = data(admin.post("/api/v1/webhooks", json=body, headers={"Idempotency-Key": "wh-1"}), 201)
    assert again["id"] == first["id"] and again["secret"] == first["secret"]
    assert len(data(admin.get("/api/v1/webhooks"))) == 1


def test_other_tenants_and_members_cannot_see_or_touch_webhooks(admin, api, make_tenant, manager, receiver):  # noqa: F811
    receiver.then = 500
    hook = subscribe(admin, receiver.url, ["x.*"])
    post_event(admin, "x.y")
    (dead,) = eventually(lambda: deliveries(admin, hook["id"], status="failed"), timeout=20)
    other = api(make_tenant("Other").api_key)
    error_of(other.get(f"/api/v1/webhooks/{hook['id']}"), 404, "not_found")
    error_of(other.get(f"/api/v1/webhooks/{hook['id']}/deliveries"), 404, "not_found")
    error_of(other.http.delete(f"/api/v1/webhooks/{hook['id']}"), 404, "not_found")
    error_of(other.post(f"/api/v1/webhooks/deliveries/{dead['id']}/retry"), 404, "not_found")
    assert data(other.get("/api/v1/webhooks")) == []
    error_of(manager.get("/api/v1/webhooks"), 403, "forbidden")
    error_of(manager.post("/api/v1/webhooks", json={"url": receiver.url, "events": ["*"]}), 403, "forbidden")
    assert data(admin.get(f"/api/v1/webhooks/{hook['id']}"))["active"] is True


def test_a_deleted_webhook_gets_nothing(admin, receiver):
    gone = subscribe(admin, receiver.url, ["parcel.*"])
    r = admin.http.delete(f"/api/v1/webhooks/{gone['id']}")
    assert r.status_code == 204 and r.content == b""
    error_of(admin.get(f"/api/v1/webhooks/{gone['id']}"), 404, "not_found")
    error_of(admin.http.delete(f"/api/v1/webhooks/{gone['id']}"), 404, "not_found")
    assert data(admin.get("/api/v1/webhooks")) == []
    sentinel_receiver, server = serve_receiver()
    try:
        subscribe(admin, sentinel_receiver.url, ["parcel.*"])
        post_event(admin, "parcel.sent")
        sentinel_receiver.wait_for(1, timeout=10)  # dispatched: the deleted one would have had it too
        time.sleep(0.3)
        assert receiver.requests == []
    finally:
        server.shutdown()
        server.server_close()
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "webhook", "entity_id": gone["id"]}))
    assert [a["action"] for a in audit] == ["webhook.deleted", "webhook.created"]


WAITER = """
name: waits-for-payment
version: 1
steps:
  - {id: paid, type: wait, signal: transfer.succeeded, correlation: "{{ input.invoice }}", timeout: P1D}
output: "{{ steps.paid.output }}"
"""
PAYER = """
name: pays
version: 1
steps:
  - {id: pay, type: emit, event: transfer.succeeded, payload: {correlation_key: "{{ input.invoice }}", amount: 42}}
"""


def test_a_waiting_process_is_woken_by_an_event_another_process_emits(admin, tenant, live, receiver):
    for definition in (WAITER, PAYER):
        data(admin.post("/api/v1/definitions", content=definition, headers=YAML), 201)
    hook = subscribe(admin, receiver.url, ["transfer.*"])
    waiter = data(
        admin.post(
            "/api/v1/processes",
            json={"definition": "waits-for-payment", "business_key": "INV-42", "input": {"invoice": "42"}},
        ),
        201,
    )

    async def visible() -> bool:
        client = await connect(live.settings)
        return bool(await waiting_for(client, tenant.id, "transfer.succeeded:42"))

    eventually(lambda: asyncio.run(visible()))
    data(
        admin.post(
            "/api/v1/processes",
            json={"definition": "pays", "business_key": "PAY-42", "input": {"invoice": "42"}},
        ),
        201,
    )
    final = eventually(
        lambda: (p := data(admin.get(f"/api/v1/processes/{waiter['id']}")))["status"] == "completed" and p
    )
    assert final["result"] == {"amount": 42}
    # The same event went to the subscriber as well.
    (request,) = receiver.wait_for(1, timeout=10)
    signing.verify(hook["secret"], request.headers, request.body)
    assert request.json["data"]["correlation_key"] == "42"


def test_the_dispatcher_hands_a_tenants_events_out_in_order(admin, tenant, engine, live, receiver):
    hook = subscribe(admin, receiver.url, ["step.*"])
    ctx = TenantContext.system(tenant.id)
    ids = []
    for n, event_type in enumerate(["step.done", "step.done", "other.thing", "step.done", "step.done"]):
        with tenant_session(engine, tenant.id) as s:  # one transaction each, like real changes
            event_id = events.emit(s, ctx, event_type, {"n": n}).id
        if event_type.startswith("step."):
            ids.append(event_id)
    requests = receiver.wait_for(4, timeout=10)
    # Each delivery is its own workflow, so arrival order is not promised; hand-out order is.
    assert sorted(r.json["data"]["id"] for r in requests) == sorted(str(i) for i in ids)
    for request in requests:
        signing.verify(hook["secret"], request.headers, request.body)

    def handed() -> list[WebhookDelivery]:
        with tenant_session(engine, tenant.id) as s:
            rows = list(s.scalars(select(WebhookDelivery).where(WebhookDelivery.tenant_id == tenant.id)))
        return rows if len(rows) == 4 and all(r.workflow_id for r in rows) else []

    rows = eventually(handed)
    assert all(r.workflow_id == f"webhook-delivery-{r.id}" for r in rows)

    async def children() -> list[str]:
        client = await connect(live.settings)
        history = await client.get_workflow_handle(dispatcher_id(tenant.id)).fetch_history()
        return [
            e.start_child_workflow_execution_initiated_event_attributes.workflow_id
            for e in history.events
            if e.HasField("start_child_workflow_execution_initiated_event_attributes")
        ]

    event_of = {r.workflow_id: r.event_id for r in rows}
    assert [event_of[w] for w in asyncio.run(children())] == ids

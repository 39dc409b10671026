"""The tenant's domain events: written with each change, listed with filters, tenant-scoped."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest

from tests.api.conftest import data, error_of
from tests.api.test_definitions import YAML, eventually, manager  # noqa: F401 - fixture

ONE_TASK = """
name: one-task
version: 1
steps: [{id: ok, type: task, title: OK?, assignee: role:manager}]
output: "{{ steps.ok.output.outcome }}"
"""


def test_a_process_leaves_its_events_in_order(admin, manager, api, make_tenant):  # noqa: F811
    data(admin.post("/api/v1/definitions", content=ONE_TASK, headers=YAML), 201)
    started = data(
        admin.post("/api/v1/processes", json={"definition": "one-task", "business_key": "E-1"}), 201
    )
    (task,) = eventually(
        lambda: data(manager.get("/api/v1/tasks", params={"status": "open", "assignee": "me"}))
    )
    data(manager.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}))

    def events_of_process() -> list[dict]:
        rows = data(admin.get("/api/v1/events", params={"process_id": started["id"]}))
        return rows if any(e["type"] == "process.completed" for e in rows) else []

    rows = list(reversed(eventually(events_of_process)))  # oldest first
    assert [e["type"] for e in rows] == [
        "process.started",
        "task.assigned",
        "task.completed",
        "process.completed",
    ]
    assert rows[0]["payload"]["business_key"] == "E-1"
    assert rows[2]["payload"]["task_id"] == task["id"] and rows[2]["payload"]["outcome"] == "approve"
    assert rows[3]["payload"]["output"] == "approve"
    # Each payload is what the catalogue (GET /api/v1/event-types) promises subscribers.
    schemas = {t["name"]: t["payload_schema"] for t in data(admin.get("/api/v1/event-types"))["types"]}
    for row in rows:
        jsonschema.validate(row["payload"], schemas[row["type"]])

    tasks_only = data(admin.get("/api/v1/events", params={"type": "task.*", "process_id": started["id"]}))
    assert {e["type"] for e in tasks_only} == {"task.assigned", "task.completed"}
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert data(admin.get("/api/v1/events", params={"since": later})) == []
    naive = error_of(
        admin.get("/api/v1/events", params={"since": "2026-01-01T00:00:00"}), 422, "validation_failed"
    )
    assert [f["field"] for f in naive["details"]["fields"]] == ["since"]
    error_of(admin.get("/api/v1/events", params={"since": "yesterday"}), 422, "validation_failed")
    error_of(manager.get("/api/v1/events"), 403, "forbidden")
    assert data(api(make_tenant("Other").api_key).get("/api/v1/events", params={"type": "task.*"})) == []


def test_posted_events_are_recorded_and_keel_names_are_reserved(admin):
    data(
        admin.post(
            "/api/v1/events",
            json={"name": "bill.paid", "correlation_key": "INV-1", "payload": {"amount": 10}},
        ),
        202,
    )
    (event,) = data(admin.get("/api/v1/events", params={"type": "bill.paid"}))
    assert event["payload"] == {"correlation_key": "INV-1", "amount": 10}
    err = error_of(admin.post("/api/v1/events", json={"name": "task.completed"}), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "name"
    assert data(admin.get("/api/v1/events", params={"type": "task.completed"})) == []


def test_the_catalogue_lists_what_keel_emits_with_payload_schemas(admin, anonymous):
    body = data(admin.get("/api/v1/event-types"))
    names = [t["name"] for t in body["types"]]
    assert names == sorted(names)
    for name in (
        "campaign.completed",
        "booking.confirmed",
        "entity.created",
        "task.assigned",
        "webhook.test",
    ):
        assert name in names
    booking = next(t for t in body["types"] if t["name"] == "booking.confirmed")
    assert booking["description"] and booking["payload_schema"]["type"] == "object"
    assert "booking_id" in booking["payload_schema"]["required"]
    assert {"type", "timestamp", "data"} <= set(body["envelope"]["required"])
    assert {"booking", "campaign", "entity", "resource", "task", "process"} <= set(body["namespaces"])
    error_of(anonymous.get("/api/v1/event-types"), 401, "unauthenticated")


FORGED = [
    "campaign.completed",
    "entity.created",
    "booking.confirmed",
    "resource.deleted",
    "relationship.created",
    "webhook.test",
    "Booking.confirmed",  # case does not make it the tenant's
    "booking.anything_new",  # the whole namespace is Keel's, listed or not
    "booking",
]


@pytest.mark.parametrize("name", FORGED)
def test_events_in_keel_namespaces_cannot_be_posted(admin, name):
    from tests.api.test_webhooks import deliveries, serve_receiver, subscribe

    receiver, server = serve_receiver()
    try:
        hook = subscribe(admin, receiver.url, ["*"])
        err = error_of(admin.post("/api/v1/events", json={"name": name}), 422, "validation_failed")
        assert err["details"]["fields"][0]["field"] == "name"
        assert "event-types" in err["details"]["fields"][0]["message"]
        assert data(admin.get("/api/v1/events", params={"type": "*"})) == []
        time.sleep(0.3)
        assert receiver.requests == [] and deliveries(admin, hook["id"]) == []
    finally:
        server.shutdown()
        server.server_close()


def test_type_filter_takes_the_subscription_patterns(admin):
    for name in ("bill.paid", "bill.sent", "order.placed"):
        data(admin.post("/api/v1/events", json={"name": name}), 202)
    everything = data(admin.get("/api/v1/events", params={"type": "*"}))
    assert sorted(e["type"] for e in everything) == ["bill.paid", "bill.sent", "order.placed"]
    invoices = data(admin.get("/api/v1/events", params={"type": "bill.*"}))
    assert sorted(e["type"] for e in invoices) == ["bill.paid", "bill.sent"]
    assert [e["type"] for e in data(admin.get("/api/v1/events", params={"type": "order.placed"}))] == [
        "order.placed"
    ]
    for bad in ("inv*", "invoice.*.x", "Invoice.paid", "**", "bill.paid\n", " ", ""):
        err = error_of(admin.get("/api/v1/events", params={"type": bad}), 422, "validation_failed")
        assert err["details"]["fields"][0]["field"] == "type", bad


def test_a_process_cannot_be_sent_a_keel_event(admin):
    data(admin.post("/api/v1/definitions", content=ONE_TASK, headers=YAML), 201)
    started = data(
        admin.post("/api/v1/processes", json={"definition": "one-task", "business_key": "E-9"}), 201
    )
    path = f"/api/v1/processes/{started['id']}/events"
    for name in ("task.completed", "booking.confirmed", "Process.cancelled"):
        err = error_of(admin.post(path, json={"name": name}), 422, "validation_failed")
        assert err["details"]["fields"][0]["field"] == "name"
    assert data(admin.post(path, json={"name": "receipt.uploaded"}), 202)["delivered_to"] == [started["id"]]
    assert data(admin.get(f"/api/v1/processes/{started['id']}"))["status"] == "running"


FORGER = """
name: forges-a-booking
version: 1
steps:
  - {id: fake, type: emit, event: booking.confirmed, payload: {booking_id: "{{ input.id }}"}}
"""


def test_a_definition_cannot_emit_a_keel_event(admin):
    from tests.api.test_webhooks import deliveries, serve_receiver, subscribe

    receiver, server = serve_receiver()
    try:
        hook = subscribe(admin, receiver.url, ["*"])
        data(admin.post("/api/v1/definitions", content=FORGER, headers=YAML), 201)
        started = data(
            admin.post(
                "/api/v1/processes",
                json={"definition": "forges-a-booking", "business_key": "F-1", "input": {"id": "x"}},
            ),
            201,
        )
        final = eventually(
            lambda: (p := data(admin.get(f"/api/v1/processes/{started['id']}")))["status"] != "running" and p,
            timeout=30,
        )
        assert final["status"] == "failed"
        assert data(admin.get("/api/v1/events", params={"type": "booking.*"})) == []
        time.sleep(0.3)
        assert [r.json["type"] for r in receiver.requests if r.json["type"].startswith("booking.")] == []
        assert all(d["event_type"] != "booking.confirmed" for d in deliveries(admin, hook["id"]))
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 'invoice."paid'}, "name"),
        ({"name": "Invoice Paid"}, "name"),
        ({"name": "bill.paid", "correlation_key": 'INV-"1'}, "correlation_key"),
        ({"name": "bill.paid", "correlation_key": "INV\n1"}, "correlation_key"),
    ],
)
def test_a_posted_event_needs_an_event_type_name_and_a_plain_correlation_key(admin, body, field):
    """A double quote reached Temporal's visibility query and answered 500 after seconds of retries."""
    before = data(admin.get("/api/v1/events?type=invoice.*&limit=200"))
    started = time.monotonic()
    err = error_of(admin.post("/api/v1/events", json=body), 422, "validation_failed")
    assert time.monotonic() - started < 2
    assert [f["field"] for f in err["details"]["fields"]] == [field]
    assert data(admin.get("/api/v1/events?type=invoice.*&limit=200")) == before


@pytest.mark.parametrize("query", ['business_key=PO-"1', 'definition=app"roval'])
def test_a_process_list_filter_with_a_double_quote_is_a_422(admin, query):
    error_of(admin.get(f"/api/v1/processes?{query}"), 422, "validation_failed")

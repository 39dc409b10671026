"""The tenant's domain events: written with each change, listed with filters, tenant-scoped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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

    tasks_only = data(admin.get("/api/v1/events", params={"type": "task.*", "process_id": started["id"]}))
    assert {e["type"] for e in tasks_only} == {"task.assigned", "task.completed"}
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert data(admin.get("/api/v1/events", params={"since": later})) == []
    error_of(admin.get("/api/v1/events", params={"since": "2026-01-01T00:00:00"}), 422, "validation_failed")
    error_of(admin.get("/api/v1/events", params={"since": "yesterday"}), 422, "validation_failed")
    error_of(manager.get("/api/v1/events"), 403, "forbidden")
    assert data(api(make_tenant("Other").api_key).get("/api/v1/events", params={"type": "task.*"})) == []


def test_posted_events_are_recorded_and_keel_names_are_reserved(admin):
    data(
        admin.post(
            "/api/v1/events",
            json={"name": "invoice.paid", "correlation_key": "INV-1", "payload": {"amount": 10}},
        ),
        202,
    )
    (event,) = data(admin.get("/api/v1/events", params={"type": "invoice.paid"}))
    assert event["payload"] == {"correlation_key": "INV-1", "amount": 10}
    err = error_of(admin.post("/api/v1/events", json={"name": "task.completed"}), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "name"
    assert data(admin.get("/api/v1/events", params={"type": "task.completed"})) == []

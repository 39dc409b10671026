"""YAML definitions through REST: validate, publish, version pinning, running, tasks with forms, events."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of

YAML = {"content-type": "application/yaml"}

EXPENSE = """
name: expense
version: {version}
description: Expense claim with a manager check
input:
  type: object
  required: [amount, employee]
  properties:
    amount: {{type: number, exclusiveMinimum: 0}}
    employee: {{type: string}}
steps:
  - id: check
    type: task
    title: "Expense of {{{{ input.amount }}}} by {{{{ input.employee }}}}"
    assignee: role:manager
    outcomes: [approve, reject]
    form:
      type: object
      required: [cost_center]
      properties:
        cost_center: {{type: string, pattern: "^CC-[0-9]+$"}}
  - id: receipt
    type: wait
    signal: receipt.uploaded
    correlation: "{{{{ input.employee }}}}"
    timeout: P7D
  - {{id: done, type: emit, event: expense.{event}, payload: {{cc: "{{{{ steps.check.output.data.cost_center }}}}"}}}}
output:
  outcome: "{{{{ steps.check.output.outcome }}}}"
  cost_center: "{{{{ steps.check.output.data.cost_center }}}}"
  receipt: "{{{{ steps.receipt.output.file }}}}"
"""


def expense(version: int = 1, event: str = "closed") -> str:
    return EXPENSE.format(version=version, event=event)


def eventually(fn: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := fn()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)
    return result


@pytest.fixture
def manager(admin: Api, api, tenant) -> Api:
    data(
        admin.post(
            "/api/v1/roles", json={"name": "manager", "permissions": ["tasks:read", "tasks:complete"]}
        ),
        201,
    )
    data(
        admin.post(
            "/api/v1/users",
            json={
                "email": f"max@{tenant.domain}",
                "password": "a-long-password",
                "roles": ["manager", "member"],
            },
        ),
        201,
    )
    return api(None).login(f"max@{tenant.domain}", "a-long-password")


def test_validate_reports_line_and_column_and_publishes_nothing(admin):
    ok = data(admin.post("/api/v1/definitions/validate", content=expense(), headers=YAML))
    assert ok["valid"] and ok["name"] == "expense" and ok["mermaid"].startswith("flowchart")
    broken = expense().replace("type: wait", "type: sleep")
    err = error_of(
        admin.post("/api/v1/definitions/validate", content=broken, headers=YAML), 422, "validation_failed"
    )
    (field,) = err["details"]["fields"]
    assert "sleep" in field["message"] and field["line"] == 23 and field["column"] > 0
    err = error_of(
        admin.post("/api/v1/definitions/validate", content="name: [unclosed", headers=YAML),
        422,
        "validation_failed",
    )
    assert err["details"]["fields"][0]["line"] in (1, 2)  # where the unclosed flow sequence is noticed
    error_of(
        admin.post("/api/v1/definitions/validate", content=expense(), headers={"content-type": "text/html"}),
        415,
        "unsupported_media_type",
    )
    error_of(admin.post("/api/v1/definitions/validate", content=b"  ", headers=YAML), 400, "bad_request")
    assert "expense" not in {d["name"] for d in data(admin.get("/api/v1/definitions"))}


def test_publish_is_immutable_per_version_and_tenant_scoped(admin, api, make_tenant, manager):
    r = admin.post("/api/v1/definitions", content=expense(), headers=YAML)
    first = data(r, 201)
    assert r.headers["location"] == "/api/v1/definitions/expense/versions/1" and len(first["sha256"]) == 64
    again = admin.post(
        "/api/v1/definitions", content=expense() + "\n# a comment changes nothing\n", headers=YAML
    )
    assert data(again, 200)["sha256"] == first["sha256"]
    err = error_of(
        admin.post("/api/v1/definitions", content=expense(event="archived"), headers=YAML), 409, "conflict"
    )
    assert err["details"]["sha256"] == first["sha256"]
    data(admin.post("/api/v1/definitions", content=expense(version=2, event="archived"), headers=YAML), 201)
    listed = {d["name"]: d for d in data(admin.get("/api/v1/definitions"))}
    assert listed["expense"]["versions"] == [1, 2] and listed["expense"]["origin"] == "tenant"
    assert listed["approval"]["origin"] == "shipped"  # the approval chain ships as YAML
    v1 = data(admin.get("/api/v1/definitions/expense/versions/1"))
    assert (
        "expense.closed" in v1["source"]
        and v1["parsed"]["steps"][0]["id"] == "check"
        and "check" in v1["mermaid"]
    )
    error_of(admin.get("/api/v1/definitions/expense/versions/9"), 404, "not_found")
    error_of(manager.post("/api/v1/definitions", content=expense(version=3), headers=YAML), 403, "forbidden")
    stranger = api(make_tenant("Stranger").api_key)
    error_of(stranger.get("/api/v1/definitions/expense/versions/1"), 404, "not_found")
    assert "expense" not in {d["name"] for d in data(stranger.get("/api/v1/definitions"))}
    for bad in ("steps: []", "name: x\nversion: 1\nsteps:\n  - {id: a, type: activity, call: nope.nope}"):
        error_of(admin.post("/api/v1/definitions", content=bad, headers=YAML), 422, "validation_failed")


def test_yaml_process_end_to_end_with_form_pinning_and_events(admin, manager, tenant):
    data(admin.post("/api/v1/definitions", content=expense(), headers=YAML), 201)
    err = error_of(
        admin.post("/api/v1/processes", json={"definition": "expense", "input": {"amount": -5}}),
        422,
        "validation_failed",
    )
    assert {f["field"] for f in err["details"]["fields"]} == {"input.employee", "input.amount"}
    error_of(
        admin.post("/api/v1/processes", json={"definition": "expense", "version": 7, "input": {}}),
        422,
        "validation_failed",
    )
    error_of(
        admin.post("/api/v1/processes", json={"definition": "nope", "input": {}}), 422, "validation_failed"
    )
    started = data(
        admin.post(
            "/api/v1/processes",
            json={
                "definition": "expense",
                "business_key": "EXP-1",
                "input": {"amount": 42.5, "employee": "max"},
            },
        ),
        201,
    )
    assert started["version"] == 1
    # A new version does not touch the running process: it stays pinned to version 1.
    data(admin.post("/api/v1/definitions", content=expense(version=2, event="archived"), headers=YAML), 201)

    (task,) = eventually(
        lambda: data(manager.get("/api/v1/tasks", params={"status": "open", "assignee": "me"}))
    )
    assert task["title"] == "Expense of 42.5 by max" and task["data"]["outcomes"] == ["approve", "reject"]
    url = f"/api/v1/tasks/{task['id']}/complete"
    error_of(manager.post(url, json={"outcome": "maybe"}), 422, "validation_failed")
    err = error_of(
        manager.post(url, json={"outcome": "approve", "data": {"cost_center": "X"}}), 422, "validation_failed"
    )
    assert err["details"]["fields"][0]["field"] == "data.cost_center"
    done = data(manager.post(url, json={"outcome": "approve", "data": {"cost_center": "CC-7"}}))
    assert done["status"] == "completed" and done["data"]["submission"] == {"cost_center": "CC-7"}

    def waiting() -> Any:
        view = data(admin.get(f"/api/v1/processes/{started['id']}"))
        return (
            view if view["state"] and view["state"]["awaiting_events"] == ["receipt.uploaded:max"] else None
        )

    view = eventually(waiting)
    assert [e["step_id"] for e in view["state"]["timeline"] if e["status"] == "completed"] == ["check"]
    nobody = data(
        admin.post("/api/v1/events", json={"name": "receipt.uploaded", "correlation_key": "someone-else"}),
        202,
    )
    assert nobody["delivered_to"] == []
    delivered = eventually(
        lambda: data(
            admin.post(
                "/api/v1/events",
                json={"name": "receipt.uploaded", "correlation_key": "max", "payload": {"file": "r.pdf"}},
            ),
            202,
        )["delivered_to"]
    )
    assert delivered == [started["id"]]

    final = eventually(
        lambda: (p := data(admin.get(f"/api/v1/processes/{started['id']}")))["status"] == "completed" and p
    )
    assert final["version"] == 1
    assert final["result"] == {"outcome": "approve", "cost_center": "CC-7", "receipt": "r.pdf"}
    timeline = final["state"]["timeline"]
    assert [e["step_id"] for e in timeline] == ["check", "receipt", "done"]
    assert all(e["duration_ms"] is not None for e in timeline)
    error_of(admin.post(f"/api/v1/processes/{started['id']}/events", json={"name": "x"}), 409, "conflict")


def test_failed_yaml_process_reports_the_error(admin):
    source = """
name: strict
version: 1
steps:
  - {id: stop, type: fail, error: PolicyViolation, message: "limit is {{ input.limit }}"}
"""
    data(admin.post("/api/v1/definitions", content=source, headers=YAML), 201)
    started = data(
        admin.post("/api/v1/processes", json={"definition": "strict", "input": {"limit": 10}}), 201
    )
    final = eventually(
        lambda: (p := data(admin.get(f"/api/v1/processes/{started['id']}")))["status"] == "failed" and p
    )
    assert final["error"] == "PolicyViolation: limit is 10"


def test_cycles_and_oversize_definitions_are_refused(admin):
    leaf = "name: leaf\nversion: 1\nsteps: [{id: s, type: set, vars: {a: 1}}]\n"
    data(admin.post("/api/v1/definitions", content=leaf, headers=YAML), 201)
    root = "name: root\nversion: 1\nsteps: [{id: call-leaf, type: subprocess, definition: leaf}]\n"
    data(admin.post("/api/v1/definitions", content=root, headers=YAML), 201)
    looping = "name: leaf\nversion: 2\nsteps: [{id: back, type: subprocess, definition: root}]\n"
    err = error_of(admin.post("/api/v1/definitions", content=looping, headers=YAML), 422, "validation_failed")
    assert "cycle: leaf -> root -> leaf" in err["details"]["fields"][0]["message"]
    itself = "name: selfish\nversion: 1\nsteps: [{id: again, type: subprocess, definition: selfish}]\n"
    error_of(admin.post("/api/v1/definitions", content=itself, headers=YAML), 422, "validation_failed")
    huge = leaf + "# " + "x" * 1_100_000 + "\n"
    error_of(admin.post("/api/v1/definitions/validate", content=huge, headers=YAML), 413, "payload_too_large")
    versions = {d["name"]: d["versions"] for d in data(admin.get("/api/v1/definitions"))}
    assert versions["leaf"] == [1] and "selfish" not in versions


def test_subprocess_definitions_are_pinned_at_start(admin, manager):
    child = "name: child\nversion: {v}\nsteps: [{{id: s, type: set, vars: {{v: {v}}}}}]\noutput: '{{{{ vars.v }}}}'\n"
    data(admin.post("/api/v1/definitions", content=child.format(v=1), headers=YAML), 201)
    parent = """
name: parent
version: 1
steps:
  - {id: gate, type: task, title: Go, assignee: role:manager}
  - {id: run-child, type: subprocess, definition: child}
output: "{{ steps['run-child'].output.result.output }}"
"""
    data(admin.post("/api/v1/definitions", content=parent, headers=YAML), 201)
    started = data(admin.post("/api/v1/processes", json={"definition": "parent"}), 201)
    # Publishing child v2 after the start does not change what this process runs.
    data(admin.post("/api/v1/definitions", content=child.format(v=2), headers=YAML), 201)
    (task,) = eventually(
        lambda: data(manager.get("/api/v1/tasks", params={"status": "open", "assignee": "me"}))
    )
    data(manager.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}))
    final = eventually(
        lambda: (p := data(admin.get(f"/api/v1/processes/{started['id']}")))["status"] == "completed" and p
    )
    assert final["result"] == 1

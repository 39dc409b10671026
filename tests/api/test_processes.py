"""The approval process end to end through REST, against the Temporal dev server and a real worker."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from db.models import Process
from db.session import tenant_session
from keel.temporal import connect
from tests.api.conftest import Api, data, error_of
from workflows import contracts


def eventually(fn: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = fn()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


@pytest.fixture
def org(admin: Api, api, tenant) -> dict[str, Api]:
    for role in ("manager", "director"):
        data(
            admin.post("/api/v1/roles", json={"name": role, "permissions": ["tasks:read", "tasks:complete"]}),
            201,
        )
    people = {"alice": ["manager", "member"], "dora": ["director", "member"], "cfo": ["member"]}
    for name, roles in people.items():
        data(
            admin.post(
                "/api/v1/users",
                json={"email": f"{name}@{tenant.domain}", "password": "a-long-password", "roles": roles},
            ),
            201,
        )
    return {name: api(None).login(f"{name}@{tenant.domain}", "a-long-password") for name in people} | {
        "admin": admin
    }


def approval(tenant, key: str = "PO-1", **extra: Any) -> dict[str, Any]:
    return {
        "definition": "approval",
        "business_key": key,
        "input": {
            "subject": "New laptops",
            "amount": {"value": "1200.00", "currency": "EUR"},
            "chain": [
                {"assignee": "role:manager", "due": "P2D", "escalate_to": "role:director"},
                {"assignee": f"user:cfo@{tenant.domain}", "due": "P3D"},
            ],
            "on_timeout": "reject",
        }
        | extra,
    }


def open_tasks(who: Api) -> list[dict[str, Any]]:
    return data(who.get("/api/v1/tasks", params={"status": "open", "assignee": "me"}))


def test_approval_chain_end_to_end(org, tenant, live):
    admin, alice, cfo, dora = org["admin"], org["alice"], org["cfo"], org["dora"]
    r = admin.post("/api/v1/processes", json=approval(tenant))
    process = data(r, 201)
    assert r.headers["location"] == f"/api/v1/processes/{process['id']}"
    assert process["workflow_id"] == f"{tenant.domain}:approval:PO-1"
    assert process["temporal_ui_url"].endswith(f"/workflows/{tenant.domain}%3Aapproval%3APO-1")

    (task,) = eventually(lambda: open_tasks(alice))
    assert task["process_id"] == process["id"] and task["assignee"] == "role:manager" and task["step"] == 0
    assert open_tasks(cfo) == [] and open_tasks(dora) == []
    live_view = data(admin.get(f"/api/v1/processes/{process['id']}"))
    assert live_view["status"] == "running"
    assert [t["task_id"] for t in live_view["state"]["open_tasks"]] == [task["id"]]
    assert "decide" in live_view["state"]["current_steps"] and live_view["version"] == 1
    assert live_view["input"]["amount"] == {"value": "1200.00", "currency": "EUR"}

    # If-Match guards against deciding on a stale view.
    read = alice.get(f"/api/v1/tasks/{task['id']}")
    assert read.headers["etag"]
    stale = alice.post(
        f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}, headers={"If-Match": '"old"'}
    )
    assert error_of(stale, 412, "precondition_failed")["details"]["etag"] == read.headers["etag"]
    assert data(alice.get(f"/api/v1/tasks/{task['id']}"))["status"] == "open"
    # Only an assignee may decide: the CFO is not (yet).
    error_of(cfo.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}), 403, "forbidden")
    done = data(
        alice.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve", "comment": "ok"})
    )
    assert done["status"] == "completed" and done["outcome"] == "approve" and done["comment"] == "ok"
    error_of(alice.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "reject"}), 409, "conflict")

    (second,) = eventually(lambda: open_tasks(cfo))
    assert second["assignee"] == f"user:cfo@{tenant.domain}" and second["step"] == 1
    data(cfo.post(f"/api/v1/tasks/{second['id']}/complete", json={"outcome": "approve"}))

    final = eventually(
        lambda: (p := data(admin.get(f"/api/v1/processes/{process['id']}")))["status"] == "completed" and p
    )
    assert final["result"]["outcome"] == "approved"
    assert [d["outcome"] for d in final["result"]["decisions"]] == ["approve", "approve"]
    assert final["closed_at"] is not None

    listed = eventually(
        lambda: data(admin.get("/api/v1/processes", params={"status": "completed", "business_key": "PO-1"}))
    )
    assert [p["id"] for p in listed] == [process["id"]]
    assert data(admin.get("/api/v1/processes", params={"status": "running", "business_key": "PO-1"})) == []
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "task", "entity_id": task["id"]}))
    assert {a["action"] for a in audit} == {"task.created", "task.completed"}


def test_an_approval_start_runs_the_shipped_yaml_definition(org, tenant, live, engine):
    """POST /processes never starts the code approval workflow: the interpreter runs approval.yaml."""
    admin = org["admin"]
    process = data(admin.post("/api/v1/processes", json=approval(tenant, "PO-YAML")), 201)
    shipped = data(admin.get("/api/v1/definitions/approval/versions/1"))
    assert shipped["origin"] == "shipped" and process["version"] == shipped["version"]
    with tenant_session(engine, tenant.id) as session:
        row = session.get(Process, uuid.UUID(process["id"]))
        assert row is not None
        assert (row.definition_version, row.definition_sha256) == (shipped["version"], shipped["sha256"])

    async def workflow_type() -> str:
        client = await connect(live.settings)
        return (await client.get_workflow_handle(process["workflow_id"]).describe()).workflow_type

    assert asyncio.run(workflow_type()) == contracts.DSL


def test_reject_and_list_filters(org, tenant):
    admin, alice = org["admin"], org["alice"]
    process = data(admin.post("/api/v1/processes", json=approval(tenant, "PO-2")), 201)
    (task,) = eventually(lambda: open_tasks(alice))
    data(
        alice.post(
            f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "reject", "comment": "too expensive"}
        )
    )
    final = eventually(
        lambda: (p := data(admin.get(f"/api/v1/processes/{process['id']}")))["status"] == "completed" and p
    )
    assert final["result"]["outcome"] == "rejected"
    assert open_tasks(org["cfo"]) == []  # the chain stopped
    by_def = eventually(lambda: data(admin.get("/api/v1/processes", params={"definition": "approval"})))
    assert [p["business_key"] for p in by_def] == ["PO-2"]


def test_a_client_waits_for_the_outcome_in_one_request(org, tenant):
    admin, alice = org["admin"], org["alice"]
    process = data(admin.post("/api/v1/processes", json=approval(tenant, "PO-WAIT")), 201)
    path = f"/api/v1/processes/{process['id']}"
    started = time.monotonic()
    still = data(admin.get(path, params={"wait": 1}))  # nobody decides: it answers after the wait
    assert still["status"] == "running" and 1 <= time.monotonic() - started < 10
    for bad in (-1, 61, "nan", "soon"):
        assert admin.get(path, params={"wait": bad}).status_code == 422
    (task,) = eventually(lambda: open_tasks(alice))
    data(alice.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "reject"}))
    started = time.monotonic()
    done = data(admin.get(path, params={"wait": 30}))  # answers as soon as the process ends
    assert done["status"] == "completed" and done["result"]["outcome"] == "rejected"
    assert time.monotonic() - started < 15


def test_a_client_waits_for_its_task_in_one_request(org, tenant, make_tenant, api):
    admin, alice = org["admin"], org["alice"]
    stranger = api(make_tenant("Stranger").api_key)
    for bad in (-1, 61, "nan", "soon"):
        assert alice.get("/api/v1/tasks", params={"wait": bad}).status_code == 422
    started = time.monotonic()  # nothing to find: it answers an empty page after the wait
    assert data(alice.get("/api/v1/tasks", params={"status": "open", "wait": 1})) == []
    assert 1 <= time.monotonic() - started < 10
    with ThreadPoolExecutor(max_workers=2) as pool:
        process = data(admin.post("/api/v1/processes", json=approval(tenant, "PO-POLL")), 201)
        mine = {"process_id": process["id"], "status": "open", "wait": 30}
        # Another tenant's waiter is not answered by this tenant's task (nor shown it).
        elsewhere = pool.submit(stranger.get, "/api/v1/tasks", params={"status": "open", "wait": 2})
        (task,) = data(alice.get("/api/v1/tasks", params=mine))  # answers once the step opens it
        assert task["process_id"] == process["id"] and task["status"] == "open"
        assert data(elsewhere.result()) == []
        # A waiter for the completed task is woken by the write itself (the notice), not a re-look.
        done = {"process_id": process["id"], "status": "completed", "wait": 30}
        closed = pool.submit(alice.get, "/api/v1/tasks", params=done)
        time.sleep(0.5)
        data(alice.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "reject"}))
        written = time.monotonic()
        (finished,) = data(closed.result())
        assert finished["id"] == task["id"] and finished["outcome"] == "reject"
        assert time.monotonic() - written < 3  # a missed notice would wait for the 5 s re-look
    final = data(admin.get(f"/api/v1/processes/{process['id']}", params={"wait": 20}))
    # A completed process's state comes from its result: the run's last state, no task open.
    assert final["state"]["phase"] == "completed" and final["state"]["open_tasks"] == []


def test_other_tenants_cannot_see_or_act(org, tenant, make_tenant, api):
    process = data(org["admin"].post("/api/v1/processes", json=approval(tenant, "PO-3")), 201)
    (task,) = eventually(lambda: open_tasks(org["alice"]))
    stranger = api(make_tenant("Stranger").api_key)
    error_of(stranger.get(f"/api/v1/processes/{process['id']}"), 404, "not_found")
    error_of(stranger.get(f"/api/v1/tasks/{task['id']}"), 404, "not_found")
    error_of(
        stranger.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}), 404, "not_found"
    )
    error_of(stranger.post(f"/api/v1/processes/{process['id']}/cancel"), 404, "not_found")
    assert data(stranger.get("/api/v1/processes")) == []
    assert data(stranger.get("/api/v1/tasks")) == []
    assert data(org["alice"].get(f"/api/v1/tasks/{task['id']}"))["status"] == "open"


@pytest.mark.parametrize(
    ("mutate", "field", "fragment"),
    [
        (lambda b: b | {"definition": "nope"}, "definition", "unknown definition"),
        (lambda b: b["input"]["chain"][0].update(due="2 days") or b, "input.chain.0.due", "ISO 8601"),
        (lambda b: b["input"]["chain"][0].update(due="P1M") or b, "input.chain.0.due", "ISO 8601"),
        (lambda b: b["input"].update(chain=[]) or b, "input.chain", "at least 1"),
        (
            lambda b: b["input"].update(amount={"value": "10.00", "currency": "EURO"}) or b,
            "input.amount.currency",
            "ISO 4217",
        ),
        (
            lambda b: b["input"].update(amount={"value": "10.001", "currency": "EUR"}) or b,
            "input.amount",
            "decimal places",
        ),
        (
            lambda b: b["input"]["chain"][1].update(assignee="user:ghost@nowhere.test") or b,
            "input.chain.1.assignee",
            "no active",
        ),
        (
            lambda b: b["input"]["chain"][0].update(escalate_to="role:ghosts") or b,
            "input.chain.0.escalate_to",
            "no active",
        ),
        (
            lambda b: b["input"]["chain"][0].update(assignee="bob") or b,
            "input.chain.0.assignee",
            "user:<email>",
        ),
        (lambda b: b | {"business_key": "has space"}, "business_key", "business key"),
        (lambda b: b["input"].pop("subject") and b, "input.subject", "required"),
    ],
)
def test_bad_process_input_is_refused_and_starts_nothing(org, tenant, mutate, field, fragment):
    admin = org["admin"]
    body = mutate(approval(tenant, f"BAD-{uuid.uuid4().hex[:6]}"))
    err = error_of(admin.post("/api/v1/processes", json=body), 422, "validation_failed")
    fields = {f["field"]: f["message"] for f in err["details"]["fields"]}
    assert field in fields and fragment in fields[field], fields
    assert data(admin.get("/api/v1/tasks")) == []
    assert data(admin.get("/api/v1/audit", params={"entity_type": "process"})) == []


def test_malformed_json_and_duplicate_business_key(org, tenant):
    admin = org["admin"]
    r = admin.post(
        "/api/v1/processes",
        content=b'{"definition": "approval",',
        headers={"content-type": "application/json"},
    )
    error_of(r, 400, "bad_request")
    first = data(admin.post("/api/v1/processes", json=approval(tenant, "PO-9")), 201)
    err = error_of(admin.post("/api/v1/processes", json=approval(tenant, "PO-9")), 409, "conflict")
    assert err["details"]["process_id"] == first["id"]
    member = org["cfo"]
    assert (
        data(member.post("/api/v1/processes", json=approval(tenant, "PO-10")), 201)["business_key"] == "PO-10"
    )
    error_of(org["alice"].get(f"/api/v1/tasks/{uuid.uuid4()}"), 404, "not_found")


def test_idempotent_start_creates_one_process(org, tenant):
    admin = org["admin"]
    headers = {"Idempotency-Key": "start-po-11"}
    a = admin.post("/api/v1/processes", json=approval(tenant, "PO-11"), headers=headers)
    b = admin.post("/api/v1/processes", json=approval(tenant, "PO-11"), headers=headers)
    assert a.status_code == b.status_code == 201 and a.json()["data"]["id"] == b.json()["data"]["id"]
    error_of(
        admin.post("/api/v1/processes", json=approval(tenant, "PO-12"), headers=headers),
        422,
        "idempotency_key_reused",
    )
    assert len(eventually(lambda: open_tasks(org["alice"]))) == 1


def test_cancel_closes_tasks(org, tenant):
    admin, alice = org["admin"], org["alice"]
    process = data(admin.post("/api/v1/processes", json=approval(tenant, "PO-13")), 201)
    (task,) = eventually(lambda: open_tasks(alice))
    error_of(alice.post(f"/api/v1/processes/{process['id']}/cancel"), 403, "forbidden")
    data(admin.post(f"/api/v1/processes/{process['id']}/cancel"), 202)
    eventually(lambda: data(admin.get(f"/api/v1/processes/{process['id']}"))["status"] == "cancelled")
    assert data(alice.get(f"/api/v1/tasks/{task['id']}"))["status"] == "cancelled"
    error_of(admin.post(f"/api/v1/processes/{process['id']}/cancel"), 409, "conflict")
    error_of(alice.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}), 409, "conflict")


@pytest.mark.parametrize("assignee", ["bogus", "user", "role:", "me "])
def test_a_task_list_assignee_filter_must_be_me_a_user_or_a_role(admin, assignee):
    err = error_of(admin.get("/api/v1/tasks", params={"assignee": assignee}), 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == ["assignee"]

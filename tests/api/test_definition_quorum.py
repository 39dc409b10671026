"""A quorum over a role through REST: publish `assignee: role:<board>` with `quorum: 2`, each member finds
their own task in the inbox, one member cannot decide for another, and two approvals finish the step."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.api.conftest import Api, data, error_of

YAML = {"content-type": "application/yaml"}


def eventually(fn: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := fn()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)
    return result


def members(admin: Api, api: Any, tenant: Any, role: str, *names: str) -> dict[str, Api]:
    perms = {"name": role, "permissions": ["tasks:read", "tasks:complete"]}
    data(admin.post("/api/v1/roles", json=perms), 201)
    out = {}
    for name in names:
        email = f"{name}-{role}@{tenant.domain}"
        body = {"email": email, "password": "a-long-password", "roles": [role, "member"]}
        data(admin.post("/api/v1/users", json=body), 201)
        out[name] = api(None).login(email, "a-long-password")
    return out


def test_any_two_members_of_a_role_approve(admin, api, tenant) -> None:
    role = f"board-{uuid.uuid4().hex[:6]}"
    board = members(admin, api, tenant, role, "ann", "bob", "cat")
    name = f"budget-{uuid.uuid4().hex[:6]}"
    source = f"""
name: {name}
version: 1
steps:
  - {{id: vote, type: task, title: Budget, assignee: "role:{role}", quorum: 2}}
output: "{{{{ steps.vote.output.outcome }}}}"
"""
    data(admin.post("/api/v1/definitions", content=source, headers=YAML), 201)
    started = data(admin.post("/api/v1/processes", json={"definition": name, "input": {}}), 201)

    def inbox(who: str) -> list[dict[str, Any]]:
        return data(board[who].get("/api/v1/tasks", params={"status": "open", "assignee": "me"}))

    mine = {who: eventually(lambda who=who: inbox(who)) for who in board}
    assert all(len(tasks) == 1 for tasks in mine.values())  # one task each, not one shared task
    ann, bob = mine["ann"][0], mine["bob"][0]
    assert ann["id"] != bob["id"]
    data(board["ann"].post(f"/api/v1/tasks/{ann['id']}/complete", json={"outcome": "approve"}))
    # Ann holds the role, but Bob's task is Bob's: refused, and it stays open.
    error_of(
        board["ann"].post(f"/api/v1/tasks/{bob['id']}/complete", json={"outcome": "approve"}),
        403,
        "forbidden",
    )
    assert [t["id"] for t in inbox("bob")] == [bob["id"]]
    assert data(admin.get(f"/api/v1/processes/{started['id']}"))["status"] == "running"
    data(board["bob"].post(f"/api/v1/tasks/{bob['id']}/complete", json={"outcome": "approve"}))
    final = eventually(
        lambda: (p := data(admin.get(f"/api/v1/processes/{started['id']}")))["status"] == "completed" and p
    )
    assert final["result"] == "approve"
    assert eventually(lambda: inbox("cat") == [])  # the third member's task was cancelled


def test_a_quorum_over_one_user_is_refused_and_nothing_published(admin) -> None:
    name = f"solo-{uuid.uuid4().hex[:6]}"
    source = f"""
name: {name}
version: 1
steps:
  - {{id: vote, type: task, title: Budget, assignee: "user:ann@example.test", quorum: 2}}
"""
    error = error_of(
        admin.post("/api/v1/definitions", content=source, headers=YAML), 422, "validation_failed"
    )
    assert error["details"]["fields"][0]["field"] == "/steps/0/quorum"
    assert name not in {d["name"] for d in data(admin.get("/api/v1/definitions"))}

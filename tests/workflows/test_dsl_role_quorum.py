"""A quorum over a role (`assignee: role:board`, `quorum: 2` or `all`) on the time-skipping server: one task
per member holding the role when the task is created, each person counted once."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, select
from temporalio.client import WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from db.models import Task
from db.session import tenant_session
from domain.context import TenantContext
from domain.identity import service as identity
from domain.identity.schemas import RoleCreate, UserCreate

from .dsl_helpers import decide, start_dsl, until


@pytest.fixture
def run(env, engine, tenant, queue):
    async def go(source: str, input: dict[str, Any] | None = None) -> Any:
        return await start_dsl(env.client, engine, tenant, queue, source, input)

    return go


def board(
    engine: Engine, tenant: Any, *names: str, roles: tuple[str, ...] = ()
) -> tuple[str, dict[str, Any]]:
    """A fresh role held by the named users (created with it, also holding ``roles``): role, users."""
    ctx = TenantContext.system(tenant.id, tenant.domain)
    role = f"board-{uuid.uuid4().hex[:6]}"
    users: dict[str, Any] = {}
    with tenant_session(engine, tenant.id) as session:
        identity.create_role(
            session, ctx, RoleCreate(name=role, permissions=["tasks:read", "tasks:complete"])
        )
        for name in names:
            email = f"{name}-{role}@{tenant.domain}"
            created = identity.create_user(
                session, ctx, UserCreate(email=email, password="correct-horse-1", roles=[role, *roles])
            )
            users[name] = {"id": uuid.UUID(str(created.id)), "email": email, "key": f"user:{email}"}
    return role, users


def vote(role: str, quorum: str | int) -> str:
    return f"""
name: vote
version: 1
steps:
  - {{id: vote, type: task, title: Approve the budget, assignee: "role:{role}", quorum: {quorum}}}
output: "{{{{ steps.vote.output.outcome }}}}"
"""


def statuses(engine: Engine, tenant: Any) -> dict[str, str]:
    with tenant_session(engine, tenant.id) as session:
        return {
            t.assignee: t.status for t in session.scalars(select(Task).where(Task.tenant_id == tenant.id))
        }


async def as_member(handle: Any, task_id: uuid.UUID, outcome: str, user: dict[str, Any], role: str) -> Any:
    return await decide(
        handle, task_id, outcome, [user["key"], f"role:{role}"], user_id=user["id"], email=user["email"]
    )


async def test_any_two_members_of_the_role_decide(run, engine, tenant):
    role, people = board(engine, tenant, "ann", "bob", "cat")
    _, handle = await run(vote(role, 2))
    state = await until(handle, lambda s: len(s.open_tasks) == 3)
    tasks = {t.assignee: t.task_id for t in state.open_tasks}
    assert set(tasks) == {p["key"] for p in people.values()}  # one task per member, assigned to them
    ann, bob = people["ann"], people["bob"]
    await as_member(handle, tasks[ann["key"]], "approve", ann, role)
    with pytest.raises(WorkflowUpdateFailedError) as err:  # holding the role is not enough: bob's task
        await as_member(handle, tasks[bob["key"]], "approve", ann, role)
    assert isinstance(err.value.cause, ApplicationError) and err.value.cause.type == "NotAssignee"
    await as_member(handle, tasks[bob["key"]], "approve", bob, role)
    assert (await handle.result()).output == "approve"
    assert statuses(engine, tenant) == {
        ann["key"]: "completed",
        bob["key"]: "completed",
        people["cat"]["key"]: "cancelled",
    }


async def test_a_rejection_waits_until_the_quorum_cannot_be_reached(run, engine, tenant):
    role, people = board(engine, tenant, "ann", "bob", "cat")
    _, handle = await run(vote(role, 2))
    state = await until(handle, lambda s: len(s.open_tasks) == 3)
    tasks = {t.assignee: t.task_id for t in state.open_tasks}
    await as_member(handle, tasks[people["ann"]["key"]], "reject", people["ann"], role)
    await until(handle, lambda s: len(s.open_tasks) == 2)  # two members may still approve
    await as_member(handle, tasks[people["bob"]["key"]], "reject", people["bob"], role)
    assert (await handle.result()).output == "reject"


async def test_all_means_every_member_holding_the_role_at_creation(run, engine, tenant):
    role, people = board(engine, tenant, "ann", "bob")
    _, handle = await run(vote(role, '"all"'))
    state = await until(handle, lambda s: len(s.open_tasks) == 2)
    # Someone given the role now is not asked: the members were fixed when the task was created.
    with tenant_session(engine, tenant.id) as session:
        ctx = TenantContext.system(tenant.id, tenant.domain)
        identity.create_user(
            session,
            ctx,
            UserCreate(email=f"late-{role}@{tenant.domain}", password="correct-horse-1", roles=[role]),
        )
    tasks = {t.assignee: t.task_id for t in state.open_tasks}
    await as_member(handle, tasks[people["ann"]["key"]], "approve", people["ann"], role)
    await until(handle, lambda s: len(s.open_tasks) == 1)
    await as_member(handle, tasks[people["bob"]["key"]], "approve", people["bob"], role)
    assert (await handle.result()).output == "approve"


async def test_a_role_with_fewer_members_than_the_quorum_fails_the_step(run, engine, tenant):
    role, _ = board(engine, tenant, "ann")
    _, handle = await run(vote(role, 2))
    with pytest.raises(WorkflowFailureError) as err:
        await handle.result()
    cause = err.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "QuorumUnreachable"
    assert "needs 2 member(s); it has 1" in cause.message
    assert statuses(engine, tenant) == {}  # no task was created


async def test_one_person_counts_once_whatever_keys_they_hold(run, engine, tenant):
    # Two seats given to two roles, and one person holding both: they may decide one seat, not two.
    second, _ = board(engine, tenant)
    first, people = board(engine, tenant, "ann", roles=(second,))
    _, handle = await run(f"""
name: seats
version: 1
steps:
  - {{id: vote, type: task, title: Two seats, assignee: ["role:{first}", "role:{second}"], quorum: all}}
output: "{{{{ steps.vote.output.outcome }}}}"
""")
    state = await until(handle, lambda s: len(s.open_tasks) == 2)
    seat = {t.assignee: t.task_id for t in state.open_tasks}
    ann = people["ann"]
    keys = [ann["key"], f"role:{first}", f"role:{second}"]
    await decide(handle, seat[f"role:{first}"], "approve", keys, user_id=ann["id"], email=ann["email"])
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await decide(handle, seat[f"role:{second}"], "approve", keys, user_id=ann["id"], email=ann["email"])
    assert isinstance(err.value.cause, ApplicationError) and err.value.cause.type == "AlreadyDecided"
    state = await until(handle, lambda s: len(s.open_tasks) == 1)  # the second seat is still open
    assert state.open_tasks[0].task_id == seat[f"role:{second}"]
    other = uuid.uuid4()  # someone else holding the second role decides it
    await decide(handle, seat[f"role:{second}"], "approve", [f"role:{second}"], user_id=other)
    assert (await handle.result()).output == "approve"


async def test_a_role_with_more_members_than_tasks_allowed_fails_the_step(run, engine, tenant, monkeypatch):
    monkeypatch.setattr("workflows.dsl_tasks.MAX_ROLE_TASKS", 2)
    role, _ = board(engine, tenant, "ann", "bob", "cat")
    _, handle = await run(vote(role, 2))
    with pytest.raises(WorkflowFailureError) as err:
        await handle.result()
    cause = err.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "InvalidAssignee"
    assert "has 3 members" in cause.message
    assert statuses(engine, tenant) == {}

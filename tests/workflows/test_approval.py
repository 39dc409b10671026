"""The approval workflow on Temporal's time-skipping server with real activities and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from db.models import AuditLog, Delivery, Notification, NotificationPreference, SlaBreach, Task, User
from db.session import tenant_session
from domain.context import TenantContext
from domain.deliveries import sending
from domain.deliveries.task_data import format_instant
from domain.processes.schemas import ApprovalResult, Decision

from .helpers import record_history, seed_people, start_approval, wait_for_state


def tasks_of(engine, tenant_id, process_id):
    with tenant_session(engine, tenant_id) as s:
        return list(s.scalars(select(Task).where(Task.process_id == process_id).order_by(Task.step)))


def decide(task_id, outcome, email, keys):
    return Decision(task_id=task_id, outcome=outcome, email=email, assignee_keys=keys)


async def test_two_step_chain_approved_in_order(env, engine, tenant, queue):
    people = seed_people(engine, tenant.id, tenant.domain)
    chain = [{"assignee": "role:manager", "due": "P2D"}, {"assignee": f"user:{people['cfo']}", "due": "P3D"}]
    pid, handle = await start_approval(
        env.client,
        engine,
        tenant.id,
        tenant.domain,
        queue,
        {"subject": "Laptops", "amount": {"value": "1200.00", "currency": "EUR"}, "chain": chain},
    )
    state = await wait_for_state(handle, lambda s: s.phase == "waiting" and s.current_step == 0)
    first = state.open_task_id
    await handle.execute_update("decide", decide(first, "approve", people["alice"], ["role:manager"]))
    state = await wait_for_state(handle, lambda s: s.current_step == 1 and s.open_task_id is not None)
    assert state.decisions[0].outcome == "approve"
    await handle.execute_update(
        "decide",
        decide(state.open_task_id, "approve", people["cfo"], [f"user:{people['cfo']}"]),
    )
    result = await handle.result()
    assert isinstance(result, ApprovalResult) and result.outcome == "approved"
    await record_history(handle, "approval_two_steps")
    tasks = tasks_of(engine, tenant.id, pid)
    assert [(t.step, t.status, t.outcome) for t in tasks] == [
        (0, "completed", "approve"),
        (1, "completed", "approve"),
    ]
    assert tasks[1].assignee == f"user:{people['cfo']}"


async def test_reject_ends_the_chain(env, engine, tenant, queue):
    seed_people(engine, tenant.id, tenant.domain)
    chain = [{"assignee": "role:manager"}, {"assignee": "role:director"}]
    pid, handle = await start_approval(
        env.client,
        engine,
        tenant.id,
        tenant.domain,
        queue,
        {"subject": "Trip", "chain": chain},
    )
    state = await wait_for_state(handle, lambda s: s.phase == "waiting")
    await handle.execute_update("decide", decide(state.open_task_id, "reject", "a", ["role:manager"]))
    result = await handle.result()
    assert result.outcome == "rejected"
    assert len(tasks_of(engine, tenant.id, pid)) == 1  # the director was never asked


async def test_sla_breach_escalates_then_escalated_assignee_decides(env, engine, tenant, queue):
    people = seed_people(engine, tenant.id, tenant.domain)
    chain = [{"assignee": "role:manager", "due": "P3D", "escalate_to": "role:director"}]
    _pid, handle = await start_approval(
        env.client,
        engine,
        tenant.id,
        tenant.domain,
        queue,
        {"subject": "Server", "chain": chain},
    )
    state = await wait_for_state(handle, lambda s: s.phase == "waiting")
    task_id = state.open_task_id
    await env.sleep(timedelta(days=3, hours=1))  # three days pass in milliseconds
    state = await wait_for_state(handle, lambda s: s.open_task_assignee == "role:director")
    assert [b.action for b in state.breaches] == ["escalated"]
    # The manager may no longer decide; the director may.
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await handle.execute_update("decide", decide(task_id, "approve", people["alice"], ["role:manager"]))
    assert isinstance(err.value.cause, ApplicationError) and err.value.cause.type == "NotAssignee"
    await handle.execute_update("decide", decide(task_id, "approve", people["dora"], ["role:director"]))
    assert (await handle.result()).outcome == "approved"
    await record_history(handle, "approval_escalated")
    with tenant_session(engine, tenant.id) as s:
        task = s.get(Task, task_id)
        assert task is not None
        assert task.assignee == "role:director" and task.escalation_level == 1 and task.status == "completed"
        breach = s.scalars(select(SlaBreach).where(SlaBreach.task_id == task_id)).one()
        assert breach.action == "escalated"
        assert breach.breached_at - breach.due_at < timedelta(minutes=1)
        dora = [n for n in s.scalars(select(Notification).where(Notification.kind == "task.escalated"))]
        assert len(dora) == 1 and dora[0].data["task_id"] == str(task_id)
        actions = [
            a.action
            for a in s.scalars(
                select(AuditLog).where(AuditLog.entity_id == str(task_id)).order_by(AuditLog.created_at)
            )
        ]
        assert actions == ["task.created", "task.escalated", "task.completed"]


async def test_sla_breach_without_escalation_rejects(env, engine, tenant, queue):
    seed_people(engine, tenant.id, tenant.domain)
    chain = [{"assignee": "role:manager", "due": "P3D", "escalate_to": "role:director"}]
    pid, handle = await start_approval(
        env.client,
        engine,
        tenant.id,
        tenant.domain,
        queue,
        {"subject": "Car", "chain": chain, "on_timeout": "reject"},
    )
    result = await handle.result()  # nobody acts: escalation after 3 days, expiry after 6
    assert result.outcome == "rejected"
    assert [b.action for b in result.breaches] == ["escalated", "rejected"]
    assert result.breaches[1].due_at - result.breaches[0].breached_at == timedelta(days=3)  # a fresh SLA
    await record_history(handle, "approval_expired")
    (task,) = tasks_of(engine, tenant.id, pid)
    assert task.status == "expired"
    with tenant_session(engine, tenant.id) as s:
        assert len(list(s.scalars(select(SlaBreach).where(SlaBreach.process_id == pid)))) == 2


async def test_on_timeout_approve(env, engine, tenant, queue):
    seed_people(engine, tenant.id, tenant.domain)
    chain = [{"assignee": "role:manager", "due": "PT4H"}]
    _, handle = await start_approval(
        env.client,
        engine,
        tenant.id,
        tenant.domain,
        queue,
        {"subject": "Pens", "chain": chain, "on_timeout": "approve"},
    )
    result = await handle.result()
    assert result.outcome == "approved" and result.breaches[0].action == "approved"


async def test_second_decision_on_same_task_is_refused(env, engine, tenant, queue):
    seed_people(engine, tenant.id, tenant.domain)
    _, handle = await start_approval(
        env.client,
        engine,
        tenant.id,
        tenant.domain,
        queue,
        {"subject": "Desk", "chain": [{"assignee": "role:manager"}, {"assignee": "role:manager"}]},
    )
    state = await wait_for_state(handle, lambda s: s.phase == "waiting")
    await handle.execute_update("decide", decide(state.open_task_id, "approve", "a", ["role:manager"]))
    # Once the chain has moved on to its second task (the time-skipping test server loses track of
    # time skipping when a failing update races the activity that creates it)…
    await wait_for_state(handle, lambda s: s.open_task_id not in (None, state.open_task_id))
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await handle.execute_update("decide", decide(state.open_task_id, "reject", "a", ["role:manager"]))
    assert isinstance(err.value.cause, ApplicationError) and err.value.cause.type == "TaskClosed"
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update("decide", decide(uuid.uuid4(), "reject", "a", ["role:manager"]))


async def test_cancel_closes_open_tasks(env, engine, tenant, queue):
    seed_people(engine, tenant.id, tenant.domain)
    pid, handle = await start_approval(
        env.client,
        engine,
        tenant.id,
        tenant.domain,
        queue,
        {"subject": "Boat", "chain": [{"assignee": "role:manager"}]},
    )
    await wait_for_state(handle, lambda s: s.phase == "waiting")
    await handle.cancel()
    with pytest.raises(Exception):
        await handle.result()
    await record_history(handle, "approval_cancelled")
    (task,) = tasks_of(engine, tenant.id, pid)
    assert task.status == "cancelled"


async def test_task_notification_names_the_process_and_the_due_date_in_the_readers_zone(
    env, engine, tenant, queue
):
    people = seed_people(engine, tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as s:
        alice = s.scalar(select(User).where(User.email == people["alice"]))
        assert alice is not None
        s.add(
            NotificationPreference(
                tenant_id=tenant.id, user_id=alice.id, timezone="Europe/Paris", locale="fr"
            )
        )
    chain = [{"assignee": f"user:{people['alice']}", "due": "P2D"}]
    _, handle = await start_approval(
        env.client, engine, tenant.id, tenant.domain, queue, {"subject": "Laptops", "chain": chain}
    )
    state = await wait_for_state(handle, lambda s: s.phase == "waiting")
    assert state.open_task_due_at is not None
    due = format_instant(state.open_task_due_at.isoformat(), "fr", "Europe/Paris")
    assert "CET" in due or "CEST" in due  # worded in Paris time, in French

    ctx = TenantContext.system(tenant.id, tenant.domain)
    with Session(engine, expire_on_commit=False) as s, s.begin():
        s.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant.id)})
        delivery = s.scalar(select(Delivery).where(Delivery.user_id == alice.id))
        assert delivery is not None
        assert delivery.template == "task-assigned" and delivery.data["process"] == "approval"
        batch, _ = sending.load_one(s, ctx, delivery.id)
        email = next(m for m in batch.messages[delivery.id] if m.channel == "email")
        mail = sending.compose(s, ctx, batch, email, now=datetime.now(UTC))
        inbox = s.scalar(select(Notification.body).where(Notification.user_id == alice.id))
        s.rollback()  # composing marked the message as sending: leave the rows as they were
    assert mail is not None and mail.subject == "New task: Approve: Laptops (step 1 of 1)"
    assert f"You have a new task in approval: Approve: Laptops (step 1 of 1) (due {due})." in mail.text
    assert "<strong>approval</strong>" in mail.html and due in mail.html
    assert inbox == f"approval (due {due})"
    await handle.cancel()

"""The definition interpreter on the time-skipping server, with real activities and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError

from db.models import Notification, OutboxEvent, SlaBreach, Task
from db.session import tenant_session
from domain.processes.schemas import Decision

from .dsl_helpers import decide, definition, start_dsl, until
from .helpers import record_history, seed_people, wait_for_state


@pytest.fixture
def run(env, engine, tenant, queue):
    seed_people(engine, tenant.id, tenant.domain)

    async def go(source, input=None, **kw):
        return await start_dsl(env.client, engine, tenant, queue, source, input, **kw)

    return go


def rows(engine, tenant, model, *where):
    with tenant_session(engine, tenant.id) as s:
        return list(s.scalars(select(model).where(*where)))


async def test_set_switch_notify_emit_and_output(run, engine, tenant):
    _, handle = await run(
        """
name: routing
version: 1
steps:
  - {id: init, type: set, vars: {total: "{{ input.amount * 2 }}", label: "order {{ input.ref }}"}}
  - id: route
    type: switch
    cases:
      - when: "{{ vars.total > 100 }}"
        steps: [{id: big, type: set, vars: {size: big}}]
    default: [{id: small, type: set, vars: {size: small}}]
  - {id: tell, type: notify, to: role:manager, title: "{{ vars.label }} is {{ vars.size }}"}
  - {id: announce, type: emit, event: order.routed, payload: {size: "{{ vars.size }}", total: "{{ vars.total }}"}}
  - {id: skipped, type: set, when: "{{ false }}", vars: {never: 1}}
output: {size: "{{ vars.size }}", total: "{{ vars.total }}", case: "{{ steps.route.output.case }}"}
""",
        {"amount": 60, "ref": "A-1"},
    )
    result = await handle.result()
    assert result.output == {"size": "big", "total": 120, "case": 0}
    await record_history(handle, "dsl_interpreter_set_switch_notify_emit")
    assert "never" not in result.vars
    (event,) = rows(engine, tenant, OutboxEvent, OutboxEvent.type == "order.routed")
    assert event.payload == {"size": "big", "total": 120}
    notes = rows(engine, tenant, Notification, Notification.title == "order A-1 is big")
    assert len(notes) == 1  # alice holds the manager role


async def test_quorum_two_of_three(run, engine, tenant):
    people = [f"user:{n}@{tenant.domain}" for n in ("alice", "dora", "cfo")]
    _, handle = await run(f"""
name: board
version: 1
steps:
  - id: vote
    type: task
    title: Approve the budget
    assignee: {people}
    quorum: 2
output: "{{{{ steps.vote.output.outcome }}}}"
""")
    state = await until(handle, lambda s: len(s.open_tasks) == 3)
    by_assignee = {t.assignee: t.task_id for t in state.open_tasks}
    await decide(handle, by_assignee[people[0]], "approve", [people[0]])
    with pytest.raises(WorkflowUpdateFailedError) as err:  # not hers
        await decide(handle, by_assignee[people[1]], "approve", [people[0]])
    assert isinstance(err.value.cause, ApplicationError) and err.value.cause.type == "NotAssignee"
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await decide(handle, by_assignee[people[1]], "maybe", [people[1]])
    assert isinstance(err.value.cause, ApplicationError) and err.value.cause.type == "InvalidOutcome"
    await decide(handle, by_assignee[people[1]], "approve", [people[1]])
    result = await handle.result()
    assert result.output == "approve"
    await record_history(handle, "dsl_interpreter_quorum")
    status = {t.assignee: t.status for t in rows(engine, tenant, Task, Task.tenant_id == tenant.id)}
    assert status == {people[0]: "completed", people[1]: "completed", people[2]: "cancelled"}


async def test_quorum_all_fails_on_first_reject(run):
    _, handle = await run("""
name: unanimous
version: 1
steps:
  - {id: vote, type: task, title: "All agree", assignee: [role:manager, role:director], quorum: all}
output: "{{ steps.vote.output.outcome }}"
""")
    state = await until(handle, lambda s: len(s.open_tasks) == 2)
    manager = next(t for t in state.open_tasks if t.assignee == "role:manager")
    await decide(handle, manager.task_id, "reject", ["role:manager"], comment="no")
    assert (await handle.result()).output == "reject"


async def test_due_on_timeout_branch_reminders_and_escalation(run, env, engine, tenant):
    _, handle = await run("""
name: slow
version: 1
steps:
  - id: review
    type: task
    title: Review
    assignee: role:manager
    due: P3D
    reminders: [{every: P1D}]
    escalation: [{after: P2D, assignee: role:director}]
    on_timeout:
      outcome: reject
      steps: [{id: late, type: set, vars: {late: true}}]
output: {outcome: "{{ steps.review.output.outcome }}", late: "{{ vars.late }}"}
""")
    result = await handle.result()  # nobody acts; three days pass at once
    assert result.output == {"outcome": "reject", "late": True}
    await record_history(handle, "dsl_interpreter_task_timers")
    (task,) = rows(engine, tenant, Task, Task.tenant_id == tenant.id)
    assert task.status == "expired" and task.assignee == "role:director" and task.escalation_level == 1
    reminders = rows(engine, tenant, Notification, Notification.kind == "task.reminder")
    assert len(reminders) >= 2
    assert {b.action for b in rows(engine, tenant, SlaBreach, SlaBreach.task_id == task.id)} == {
        "escalated",
        "timed_out",
    }


async def test_due_without_on_timeout_records_breach_and_keeps_waiting(run, env, engine, tenant):
    _, handle = await run("""
name: tracked
version: 1
steps:
  - {id: review, type: task, title: Review, assignee: role:manager, due: PT4H}
""")
    state = await until(handle, lambda s: len(s.open_tasks) == 1)
    await env.sleep(timedelta(hours=5))
    state = await until(handle, lambda s: len(s.breaches) == 1)
    assert state.breaches[0]["action"] == "breached"
    await decide(handle, state.open_tasks[0].task_id, "approve", ["role:manager"])
    await handle.result()
    (breach,) = rows(engine, tenant, SlaBreach, SlaBreach.tenant_id == tenant.id)
    assert breach.action == "breached"


async def test_parallel_any_cancels_the_other_branch(run, engine, tenant):
    _, handle = await run("""
name: race
version: 1
steps:
  - id: both
    type: parallel
    join: any
    branches:
      - {id: left, steps: [{id: a, type: task, title: A, assignee: role:manager}]}
      - {id: right, steps: [{id: b, type: task, title: B, assignee: role:director}]}
output: "{{ steps.both.output.completed }}"
""")
    state = await until(handle, lambda s: len(s.open_tasks) == 2)
    b = next(t for t in state.open_tasks if t.step_id == "b")
    await decide(handle, b.task_id, "approve", ["role:director"])
    assert (await handle.result()).output == ["right"]
    status = {t.step_key: t.status for t in rows(engine, tenant, Task, Task.tenant_id == tenant.id)}
    assert status == {"a": "cancelled", "b": "completed"}


async def test_foreach_sequential_and_concurrent(run):
    _, handle = await run(
        """
name: loops
version: 1
steps:
  - {id: start, type: set, vars: {seen: []}}
  - id: each
    type: foreach
    items: "{{ input.docs }}"
    as: doc
    steps: [{id: mark, type: set, vars: {seen: "{{ vars.seen + [doc ~ index] }}"}}]
  - id: fan
    type: foreach
    items: "{{ input.docs }}"
    concurrency: 2
    steps: [{id: upper, type: set, vars: {last: "{{ item | upper }}"}}]
output: {seen: "{{ vars.seen }}", fan: "{{ steps.fan.output | length }}", first: "{{ steps.each.output[0].mark }}"}
""",
        {"docs": ["id", "tax", "bank"]},
    )
    result = await handle.result()
    assert result.output == {"seen": ["id0", "tax1", "bank2"], "fan": 3, "first": {"seen": ["id0"]}}
    await record_history(handle, "dsl_interpreter_foreach")


async def test_long_loop_continues_as_new_and_keeps_state(run, env):
    _, handle = await run(
        """
name: long
version: 1
steps:
  - {id: start, type: set, vars: {n: 0}}
  - id: each
    type: foreach
    items: "{{ input.items }}"
    steps: [{id: add, type: set, vars: {n: "{{ vars.n + item }}"}}]
output: "{{ vars.n }}"
""",
        {"items": list(range(40))},
        continue_as_new_after=20,
    )
    result = await handle.result()
    assert result.output == sum(range(40))
    latest = env.client.get_workflow_handle(handle.id)
    assert (await latest.describe()).run_id != handle.run_id  # it continued as new at least once
    history = [e async for e in latest.fetch_history_events()]
    assert len(history) < 80  # the last run's history stays short


async def test_try_catch_and_uncaught_failure_compensates(run, engine, tenant):
    _, handle = await run(
        """
name: guarded
version: 1
steps:
  - id: attempt
    type: try
    steps: [{id: boom, type: fail, error: NotEligible, message: "amount {{ input.amount }} too high"}]
    catch: [{errors: [NotEligible], steps: [{id: note, type: set, vars: {why: "{{ error.message }}"}}]}]
output: "{{ vars.why }}"
""",
        {"amount": 5},
    )
    assert (await handle.result()).output == "amount 5 too high"

    _, handle = await run("""
name: saga
version: 1
steps:
  - id: reserve
    type: activity
    call: events.emit
    with: {event: stock.reserved, payload: {sku: A}}
    compensate: {call: events.emit, with: {event: stock.released, payload: {sku: A}}}
  - {id: stop, type: fail, error: PaymentDeclined, message: declined}
""")
    with pytest.raises(WorkflowFailureError) as err:
        await handle.result()
    assert isinstance(err.value.cause, ApplicationError) and err.value.cause.type == "PaymentDeclined"
    events = rows(engine, tenant, OutboxEvent, OutboxEvent.tenant_id == tenant.id)
    ordered = [e.type for e in sorted(events, key=lambda e: e.created_at)]
    # Compensation ran after the failure, and the process reported its end last.
    assert ordered[-3:] == ["stock.reserved", "stock.released", "process.failed"]


async def test_wait_for_correlated_event_and_timeout(run, env):
    _, handle = await run(
        """
name: waits
version: 1
steps:
  - {id: paid, type: wait, signal: payment.received, correlation: "{{ input.invoice }}", timeout: P7D}
  - {id: nap, type: wait, duration: PT1H}
  - {id: again, type: wait, signal: payment.received, correlation: other, timeout: P1D,
     on_timeout: [{id: gave-up, type: set, vars: {gave_up: true}}]}
output: {amount: "{{ steps.paid.output.amount }}", gave_up: "{{ vars.gave_up }}"}
""",
        {"invoice": "INV-9"},
    )
    await until(handle, lambda s: s.awaiting_events == ["payment.received:INV-9"])
    await handle.signal(
        "event", {"name": "payment.received", "correlation_key": "INV-8", "payload": {"amount": 1}}
    )
    await handle.signal(
        "event", {"name": "payment.received", "correlation_key": "INV-9", "payload": {"amount": 42}}
    )
    result = await handle.result()
    assert result.output == {"amount": 42, "gave_up": True}
    await record_history(handle, "dsl_interpreter_wait")


async def test_subprocess_definition_and_approval_workflow(run, env, engine, tenant):
    child = definition("""
name: child
version: 2
steps: [{id: double, type: set, vars: {x: "{{ input.n * 2 }}"}}]
output: "{{ vars.x }}"
""")
    _, handle = await run(
        """
name: parent
version: 1
steps:
  - {id: sub, type: subprocess, definition: child, version: 2, input: {n: 21}}
  - id: approve
    type: subprocess
    workflow: approval
    input: {subject: Nested, chain: [{assignee: role:manager}]}
output: {sub: "{{ steps.sub.output.result.output }}", approval: "{{ steps.approve.output.result.outcome }}"}
""",
        subdefinitions={"child@2": child},
    )
    await until(handle, lambda s: "approve" in s.current_steps)
    child_handle = env.client.get_workflow_handle(f"{handle.id}/approve")  # the approval code workflow
    for _ in range(200):  # the child starts once its process row is written
        try:
            state = await wait_for_state(child_handle, lambda s: s.open_task_id is not None)
            break
        except RPCError:
            await asyncio.sleep(0.05)
    await child_handle.execute_update(
        "decide", Decision(task_id=state.open_task_id, outcome="approve", assignee_keys=["role:manager"])
    )
    result = await handle.result()
    assert result.output == {"sub": 42, "approval": "approved"}


async def test_expression_error_fails_naming_step_and_expression(run):
    _, handle = await run("""
name: broken
version: 1
steps: [{id: calc, type: set, vars: {x: "{{ input.missing.deep }}"}}]
""")
    with pytest.raises(WorkflowFailureError) as err:
        await handle.result()
    cause = err.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "ExpressionError"
    assert "calc" in cause.message and "input.missing.deep" in cause.message


APPROVAL = (Path(__file__).parents[2] / "definitions" / "approval.yaml").read_text()


async def test_shipped_approval_escalates_at_due_then_times_out(run, engine, tenant):
    chain = [{"assignee": "role:manager", "due": "P3D", "escalate_to": "role:director"}]
    _, handle = await run(APPROVAL, {"subject": "Server", "chain": chain, "on_timeout": "reject"})
    result = await handle.result()  # nobody acts: escalated after 3 days, expired 3 days later
    await record_history(handle, "dsl_approval_timed_out")
    assert result.output["outcome"] == "rejected"
    assert result.output["reason"] == "step 1 timed out: on_timeout=reject"
    (task,) = rows(engine, tenant, Task, Task.tenant_id == tenant.id)
    assert (task.status, task.assignee, task.escalation_level) == ("expired", "role:director", 1)
    escalated, expired = sorted(
        rows(engine, tenant, SlaBreach, SlaBreach.task_id == task.id), key=lambda b: b.breached_at
    )
    assert (escalated.action, expired.action) == ("escalated", "timed_out")
    assert expired.due_at - escalated.breached_at == timedelta(days=3)  # the escalated task got a fresh due


async def test_shipped_approval_escalated_assignee_approves_and_chain_goes_on(run, env, engine, tenant):
    chain = [
        {"assignee": "role:manager", "due": "P1D", "escalate_to": "role:director"},
        {"assignee": "role:manager"},
    ]
    _, handle = await run(APPROVAL, {"subject": "Chairs", "chain": chain})
    state = await until(handle, lambda s: len(s.open_tasks) == 1)
    await env.sleep(timedelta(days=1, hours=1))
    state = await until(handle, lambda s: s.open_tasks and s.open_tasks[0].assignee == "role:director")
    with pytest.raises(WorkflowUpdateFailedError):
        await decide(handle, state.open_tasks[0].task_id, "approve", ["role:manager"])
    await decide(handle, state.open_tasks[0].task_id, "approve", ["role:director"], email="dora@x.test")
    state = await until(handle, lambda s: s.open_tasks and s.open_tasks[0].assignee == "role:manager")
    await decide(handle, state.open_tasks[0].task_id, "reject", ["role:manager"], email="alice@x.test")
    result = await handle.result()
    await record_history(handle, "dsl_approval_escalated_then_rejected")
    assert result.output["outcome"] == "rejected"
    assert result.output["reason"] == "step 2 rejected by alice@x.test"
    assert [d["outcome"] for d in result.output["decisions"]] == ["approve", "reject"]


async def test_a_runaway_expression_fails_the_step_instead_of_the_worker(run):
    # 10**10 loop iterations: stopped by the work budget within the workflow task, caught like any error.
    _, handle = await run("""
name: runaway
version: 1
steps:
  - id: guarded
    type: try
    steps:
      - {id: spin, type: set, vars: {x: "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{{ 1 }}"}}
    catch: [{errors: [ExpressionError], steps: [{id: caught, type: set, vars: {x: caught}}]}]
output: "{{ vars.x }}"
""")
    assert (await handle.result(rpc_timeout=timedelta(seconds=20))).output == "caught"


async def test_workflow_approval_step_runs_the_shipped_definition_when_it_is_bundled(
    run, env, engine, tenant
):
    """New processes never start the retired code workflow: ``workflow: approval`` runs approval.yaml."""
    _, handle = await run(
        """
name: parent-of-yaml-approval
version: 1
steps:
  - id: approve
    type: subprocess
    workflow: approval
    input: {subject: Nested, chain: [{assignee: role:manager}]}
output: "{{ steps.approve.output.result.output.outcome }}"
""",
        subdefinitions={"approval@latest": definition(APPROVAL)},
    )
    await until(handle, lambda s: "approve" in s.current_steps)
    child = env.client.get_workflow_handle(f"{handle.id}/approve")
    for _ in range(200):  # the child starts once its process row is written
        try:
            state = await until(child, lambda s: len(s.open_tasks) == 1)
            break
        except RPCError:
            await asyncio.sleep(0.05)
    assert (await child.describe()).workflow_type == "dsl"
    await decide(child, state.open_tasks[0].task_id, "approve", ["role:manager"], email="mia@x.test")
    assert (await handle.result()).output == "approved"

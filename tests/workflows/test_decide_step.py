"""The decide step on the time-skipping server, with the real activity, decision tables and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ApplicationError

from db.session import tenant_session
from domain.context import TenantContext
from domain.decisions import references
from domain.decisions import service as decisions
from domain.definitions.schemas import ProcessEvent

from .dsl_helpers import decide, definition, start_dsl, state_of, until
from .helpers import record_history, seed_people


def routing_table(version: int, *, big: str = "director", name: str = "routing") -> str:
    """Who approves, by amount and department; ``big``: the approver above 10,000."""
    return f"""
name: {name}
version: {version}
hit_policy: first
inputs:
  - {{name: amount, expression: order.amount, type: number}}
  - {{name: department, expression: department, type: string}}
outputs:
  - {{name: approver, type: string}}
  - {{name: limit, type: number}}
rules:
  - when: {{amount: "< 1000", department: '"it","ops"'}}
    then: {{approver: team-lead, limit: 1000}}
  - when: {{amount: "[1000..10000)"}}
    then: {{approver: manager, limit: 10000}}
  - when: {{amount: ">= 10000"}}
    then: {{approver: {big}, limit: 1000000}}
  - when: {{}}
    then: {{approver: manager, limit: 1000}}
"""


ROUTED = """
name: routed-purchase
version: 1
steps:
  - id: route
    type: decide
    decision: routing
    context:
      order: {amount: "{{ input.amount }}"}
      department: "{{ input.department }}"
  - id: by_approver
    type: switch
    cases:
      - when: "{{ steps.route.output.approver == 'director' }}"
        steps: [{id: board, type: set, vars: {path: board}}]
      - when: "{{ steps.route.output.approver == 'team-lead' }}"
        steps: [{id: quick, type: set, vars: {path: quick}}]
    default: [{id: usual, type: set, vars: {path: usual}}]
output: {approver: "{{ steps.route.output.approver }}", limit: "{{ steps.route.output.limit }}", path: "{{ vars.path }}"}
"""


@pytest.fixture
def publish(engine, tenant):
    def go(source: str) -> None:
        with tenant_session(engine, tenant.id) as session:
            decisions.publish(session, TenantContext.system(tenant.id, tenant.domain), source)

    return go


@pytest.fixture
def run(env, engine, tenant, queue):
    """Starts a definition as the API does: its decision tables pinned at the start (unless ``pins``)."""

    async def go(source, input=None, pins=None):
        if pins is None:
            with tenant_session(engine, tenant.id) as session:
                ctx = TenantContext.system(tenant.id, tenant.domain)
                pins = references.pin(session, ctx, [definition(source)])
        return await start_dsl(env.client, engine, tenant, queue, source, input, decisions=pins)

    return go


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (
            {"amount": 25_000, "department": "sales"},
            {"approver": "director", "limit": 1000000, "path": "board"},
        ),
        ({"amount": 500, "department": "it"}, {"approver": "team-lead", "limit": 1000, "path": "quick"}),
        ({"amount": 500, "department": "sales"}, {"approver": "manager", "limit": 1000, "path": "usual"}),
    ],
)
async def test_outputs_feed_a_later_switch(run, publish, order, expected):
    publish(routing_table(1))
    _, handle = await run(ROUTED, order)
    result = await handle.result()
    assert result.output == expected
    if order["amount"] == 25_000:
        await record_history(handle, "dsl_interpreter_decide")
    timeline = {e.step_id: (e.type, e.status) for e in (await state_of(handle)).timeline}
    assert timeline["route"] == ("decide", "completed")


async def evaluations(handle: WorkflowHandle[Any, Any]) -> list[tuple[dict[str, Any], Any]]:
    """Each evaluation the history holds (a local activity's marker): its data, and its answer (None
    when it failed)."""
    found = []
    for event in (await handle.fetch_history()).events:
        if event.HasField("marker_recorded_event_attributes"):
            details = event.marker_recorded_event_attributes.details
            if "data" in details:
                data = json.loads(details["data"].payloads[0].data)
                result = details["result"].payloads[0].data if "result" in details else None
                found.append((data, json.loads(result) if result else None))
    return found


async def test_the_answer_is_in_the_history_and_the_explanation_is_not(run, publish):
    publish(routing_table(1))
    _, handle = await run(ROUTED, {"amount": 2_000, "department": "it"})
    await handle.result()
    ((marker, answer),) = await evaluations(handle)
    assert marker["activity_type"] == "decisions.evaluate" and marker["attempt"] == 1
    assert answer == {
        "decision": "routing",
        "version": 1,
        "hit_policy": "first",
        "aggregation": None,
        "inputs": {"amount": 2000, "department": "it"},
        "outputs": {"approver": "manager", "limit": 10000},
        "matched": [2, 4],  # every rule that matched
        "selected": [2],  # the one whose outputs the hit policy took
    }


async def test_a_version_published_after_the_start_does_not_change_a_running_process(run, publish, env):
    waiting = """
name: pinned-purchase
version: 1
steps:
  - {id: go, type: wait, signal: go}
  - id: route
    type: decide
    decision: routing
    context: {order: {amount: "{{ input.amount }}"}, department: "{{ input.department }}"}
output: "{{ steps.route.output.approver }}"
"""
    publish(routing_table(1, big="director"))
    _, before = await run(waiting, {"amount": 50_000, "department": "sales"})
    await until(before, lambda s: s.awaiting_events == ["go"])
    publish(routing_table(2, big="board"))
    _, after = await run(waiting, {"amount": 50_000, "department": "sales"})
    await until(after, lambda s: s.awaiting_events == ["go"])
    for handle in (before, after):
        await handle.signal("event", ProcessEvent(name="go"))
    assert (await before.result()).output == "director"  # pinned to version 1 when it started
    assert (await after.result()).output == "board"  # started after version 2 was published

    # A step that names its version keeps it, whatever is published later.
    explicit = waiting.replace("decision: routing", "decision: routing\n    version: 1")
    _, handle = await run(explicit, {"amount": 50_000, "department": "sales"})
    await handle.signal("event", ProcessEvent(name="go"))
    assert (await handle.result()).output == "director"


TRY_DECIDE = """
name: careful-purchase
version: 1
steps:
  - id: guarded
    type: try
    steps:
      - id: route
        type: decide
        decision: routing
        context: {order: "{{ input.order }}", department: "{{ input.department }}"}
    catch:
      - errors: [ContextInvalid]
        steps:
          - {id: fallback, type: set, vars: {approver: manager, reason: "{{ error.message }}",
                                             fields: "{{ error.fields | map(attribute='field') | list }}"}}
output: {approver: "{{ vars.approver }}", reason: "{{ vars.reason }}", fields: "{{ vars.fields }}",
         caught: "{{ steps.guarded.output.caught.type }}"}
"""


async def test_a_missing_context_input_fails_the_step_with_a_catchable_error(run, publish):
    publish(routing_table(1))
    _, handle = await run(TRY_DECIDE, {"order": {"total": 10}, "department": "it"})
    result = await handle.result()
    assert result.output["approver"] == "manager"
    assert result.output["caught"] == "ContextInvalid"
    assert result.output["fields"] == ["context.amount"]
    assert "route" in result.output["reason"] and "context.amount" in result.output["reason"]


async def test_an_uncaught_context_error_fails_the_process_naming_the_input(run, publish):
    publish(routing_table(1))
    uncaught = TRY_DECIDE.replace("errors: [ContextInvalid]", "errors: [DecisionConflict]")
    _, handle = await run(uncaught, {"order": {"amount": "a lot"}, "department": "it"})
    with pytest.raises(WorkflowFailureError) as failed:
        await handle.result()
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "ContextInvalid"
    assert "context.amount" in cause.message and "routing v1" in cause.message
    # Not retried: a context does not get better by waiting.
    ((marker, answer),) = await evaluations(handle)
    assert marker["attempt"] == 1 and answer is None


async def test_conflicting_rules_are_a_catchable_decision_conflict(run, publish):
    # Expression cells are opaque to the static checks: their overlap shows only when evaluated.
    publish(
        """
name: discount-unique
version: 1
hit_policy: unique
inputs: [{name: total, expression: total, type: number}]
outputs: [{name: rate, type: number}]
rules:
  - {when: {total: "{{ value > 0 }}"}, then: {rate: 0}}
  - {when: {total: "{{ value > 100 }}"}, then: {rate: 5}}
"""
    )
    source = """
name: discounted
version: 1
steps:
  - id: guarded
    type: try
    steps:
      - {id: rate, type: decide, decision: discount-unique, context: {total: "{{ input.total }}"}}
    catch:
      - errors: [DecisionConflict]
        steps: [{id: none, type: set, vars: {rules: "{{ error.rules }}"}}]
output: {rate: "{{ steps.rate.output.rate if steps.rate is defined else none }}", rules: "{{ vars.rules if vars.rules is defined else none }}"}
"""
    _, small = await run(source, {"total": 50})
    assert (await small.result()).output == {"rate": 0, "rules": None}
    _, large = await run(source, {"total": 500})
    assert (await large.result()).output == {"rate": None, "rules": [1, 2]}


async def test_a_decision_not_pinned_at_the_start_fails_the_step(run, publish):
    publish(routing_table(1))
    _, handle = await run(ROUTED, {"amount": 1, "department": "it"}, pins={})
    with pytest.raises(WorkflowFailureError) as failed:
        await handle.result()
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "UnknownDecision"
    assert "routing@latest was not resolved at start" in cause.message


SHIPPED = Path(__file__).parents[2] / "definitions" / "purchase-routing.yaml"


@pytest.mark.parametrize(
    ("amount", "department", "approver", "outcome", "history"),
    [
        ("2400.00", "marketing", "manager", "approved", "dsl_purchase-routing_manager_approved"),
        ("75000.00", "it", "cfo", "rejected", "dsl_purchase-routing_cfo_timed_out"),
    ],
)
async def test_the_shipped_purchase_routing_asks_whom_the_shipped_table_names(
    run, engine, tenant, amount, department, approver, outcome, history
):
    people = seed_people(engine, tenant.id, tenant.domain)
    request = {
        "amount": {"value": amount, "currency": "EUR"},
        "department": department,
        "subject": "Standing desks",
        "requester": people["cfo"],
    }
    _, handle = await run(SHIPPED.read_text(), request)
    state = await until(handle, lambda s: len(s.open_tasks) == 1)
    (task,) = state.open_tasks
    assert task.assignee == f"role:{approver}"
    if approver == "manager":  # the table gives a manager two days; the cfo's five pass unanswered
        assert task.due_at is not None
        await decide(handle, task.task_id, "approve", ["role:manager"])
    result = await handle.result()
    assert result.output == {"outcome": outcome, "approver": approver}
    await record_history(handle, history)

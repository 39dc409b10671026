"""What a step says is checked before the definition is published: input and form schemas, literal
durations, tasks (assignees, due, escalation, quorum), waits and parallel joins."""

from __future__ import annotations

from textwrap import dedent

import pytest

from tests.domain.definition_helpers import only, parse_ok, problems, steps


def test_a_bad_input_schema():
    source = dedent(
        """\
        name: p
        version: 1
        input:
          type: object
          properties:
            amount: {type: numbr}
        steps:
          - {id: done, type: end}
        """
    )
    error = only(source)
    assert (error["field"], error["line"]) == ("/input/properties/amount/type", 6)
    assert error["message"].startswith("input is not a valid JSON Schema:")


def test_a_bad_form_schema():
    source = steps(
        """\
        - id: review
          type: task
          title: Review
          assignee: role:legal
          form:
            type: object
            required: comment
        """
    )
    error = only(source)
    assert (error["field"], error["line"]) == ("/steps/0/form/required", 10)
    assert error["message"] == "form is not a valid JSON Schema: 'comment' is not of type 'array'"


@pytest.mark.parametrize(
    ("step", "field"),
    [
        ("{id: t, type: task, title: x, assignee: role:a, due: P1M}", "/steps/0/due"),
        (
            "{id: t, type: task, title: x, assignee: role:a, escalation: [{after: 2d, assignee: role:b}]}",
            None,
        ),
        ("{id: w, type: wait, duration: 1 hour}", "/steps/0/duration"),
        ("{id: w, type: wait, signal: s, timeout: P0D}", "/steps/0/timeout"),
        ("{id: a, type: activity, call: demo.charge, timeout: P1Y}", "/steps/0/timeout"),
        (
            "{id: t, type: task, title: x, assignee: role:a, reminders: [{every: soon}]}",
            "/steps/0/reminders/0/every",
        ),
    ],
)
def test_a_bad_literal_duration(step, field):
    error = only(steps(f"- {step}\n"))
    assert error["field"] == (field or "/steps/0/escalation/0/after")
    assert error["line"] == 4
    assert "duration" in error["message"]


def test_a_duration_written_as_an_expression_is_checked_when_it_runs():
    source = steps('- {id: w, type: wait, duration: "{{ input.delay }}"}\n')
    assert parse_ok(source).definition.steps[0].id == "w"


def test_task_consistency():
    source = steps(
        """\
        - id: board
          type: task
          title: Vote
          assignee: [role:a, role:b]
          quorum: 3
          outcomes: [approve, reject, approve]
          on_timeout: {outcome: expire}
        """
    )
    found = {f["field"]: f["message"] for f in problems(source)}
    assert found == {
        "/steps/0/quorum": "quorum 3 is more than the 2 assignees",
        "/steps/0/outcomes/2": "duplicate outcome 'approve'",
        "/steps/0/on_timeout": "on_timeout needs 'due': without it the task never times out",
        "/steps/0/on_timeout/outcome": "'expire' is not one of the task's outcomes (approve, reject, approve)",
    }


def test_escalating_when_due_needs_a_due():
    escalate = "escalation: [{after: due, assignee: role:cfo}]"
    source = steps(f"- {{id: t, type: task, title: x, assignee: role:a, {escalate}}}\n")
    error = only(source)
    assert (error["field"], error["message"]) == (
        "/steps/0/escalation/0/after",
        "'after: due' needs the task's 'due'",
    )
    with_due = steps(f"- {{id: t, type: task, title: x, assignee: role:a, due: P1D, {escalate}}}\n")
    assert parse_ok(with_due).definition.steps[0].id == "t"


def test_a_quorum_over_an_expression_list_is_left_to_run_time():
    source = steps('- {id: board, type: task, title: Vote, assignee: "{{ input.board }}", quorum: 2}\n')
    assert parse_ok(source).definition.steps[0].id == "board"


@pytest.mark.parametrize("quorum", [2, 5, "all"])
def test_a_quorum_over_one_role_counts_its_members(quorum):
    for assignee in ("role:board", "[role:board]"):
        source = steps(f"- {{id: board, type: task, title: Vote, assignee: {assignee}, quorum: {quorum}}}\n")
        assert parse_ok(source).definition.steps[0].quorum == quorum


def test_a_quorum_over_one_user_is_refused():
    error = only(steps("- {id: board, type: task, title: Vote, assignee: user:ann@x.test, quorum: 2}\n"))
    assert error["field"] == "/steps/0/quorum" and "needs a role" in error["message"]
    error = only(steps("- {id: board, type: task, title: Vote, assignee: role:board, quorum: 0}\n"))
    assert error["message"] == "quorum must be at least 1"


def test_wait_consistency():
    source = steps(
        """\
        - {id: w1, type: wait}
        - {id: w2, type: wait, duration: PT1H, until: "2030-01-01T00:00:00Z"}
        - {id: w3, type: wait, duration: PT1H, timeout: PT2H, on_timeout: [{id: x, type: end}]}
        - {id: w4, type: wait, until: "2030-01-01T00:00:00"}
        """
    )
    found = {(f["field"], f["line"]): f["message"] for f in problems(source)}
    assert found == {
        ("/steps/0", 4): "a wait needs exactly one of duration, until or signal; it has none",
        ("/steps/1", 5): "a wait needs exactly one of duration, until or signal; it has duration and until",
        ("/steps/2/timeout", 6): "'timeout' applies only to a wait for a signal",
        ("/steps/3/until", 7): "'2030-01-01T00:00:00' has no time zone; add Z or an offset such as +01:00",
    }


def test_a_parallel_join_larger_than_its_branches():
    source = steps("- {id: p, type: parallel, join: 3, branches: [{id: a, steps: []}, {id: b, steps: []}]}\n")
    error = only(source)
    assert (error["field"], error["message"]) == (
        "/steps/0/join",
        "join must be between 1 and the 2 branches",
    )

"""Parsing and validating YAML definitions: a good one yields the typed model and a stable hash; every kind
of bad one is refused with the field and the line and column where the problem is."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from textwrap import dedent

import pytest

from domain.definitions.errors import DefinitionInvalid
from domain.definitions.model import ActivityStep, SubprocessStep
from domain.definitions.parser import SCHEMA_PATH, STEP_TYPES, parse, schema_text
from domain.definitions.validate import iter_steps, subprocess_refs
from domain.errors import ValidationFailed
from tests.domain.definition_helpers import ACTIVITIES, MINIMAL, only, parse_ok, problems, steps

# Every step type, nested the ways the language allows.
FULL = dedent(
    """\
    # A purchase: approval by amount, document review, payment, checks, and a hand-off.
    name: purchase-approval
    version: 1
    description: Approve a purchase, pay, and tell the requester.
    input:
      type: object
      required: [amount, requester]
      properties:
        amount: {type: number, minimum: 0}
        requester: {type: string}
        documents: {type: array, items: {type: string}}
    steps:
      - id: check-amount
        type: switch
        cases:
          - when: "{{ input.amount > 10000 }}"
            steps:
              - id: board
                type: task
                title: "Approve {{ input.amount }} EUR"
                assignee: [role:board-a, role:board-b, role:board-c]
                quorum: 2
                due: P2D
                reminders:
                  - every: PT4H
                escalation:
                  - after: P1D
                    assignee: role:cfo
                on_timeout:
                  outcome: reject
                  steps:
                    - id: timed-out
                      type: notify
                      to: "{{ input.requester }}"
                      title: Your purchase timed out
        default:
          - id: manager
            type: task
            title: Approve purchase
            assignee: role:manager
            form:
              type: object
              properties:
                comment: {type: string}
      - id: documents
        type: foreach
        items: "{{ input.documents }}"
        as: doc
        concurrency: 2
        steps:
          - id: review
            type: activity
            call: processes.create_task
            with:
              title: "Review {{ doc }} ({{ index }})"
      - id: pay
        type: try
        steps:
          - id: charge
            type: activity
            call: demo.charge
            with:
              amount: "{{ input.amount }}"
            retry:
              maximum_attempts: 5
              initial_interval: PT1S
            timeout: PT30S
            compensate:
              call: demo.refund
              with:
                charge: "{{ steps.charge.output }}"
        catch:
          - errors: [PaymentDeclined]
            steps:
              - id: declined
                type: fail
                error: PaymentDeclined
                message: "Declined: {{ error.message }}"
      - id: checks
        type: parallel
        join: any
        branches:
          - id: legal
            steps:
              - id: legal-wait
                type: wait
                signal: legal.cleared
                correlation: "{{ process.id }}"
                timeout: P1D
                on_timeout:
                  - id: legal-late
                    type: emit
                    event: legal.late
          - id: cooling-off
            steps:
              - id: cool
                type: wait
                until: 2030-01-31T09:00:00Z
      - id: remember
        type: set
        vars:
          paid_at: "{{ now }}"
          reference: "{{ new_id() }}"
      - id: tell
        type: notify
        to: [user:finance@example.com]
        title: "Paid {{ input.amount }}"
      - id: announce
        type: emit
        event: purchase.paid
        payload:
          reference: "{{ vars.reference }}"
      - id: vendor
        type: subprocess
        definition: vendor-check
        version: 2
        input:
          amount: "{{ input.amount }}"
      - id: route
        type: decide
        decision: approval-routing
        version: 1
        context:
          amount: {value: "{{ input.amount }}"}
          department: purchasing
      - id: sign-off
        type: subprocess
        workflow: approval
        wait: false
      - id: done
        type: end
        output:
          paid: true
          reference: "{{ vars.reference }}"
    output: "{{ vars.reference }}"
    """
)


# -- good definitions ---------------------------------------------------------------------------------


def test_a_definition_using_every_step_type_parses():
    asked = []

    def known(name, version):
        asked.append((name, version))
        return True

    parsed = parse(FULL, known_activities=ACTIVITIES, known_definitions=known)
    used = {step.type for _, step in iter_steps(parsed.definition)}
    assert used == set(STEP_TYPES)
    assert asked == [("vendor-check", 2)]
    # ``workflow: approval`` starts the shipped definition of that name, so it is bundled too.
    assert subprocess_refs(parsed.definition) == {("vendor-check", 2), ("approval", None)}
    assert parsed.definition.name == "purchase-approval"
    assert parsed.source == FULL
    ids = [step.id for _, step in iter_steps(parsed.definition)]
    assert ids == sorted(ids, key=lambda i: FULL.index(f"id: {i}\n")), "iter_steps is in document order"
    charge = next(s for _, s in iter_steps(parsed.definition) if s.id == "charge")
    assert isinstance(charge, ActivityStep) and charge.compensate and charge.compensate.call == "demo.refund"


def test_the_plain_document_and_its_canonical_form():
    parsed = parse_ok(FULL)
    assert parsed.data["steps"][0]["cases"][0]["when"] == "{{ input.amount > 10000 }}"
    # An unquoted instant stays text: the format is JSON data.
    assert parsed.data["steps"][3]["branches"][1]["steps"][0]["until"] == "2030-01-31T09:00:00Z"
    assert json.loads(parsed.canonical) == parsed.data
    assert parsed.canonical == json.dumps(
        parsed.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert parsed.sha256 == hashlib.sha256(parsed.canonical.encode()).hexdigest()


def test_the_hash_ignores_key_order_comments_and_layout():
    reordered = dedent(
        """\
        # the same definition, written differently
        steps: [{type: end, id: done}]   # flow style
        version: 1

        name: "p"
        """
    )
    assert parse_ok(reordered).sha256 == parse_ok(MINIMAL).sha256
    assert parse_ok(MINIMAL.encode()).sha256 == parse_ok(MINIMAL).sha256


def test_the_hash_changes_with_the_content():
    changed = MINIMAL.replace("version: 1", "version: 2")
    assert parse_ok(changed).sha256 != parse_ok(MINIMAL).sha256
    with_output = MINIMAL + "    output: 1\n"
    assert parse_ok(with_output).sha256 != parse_ok(MINIMAL).sha256


def test_anchors_and_merge_keys_may_be_used():
    source = steps(
        """\
        - &charge
          id: first
          type: activity
          call: demo.charge
          with: {amount: 1}
        - <<: *charge
          id: second
        """
    )
    parsed = parse_ok(source)
    second = parsed.definition.steps[1]
    assert isinstance(second, ActivityStep)
    assert (second.id, second.call, second.with_) == ("second", "demo.charge", {"amount": 1})


def test_the_subprocess_check_is_skipped_without_a_catalogue():
    source = steps("- {id: child, type: subprocess, definition: anything}\n")
    parsed = parse(source, known_activities=ACTIVITIES)
    assert isinstance(parsed.definition.steps[0], SubprocessStep)


def test_the_schema_file_is_what_the_model_generates():
    hint = (
        "definitions/schema.json is out of date; regenerate it with: .venv/bin/python -c "
        "\"import domain.definitions.parser as p; open('definitions/schema.json', 'w').write(p.schema_text())\""
    )
    assert Path(SCHEMA_PATH).read_text("utf-8") == schema_text(), hint


# -- refused, each with where ---------------------------------------------------------------------------


def test_the_error_is_a_validation_failure_listing_every_problem():
    source = steps(
        """\
        - {id: a, type: activity, call: demo.chrge}
        - {id: b, type: activity, call: nope.nope}
        - {id: a, type: end}
        """
    )
    with pytest.raises(DefinitionInvalid) as caught:
        parse_ok(source)
    error = caught.value
    assert isinstance(error, ValidationFailed)
    assert error.code == "validation_failed"
    assert error.message == "The definition is not valid."
    fields = error.details["fields"]
    assert [(f["field"], f["line"]) for f in fields] == [
        ("/steps/0/id", 4),
        ("/steps/0/call", 4),
        ("/steps/1/call", 5),
        ("/steps/2/id", 6),
    ]
    assert all(set(f) == {"field", "message", "line", "column"} for f in fields)
    assert "line 4, column" in str(error)


def test_invalid_yaml_gives_its_line():
    error = only("name: p\nversion: [1\nsteps: []\n")
    assert error["line"] == 3
    assert error["message"].startswith("invalid YAML:")


def test_bad_indentation_is_invalid_yaml():
    error = only("name: p\n  version: 1\n")
    assert (error["line"], error["column"]) == (2, 10)


def test_a_schema_violation_gives_field_line_and_column():
    source = steps(
        """\
        - id: charge
          type: activity
          call: demo.charge
          retry: {maximum_attempts: -1}
        """
    )
    error = only(source)
    assert error == {
        "field": "/steps/0/retry/maximum_attempts",
        "message": "must be at least 0",
        "line": 7,
        "column": 29,
    }


def test_an_unknown_field_points_at_the_key_and_suggests_the_name():
    source = steps(
        """\
        - id: ok
          type: task
          title: Approve
          asignee: role:manager
        """
    )
    found = problems(source)
    typo = next(f for f in found if f["field"] == "/steps/0/asignee")
    assert (typo["line"], typo["column"]) == (7, 3)
    assert "did you mean 'assignee'" in typo["message"]
    missing = next(f for f in found if f["field"] == "/steps/0/assignee")
    assert missing["message"] == "'assignee' is required"


def test_a_value_of_the_wrong_kind_says_what_was_expected():
    source = steps("- {id: t, type: task, title: x, assignee: role:a, quorum: most}\n")
    error = only(source)
    assert error["field"] == "/steps/0/quorum"
    assert error["message"] == "expected one of 'all', 'any' or an integer, got a string (\"most\")"


def test_an_unknown_step_type_is_one_clear_message():
    source = steps(
        """\
        - id: nap
          type: sleep
          duration: PT1H
        """
    )
    error = only(source)
    assert error["field"] == "/steps/0/type"
    assert (error["line"], error["column"]) == (5, 9)
    assert error["message"].startswith("unknown step type 'sleep'; known: activity, task, wait, switch")


def test_an_unknown_step_type_deep_inside_is_found():
    source = steps(
        """\
        - id: loop
          type: foreach
          items: "{{ input.xs }}"
          steps:
            - id: branch
              type: parallel
              branches:
                - id: one
                  steps:
                    - {id: x, type: actvity, call: demo.charge}
        """
    )
    error = only(source)
    assert error["field"] == "/steps/0/steps/0/branches/0/steps/0/type"
    assert error["line"] == 13
    assert "did you mean 'activity'?" in error["message"]


def test_a_step_without_a_type():
    error = only(steps("- {id: what}\n"))
    assert (error["field"], error["line"]) == ("/steps/0/type", 4)
    assert error["message"].startswith("the step has no 'type'")


def test_an_unknown_activity_suggests_close_names():
    source = steps(
        """\
        - id: charge
          type: activity
          call: demo.chrage
          compensate: {call: demo.refund}
        """
    )
    error = only(source)
    assert (error["field"], error["line"], error["column"]) == ("/steps/0/call", 6, 9)
    assert error["message"] == "unknown activity 'demo.chrage'; did you mean 'demo.charge'?"


def test_an_unknown_compensation_activity():
    source = steps("- {id: c, type: activity, call: demo.charge, compensate: {call: demo.undo}}\n")
    assert only(source)["field"] == "/steps/0/compensate/call"


def test_a_duplicate_step_id_names_both_places():
    source = steps(
        """\
        - id: notify
          type: notify
          to: role:ops
          title: Hello
        - id: gate
          type: switch
          cases:
            - when: "{{ input.ok }}"
              steps:
                - {id: notify, type: end}
        """
    )
    found = problems(source)
    assert [(f["field"], f["line"]) for f in found] == [
        ("/steps/0/id", 4),
        ("/steps/1/cases/0/steps/0/id", 13),
    ]
    assert found[0]["message"] == "step id 'notify' is used again at /steps/1/cases/0/steps/0/id"
    assert found[1]["message"] == "duplicate step id 'notify': already used at /steps/0/id"


def test_a_branch_id_may_not_repeat_a_step_id():
    source = steps("- {id: p, type: parallel, branches: [{id: p, steps: []}]}\n")
    assert {f["field"] for f in problems(source)} == {"/steps/0/id", "/steps/0/branches/0/id"}


def test_an_expression_that_does_not_compile():
    source = steps(
        """\
        - id: gate
          type: switch
          cases:
            - when: "{{ input.amount > }}"
              steps: []
        """
    )
    error = only(source)
    assert (error["field"], error["line"], error["column"]) == ("/steps/0/cases/0/when", 7, 13)
    assert error["message"].startswith("expression '{{ input.amount > }}' does not compile: syntax error")


def test_an_unknown_variable():
    source = steps(
        """\
        - id: tell
          type: notify
          to: role:ops
          title: "Amount {{ imput.amount }}"
        """
    )
    error = only(source)
    assert (error["field"], error["line"]) == ("/steps/0/title", 7)
    assert error["message"].startswith(
        "unknown variable 'imput' in 'Amount {{ imput.amount }}'; known: input"
    )


def test_loop_and_catch_variables_exist_only_inside():
    source = steps(
        """\
        - id: loop
          type: foreach
          items: "{{ input.xs }}"
          as: doc
          steps:
            - {id: inside, type: set, vars: {a: "{{ doc }}", i: "{{ index }}"}}
        - {id: outside, type: set, vars: {a: "{{ doc }}", e: "{{ error }}"}}
        """
    )
    found = problems(source)
    assert [f["field"] for f in found] == ["/steps/1/vars/a", "/steps/1/vars/e"]
    assert all(f["line"] == 10 for f in found)


def test_a_reference_to_a_missing_step():
    source = steps(
        """\
        - {id: charge, type: activity, call: demo.charge}
        - id: done
          type: end
          output: "{{ steps.charg.output }}"
        """
    )
    error = only(source)
    assert (error["field"], error["line"]) == ("/steps/1/output", 7)
    assert error["message"].startswith("no step 'charg' in this definition; did you mean 'charge'?")


def test_a_step_after_end_is_unreachable():
    source = steps(
        """\
        - {id: done, type: end}
        - {id: later, type: set, vars: {a: 1}}
        - {id: even-later, type: set, vars: {b: 1}}
        """
    )
    error = only(source)
    assert (error["field"], error["line"]) == ("/steps/1", 5)
    assert error["message"] == "unreachable: follows the 'end' step 'done'"


def test_a_conditional_end_leaves_the_next_step_reachable():
    source = steps(
        """\
        - {id: early, type: end, when: "{{ input.skip }}"}
        - {id: done, type: end}
        """
    )
    assert parse_ok(source).definition.steps[1].id == "done"


def test_a_subprocess_of_itself_is_a_cycle():
    source = steps("- id: again\n  type: subprocess\n  definition: p\n")
    error = only(source)
    assert (error["field"], error["line"]) == ("/steps/0/definition", 6)
    assert error["message"] == "cycle: p starts itself"


def test_subprocess_targets_must_be_known():
    source = steps(
        """\
        - {id: a, type: subprocess, definition: vendor-chek}
        - {id: b, type: subprocess, workflow: aproval}
        - {id: c, type: subprocess}
        - {id: d, type: subprocess, definition: vendor-check, workflow: approval}
        """
    )
    found = {f["field"]: f["message"] for f in problems(source)}
    assert found == {
        "/steps/0/definition": "unknown definition 'vendor-chek'",
        "/steps/1/workflow": "unknown workflow 'aproval'; did you mean 'approval'?",
        "/steps/2": "a subprocess starts exactly one of a 'definition' or a 'workflow'",
        "/steps/3": "a subprocess starts exactly one of a 'definition' or a 'workflow'",
    }


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        (b"name: p\nversion: 1\nsteps: \xff\n", 3, "not UTF-8: byte 0xff is invalid here"),
        ("- name: p\n", 1, "the definition must be a mapping (name, version, steps…)"),
        ("# only a comment\n", 1, "the definition is empty"),
        ("name: p\nname: q\nversion: 1\n", 2, "duplicate key 'name'"),
        ("name: !!python/object/apply:os.system [ls]\n", 1, "could not determine a constructor"),
        (MINIMAL + "    output: !!binary aGVsbG8=\n", 6, "not plain data"),
        (MINIMAL + "    output: .nan\n", 6, "not a finite number"),
        ("name: p\n---\nname: q\n", 2, "expected a single document"),
        ('name: p\ndescription: "\x07"\n', 2, "characters are not allowed"),
    ],
)
def test_documents_that_are_not_plain_yaml_data(source, line, message):
    error = only(source)
    assert error["line"] == line
    assert message in error["message"]


def test_a_pydantic_only_problem_is_located_too():
    # The JSON Schema does not check ISO 8601 durations; the model does, and its error is mapped back.
    source = steps("- id: charge\n  type: activity\n  call: demo.charge\n  retry: {initial_interval: PT0S}\n")
    error = only(source)
    assert (error["field"], error["line"]) == ("/steps/0/retry/initial_interval", 7)
    assert error["message"] == "a duration must be longer than zero"

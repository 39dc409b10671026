"""The decide step in a definition: its fields and expressions checked by the parser, its table reference
and context checked against a catalogue of decision tables."""

from __future__ import annotations

from typing import Any

import pytest

from domain.decisions.parser import parse as parse_table
from domain.decisions.references import context_names, decide_steps, key, problems
from domain.decisions.schemas import DecisionTable
from domain.definitions.model import DecideStep
from tests.domain.definition_helpers import only, parse_ok, steps
from tests.domain.definition_helpers import problems as refused

TABLE = parse_table(
    """
name: routing
version: 2
hit_policy: first
inputs:
  - {name: amount, expression: order.amount, type: number}
  - {name: vip, expression: "{{ customer.tier == 'gold' }}", type: boolean}
  - {name: region, expression: region, type: string}
  - {name: total, expression: order.total, type: number}
outputs: [{name: approver, type: string}]
rules:
  - {when: {amount: "< 10"}, then: {approver: clerk}}
  - {when: {}, then: {approver: manager}}
"""
).table


def lookup(name: str, version: int | None) -> DecisionTable | None:
    """A catalogue holding versions 1 and 2 of ``routing``."""
    if name == "routing" and version in (None, 1, 2):
        return TABLE
    return None


def decide(**fields: Any) -> str:
    body = {"id": "route", "type": "decide", "decision": "routing", **fields}
    return steps(f"- {body}\n".replace("'", '"'))


def test_a_decide_step_parses_with_its_context_expressions():
    source = steps(
        """\
        - id: route
          type: decide
          decision: routing
          version: 2
          context:
            order: {amount: "{{ input.amount }}", total: 12}
            region: eu
        - {id: after, type: set, vars: {who: "{{ steps.route.output.approver }}"}}
        """
    )
    parsed = parse_ok(source)
    ((path, step),) = list(decide_steps(parsed.definition))
    assert path == "/steps/0" and isinstance(step, DecideStep)
    assert (step.decision, step.version) == ("routing", 2)
    assert step.context == {"order": {"amount": "{{ input.amount }}", "total": 12}, "region": "eu"}
    assert problems(parsed.definition, lookup) == []
    assert key("routing", 2) == "routing@2" and key("routing", None) == "routing@latest"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"context": {"a": "{{ nope.x }}"}}, "/steps/0/context/a", "unknown variable 'nope'"),
        ({"context": {"a": "{{ steps.ghost.output }}"}}, "/steps/0/context/a", "no step 'ghost'"),
        ({"context": {"a": "{{ input. }}"}}, "/steps/0/context/a", "does not compile"),
        ({"decision": "Routing!"}, "/steps/0/decision", "does not match"),
        ({"version": 0}, "/steps/0/version", "must be at least 1"),
        ({"context": {"not a name": 1}}, "/steps/0/context/not a name", "should match pattern"),
        ({"context": "{{ input }}"}, "/steps/0/context", "expected a mapping"),
        ({"decisions": "routing"}, "/steps/0/decisions", "did you mean 'decision'?"),
    ],
)
def test_bad_decide_steps_are_refused_where_they_are(fields, field, message):
    problem = only(decide(**fields))
    assert problem["field"] == field and message in problem["message"], problem
    assert problem["line"] == 4


def test_a_decide_step_without_a_decision_is_refused():
    (problem,) = refused(steps("- {id: route, type: decide, context: {a: 1}}\n"))
    assert (problem["field"], problem["message"]) == ("/steps/0/decision", "'decision' is required")


def test_an_unknown_table_or_version_and_a_missing_context_name_are_named():
    parsed = parse_ok(
        steps(
            """\
            - {id: a, type: decide, decision: pricing, context: {order: 1}}
            - {id: b, type: decide, decision: routing, version: 7, context: {order: 1}}
            - {id: c, type: decide, decision: routing, context: {order: {amount: 1}}}
            """
        )
    )
    assert problems(parsed.definition, lookup) == [
        ("/steps/0/decision", "unknown decision 'pricing'"),
        ("/steps/1/version", "decision 'routing' has no version 7"),
        (
            "/steps/2/context",
            "decision routing v2 reads 'region' (input 'region'); the context has no 'region'",
        ),
    ]


def test_the_names_a_table_reads_are_the_heads_of_its_dotted_paths():
    # The {{ }} input may guard what it reads (``customer is defined``): only evaluating it can tell.
    assert context_names(TABLE) == {"order": "amount", "region": "region"}

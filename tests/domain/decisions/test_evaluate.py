"""Evaluating a table: every hit policy (conflicts included), the explanation, the inputs read from the
context and coerced, and the expression escape hatch inside its sandbox."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from domain.decisions.errors import ContextInvalid, DecisionConflict, DecisionInvalid
from domain.decisions.evaluate import MAX_EVALUATION_WORK, compile_table
from domain.decisions.parser import parse
from domain.decisions.schemas import DecisionTable
from tests.domain.decisions.tables import data, table

# Rules 1 and 2 overlap between 5 and 10; rule 3 from 20.
OVERLAPPING = [({"x": "[0..10]"}, 1), ({"x": "[5..15)"}, 2), ({"x": ">= 20"}, 3)]


def outcome(policy: str, x: Any, rules: Any = OVERLAPPING, **more: Any) -> dict[str, Any]:
    compiled = compile_table(DecisionTable.model_validate(data({"x": "number"}, rules, policy, **more)))
    return compiled.evaluate({"x": x})


def conflict(policy: str, x: Any, rules: Any = OVERLAPPING) -> DecisionConflict:
    with pytest.raises(DecisionConflict) as caught:
        outcome(policy, x, rules)
    assert caught.value.code == "decision_conflict"
    return caught.value


def test_first_answers_the_first_matching_rule_and_says_which_others_matched() -> None:
    answer = outcome("first", 7)
    assert answer["outputs"] == {"y": 1} and answer["matched"] == [1, 2] and answer["selected"] == [1]
    assert outcome("first", 12)["outputs"] == {"y": 2}
    nothing = outcome("first", 17)
    assert nothing["outputs"] is None and nothing["matched"] == [] and nothing["selected"] == []


def test_unique_answers_the_one_rule_and_refuses_two() -> None:
    assert outcome("unique", 2)["outputs"] == {"y": 1}
    assert outcome("unique", 17)["outputs"] is None
    refused = conflict("unique", 7)
    assert refused.rules == [1, 2] and refused.details["rules"] == [1, 2]
    assert "rules 1, 2 all match; hit policy unique allows one rule to match" in refused.message


def test_any_answers_when_the_matching_rules_agree_and_refuses_when_they_differ() -> None:
    agreeing = [({"x": "[0..10]"}, 1), ({"x": "[5..15)"}, 1)]
    answer = outcome("any", 7, agreeing)
    assert answer["outputs"] == {"y": 1} and answer["selected"] == [1, 2]
    refused = conflict("any", 7)
    assert refused.rules == [1, 2] and "different outputs" in refused.message


def test_priority_follows_the_order_of_the_output_values() -> None:
    ranked = {"outputs": [{"name": "y", "type": "number", "values": [3, 2, 1]}]}
    assert outcome("priority", 7, **ranked)["outputs"] == {"y": 2}  # 2 ranks above 1
    assert outcome("priority", 7, **ranked)["selected"] == [2]
    tie = [({"x": "< 10"}, 1), ({"x": "< 5"}, 1)]
    assert outcome("priority", 3, tie, **ranked)["selected"] == [1]  # equal rank: the first rule
    two = DecisionTable.model_validate(
        {
            **data({"x": "number"}, []),
            "hit_policy": "priority",
            "outputs": [
                {"name": "level", "type": "string", "values": ["high", "low"]},
                {"name": "queue", "type": "string", "values": ["a", "b"]},
            ],
            "rules": [
                {"when": {"x": "> 0"}, "then": {"level": "low", "queue": "a"}},
                {"when": {"x": "> 1"}, "then": {"level": "high", "queue": "b"}},
                {"when": {"x": "> 2"}, "then": {"level": "high", "queue": "a"}},
            ],
        }
    )
    assert compile_table(two).evaluate({"x": 5})["outputs"] == {"level": "high", "queue": "a"}


def test_collect_and_rule_order_list_the_matching_rules_in_order() -> None:
    assert outcome("collect", 7)["outputs"] == [{"y": 1}, {"y": 2}]
    assert outcome("rule_order", 7)["outputs"] == [{"y": 1}, {"y": 2}]
    assert outcome("collect", 17)["outputs"] == []
    assert outcome("rule_order", 30)["outputs"] == [{"y": 3}]


@pytest.mark.parametrize(
    ("aggregation", "at_seven", "at_seventeen"),
    [("sum", 3, 0), ("min", 1, None), ("max", 2, None), ("count", 2, 0)],
)
def test_collect_aggregates(aggregation: str, at_seven: Any, at_seventeen: Any) -> None:
    assert outcome("collect", 7, aggregation=aggregation)["outputs"] == {"y": at_seven}
    assert outcome("collect", 17, aggregation=aggregation)["outputs"] == {"y": at_seventeen}


def test_a_sum_of_decimals_is_exact() -> None:
    tenths = [({"x": "-"}, 0.1), ({"x": "-"}, 0.2), ({"x": "-"}, 2.5), ({"x": "-"}, 0.2)]
    assert outcome("collect", 1, tenths, aggregation="sum")["outputs"] == {"y": 3}
    assert outcome("collect", 1, tenths[:2], aggregation="sum")["outputs"] == {"y": 0.3}


def test_the_explanation_gives_each_rule_and_the_first_failing_cell() -> None:
    source = table(
        {"amount": "number", "placed": "date", "lead": "duration"},
        [
            ({"amount": "< 100", "placed": ">= 2026-01-01"}, 1),
            ({"amount": ">= 100", "placed": "< 2026-01-01"}, 2),
            ({"placed": ">= 2026-01-01", "lead": "> P3D"}, 3),
        ],
        policy="collect",
    ).replace("    then: {y: 2}", "    then: {y: 2}\n    description: old & large")
    answer = parse(source).compiled.evaluate({"amount": 150, "placed": date(2026, 2, 1), "lead": "PT72H"})
    assert answer["inputs"] == {"amount": 150, "placed": "2026-02-01", "lead": "P3D"}
    assert answer["explanation"] == [
        {
            "rule": 1,
            "matched": False,
            "description": None,
            "failed": {"input": "amount", "cell": "< 100", "value": 150},
        },
        {
            "rule": 2,
            "matched": False,
            "description": "old & large",
            "failed": {"input": "placed", "cell": "< 2026-01-01", "value": "2026-02-01"},
        },
        {
            "rule": 3,
            "matched": False,
            "description": None,
            "failed": {"input": "lead", "cell": "> P3D", "value": "P3D"},
        },
    ]
    assert answer["outputs"] == [] and answer["matched"] == []
    matched = parse(source).compiled.evaluate(
        {"amount": 5, "placed": "2026-03-01", "lead": timedelta(days=4)}
    )
    assert [e["matched"] for e in matched["explanation"]] == [True, False, True]
    assert matched["explanation"][0]["failed"] is None and matched["matched"] == [1, 3]
    assert {k: matched[k] for k in ("decision", "version", "hit_policy", "aggregation")} == {
        "decision": "t",
        "version": 1,
        "hit_policy": "collect",
        "aggregation": None,
    }
    json.dumps(matched)  # JSON data only


def test_inputs_read_paths_list_items_and_expressions() -> None:
    source = """\
name: t
version: 1
hit_policy: first
inputs:
  - {name: price, expression: order.items.1.price, type: number}
  - {name: vip, expression: "{{ customer.orders | length > 2 }}", type: boolean}
  - {name: tier, expression: "{{ customer.tier | lower }}", type: string}
outputs: [{name: y, type: string}]
rules:
  - when: {price: "> 10", vip: "true", tier: '"gold"'}
    then: {y: "yes"}
  - when: {}
    then: {y: "no"}
"""
    compiled = parse(source).compiled
    context = {
        "order": {"items": [{"price": 1}, {"price": "12.5"}]},
        "customer": {"orders": [1, 2, 3], "tier": "GOLD"},
    }
    answer = compiled.evaluate(context)
    assert answer["inputs"] == {"price": 12.5, "vip": True, "tier": "gold"} and answer["outputs"] == {
        "y": "yes"
    }


def fields(compiled: Any, context: Any) -> list[dict[str, str]]:
    with pytest.raises(ContextInvalid) as caught:
        compiled.evaluate(context)
    assert caught.value.code == "validation_failed"
    return caught.value.details["fields"]


def test_a_missing_input_or_a_value_of_the_wrong_type_names_the_input() -> None:
    compiled = parse(
        table({"amount": "number", "vip": "boolean"}, [({}, 1)]).replace(
            "expression: amount", "expression: order.amount"
        )
    ).compiled
    assert fields(compiled, {"vip": True}) == [
        {
            "field": "context.amount",
            "message": "missing: the input 'amount' reads order.amount, which the context lacks",
        }
    ]
    found = fields(compiled, {"order": {"amount": True}, "vip": "yes"})
    assert [f["field"] for f in found] == ["context.amount", "context.vip"]
    assert "expected a number, got a boolean (true)" in found[0]["message"]
    assert "expected true or false, got a string ('yes')" in found[1]["message"]
    assert fields(compiled, {"order": [1], "vip": True})[0]["field"] == "context.amount"
    assert fields(compiled, {"order": {"amount": None}, "vip": True})[0]["message"].endswith("got null")
    assert fields(compiled, ["not", "a", "mapping"]) == [
        {"field": "context", "message": "the context is a mapping of names to values"}
    ]


def test_an_expression_input_that_reads_nothing_is_missing() -> None:
    source = table({"x": "number"}, [({}, 1)]).replace("expression: x", 'expression: "{{ order.total * 2 }}"')
    compiled = parse(source).compiled
    assert compiled.evaluate({"order": {"total": 4}})["inputs"] == {"x": 8}
    assert fields(compiled, {"order": {}})[0]["message"].startswith(
        "missing: the input 'x' reads {{ order.total * 2 }}"
    )
    assert "unsupported operand" in fields(compiled, {"order": {"total": None}})[0]["message"]


def test_expression_cells_see_the_value_and_the_context() -> None:
    source = table({"x": "number"}, [({"x": "{{ value > limit and region in allowed }}"}, 1), ({}, 2)])
    compiled = parse(source).compiled
    assert compiled.evaluate({"x": 5, "limit": 3, "region": "eu", "allowed": ["eu"]})["outputs"] == {"y": 1}
    assert compiled.evaluate({"x": 5, "limit": 9, "region": "eu", "allowed": ["eu"]})["outputs"] == {"y": 2}
    answer = compiled.evaluate({"x": 1, "limit": 3, "region": "eu", "allowed": []})
    failed = answer["explanation"][0]["failed"]
    assert failed == {"input": "x", "cell": "{{ value > limit and region in allowed }}", "value": 1}


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("{{ value.__class__.__mro__ }}", "access to attribute '__class__' of 'int' object is unsafe"),
        ("{{ value.__init__.__globals__ }}", "unsafe"),
        ("{{ 9 ** 999999 > value }}", "not allowed: the result would be larger than 4096 bits"),
        ('{{ ("x" * 100000000) | length > value }}', "not allowed: the result would be longer"),
        ('{{ range(100000) | map("string") | join | length > value }}', "not allowed"),
        ("{{ value + 1 }}", "answered 6, not true or false"),
        ("{{ missing > 1 }}", "'missing' is undefined"),
    ],
)
def test_expression_cells_run_in_the_sandbox(cell: str, message: str) -> None:
    compiled = parse(table({"x": "number"}, [({"x": cell}, 1)])).compiled
    (field,) = fields(compiled, {"x": 5})
    assert field["field"] == "context.x" and message in field["message"], field
    assert field["message"].startswith("rule 1, cell ")


def test_an_unique_table_whose_expression_cells_overlap_is_refused_at_evaluation() -> None:
    # The static checks cannot see into expressions; evaluation still refuses two answers.
    source = table(
        {"x": "number"}, [({"x": "{{ value > 5 }}"}, 1), ({"x": "{{ value > 3 }}"}, 2)], policy="unique"
    )
    compiled = parse(source).compiled
    assert compiled.evaluate({"x": 4})["outputs"] == {"y": 2}
    with pytest.raises(DecisionConflict) as caught:
        compiled.evaluate({"x": 9})
    assert caught.value.rules == [1, 2]


def test_compiling_a_table_outside_parse_still_refuses_bad_cells() -> None:
    with pytest.raises(DecisionInvalid) as caught:
        compile_table(DecisionTable.model_validate(data({"x": "number"}, [({"x": "< a"}, 1)])))
    assert caught.value.details["fields"][0]["field"] == "/rules/0/when/x"
    bad_path = data({"x": "number"}, [({}, 1)])
    bad_path["inputs"][0]["expression"] = "order amount"
    with pytest.raises(DecisionInvalid):
        compile_table(DecisionTable.model_validate(bad_path))


def test_the_compiled_table_is_cached_on_the_parsed_one() -> None:
    parsed = parse(table({"x": "number"}, [({}, 1)]))
    assert parsed.compiled is parsed.compiled


def test_the_expression_cells_of_one_evaluation_share_a_budget_of_work() -> None:
    cell = "{{ range(30000) | list | length > value }}"  # within the budget of one expression
    compiled = parse(table({"x": "number"}, [({"x": cell}, n) for n in range(20)], policy="collect")).compiled
    assert fields(compiled, {"x": 1}) == [
        {
            "field": "context",
            "message": f"the table's expressions do more than {MAX_EVALUATION_WORK} steps of work",
        }
    ]
    few = parse(table({"x": "number"}, [({"x": cell}, n) for n in range(3)], policy="collect")).compiled
    assert few.evaluate({"x": 1})["matched"] == [1, 2, 3]

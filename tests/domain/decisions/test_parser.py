"""Parsing a decision table: the shipped tables are valid and answer as documented, the schema file is
current, and every malformed or oversized document is refused with the place of each problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from domain.decisions.parser import MAX_BYTES, MAX_EXPRESSIONS, SCHEMA_PATH, parse, schema_text
from tests.domain.decisions.tables import position, problems, table

SHIPPED = SCHEMA_PATH.parent
GOOD = table({"amount": "number"}, [({"amount": "< 10"}, 1), ({"amount": ">= 10"}, 2)])


def shipped(name: str) -> Any:
    return parse((SHIPPED / f"{name}.yaml").read_text("utf-8"))


def test_the_schema_file_is_current_and_the_shipped_tables_are_valid_without_warnings() -> None:
    assert SCHEMA_PATH.read_text("utf-8") == schema_text()
    names = sorted(p.stem for p in SHIPPED.glob("*.yaml"))
    assert names == ["approval-routing", "booking-priority", "discount", "tax-category"]
    for name in names:
        parsed = shipped(name)
        assert parsed.table.name == name and parsed.warnings == [], name


@pytest.mark.parametrize(
    ("context", "outputs"),
    [
        ({"amount": {"value": "750.00", "currency": "EUR"}, "department": "it"}, {"approver": "team-lead"}),
        ({"amount": {"value": "750.00", "currency": "EUR"}, "department": "sales"}, {"approver": "manager"}),
        (
            {"amount": {"value": "12000", "currency": "EUR"}, "department": "finance"},
            {"approver": "finance-director"},
        ),
        ({"amount": {"value": "12000", "currency": "EUR"}, "department": "it"}, {"approver": "director"}),
        ({"amount": {"value": 50000}, "department": "finance"}, {"approver": "cfo"}),
    ],
)
def test_approval_routing_routes_by_amount_and_department(context: Any, outputs: Any) -> None:
    answer = shipped("approval-routing").compiled.evaluate(context)
    assert answer["outputs"]["approver"] == outputs["approver"]


def test_the_other_shipped_tables_answer_as_their_descriptions_say() -> None:
    discount = shipped("discount").compiled
    first = {"customer": {"tier": "silver", "orders": 0}, "order": {"total": 600, "date": "2026-03-01"}}
    assert discount.evaluate(first)["outputs"] == {"percent": 15}
    black_friday = {
        "customer": {"tier": "bronze", "orders": 3},
        "order": {"total": 2500, "date": "2026-11-28"},
    }
    assert discount.evaluate(black_friday)["outputs"] == {"percent": 15}  # 0 + 5 + 2.5 + 7.5
    plain = {"customer": {"tier": "bronze", "orders": 3}, "order": {"total": 20, "date": "2026-01-01"}}
    assert discount.evaluate(plain)["outputs"] == {"percent": 0}
    tax = shipped("tax-category").compiled

    def category(destination: str, what: str) -> str:
        context = {"shipment": {"destination": destination}, "line": {"category": what}}
        return tax.evaluate(context)["outputs"]["tax_category"]

    assert category("export", "food") == "zero-rated"
    assert category("domestic", "books") == "reduced"
    assert category("eu", "insurance") == "exempt"
    assert category("domestic", "software") == "standard"
    booking = shipped("booking-priority").compiled

    def priority(lead: str, tier: str = "basic", party: int = 2, bookings: int = 0) -> str:
        context = {
            "booking": {"lead_time": lead, "party_size": party},
            "customer": {"tier": tier, "bookings": bookings},
        }
        return booking.evaluate(context)["outputs"]["priority"]

    assert priority("PT1H") == "urgent"
    assert priority("P7D", tier="gold") == "high"
    assert priority("P2D", party=10) == "high"
    assert priority("P40D") == "low"
    assert priority("P40D", bookings=5) == "normal"
    assert priority("P5D") == "normal"


def test_a_table_has_a_stable_sha_of_its_content() -> None:
    parsed = parse(GOOD)
    assert parse(GOOD.replace("version: 1", "version:   1  # comment")).sha256 == parsed.sha256
    assert parse(GOOD.replace("< 10", "< 11").replace(">= 10", ">= 11")).sha256 != parsed.sha256
    assert parsed.source == GOOD and parsed.data["name"] == "t" and len(parsed.sha256) == 64
    assert parse(GOOD.encode("utf-8")).sha256 == parsed.sha256


@pytest.mark.parametrize(
    ("source", "field", "message"),
    [
        ("name: [", "", "invalid YAML"),
        ("- a\n- b\n", "", "must be a mapping"),
        ("", "", "the decision is empty"),
        (GOOD + "name: again\n", "/name", "duplicate key 'name'"),
        (
            GOOD.replace("hit_policy: first", "hit_policy: newest"),
            "/hit_policy",
            "expected one of 'unique', 'first'",
        ),
        (
            GOOD.replace("hit_policy: first", "hit_policy: first\nhit_polcy: x"),
            "/hit_polcy",
            "did you mean 'hit_policy'",
        ),
        (GOOD.replace("name: t", "name: Bad Name"), "/name", "does not match"),
        (GOOD.replace("version: 1", "version: 0"), "/version", "must be at least 1"),
        (GOOD.replace("type: number}", "type: money}", 1), "/inputs/0/type", "expected one of"),
        (GOOD.replace("then: {y: 1}", "then: {y: !!binary aGk=}"), "/rules/0/then/y", "not plain data"),
        (GOOD.replace("rules:", "rules: []\nx:"), "/rules", "needs at least 1 item"),
    ],
)
def test_malformed_documents_are_refused_with_their_place(source: str, field: str, message: str) -> None:
    found = problems(source)
    assert any(p["field"] == field and message in p["message"] and p["line"] for p in found), found


def test_an_unknown_field_is_reported_at_its_key() -> None:
    source = GOOD.replace("  - when: {amount: '< 10'}", "  - when: {amount: '< 10'}\n    thne: {y: 1}")
    found = problems(source)
    assert found[0]["field"] == "/rules/0/thne" and "did you mean 'then'" in found[0]["message"]
    assert (found[0]["line"], found[0]["column"]) == position(source, "thne")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            ("hit_policy: first", "hit_policy: first\naggregation: sum"),
            "/aggregation",
            "only for hit policy collect",
        ),
        (
            ("hit_policy: first", "hit_policy: priority"),
            "/hit_policy",
            "priority ranks rules by the outputs' values",
        ),
        (("then: {y: 1}", "then: {y: 1, z: 2}"), "/rules/0/then/z", "unknown output 'z'; outputs: y"),
        (("then: {y: 1}", "then: {}"), "/rules/0/then", "the output 'y' has no value in this rule"),
        (("then: {y: 1}", "then: {y: ten}"), "/rules/0/then/y", "the output 'y' is a number; got \"ten\""),
        (
            ("type: number}\nrules", "type: date}\nrules"),
            "/rules/0/then/y",
            "the output 'y' is a date; got 1",
        ),
        (("then: {y: 1}", "then: {y: true}"), "/rules/0/then/y", "the output 'y' is a number; got true"),
        (("then: {y: 1}", "then: {y: .nan}"), "/rules/0/then/y", "not a finite number"),
        (
            ("type: number}\nrules", "type: number, values: [2, 3]}\nrules"),
            "/rules/0/then/y",
            "1 is not one of the values of 'y': 2, 3",
        ),
        (
            ("type: number}\nrules", "type: number, values: [2, 2]}\nrules"),
            "/outputs/0/values/1",
            "2 is listed twice",
        ),
        (
            ("type: number}\nrules", "type: date}\nrules"),
            "/rules/0/then/y",
            "the output 'y' is a date; got 1",
        ),
        (
            ("expression: amount", "expression: order amount"),
            "/inputs/0/expression",
            "a dotted path (order.amount)",
        ),
        (("expression: amount", "expression: '{{ a + }}'"), "/inputs/0/expression", "does not compile"),
        (("expression: amount", "expression: '{{ a }}{{ b }}'"), "/inputs/0/expression", "exactly one {{"),
        (
            ("inputs:", "inputs:\n  - {name: amount, expression: x, type: string}"),
            "/inputs/1/name",
            "the input 'amount' is declared twice",
        ),
    ],
)
def test_names_types_and_policies_are_checked(change: tuple[str, str], field: str, message: str) -> None:
    found = problems(GOOD.replace(*change, 1))
    assert any(p["field"] == field and message in p["message"] for p in found), found


def test_aggregations_need_number_outputs_and_string_outputs_want_quotes() -> None:
    source = table(
        {"x": "number"}, [({}, "a")], policy="collect", output_type="string", extra="aggregation: max\n"
    )
    (problem,) = problems(source)
    assert (
        problem["field"] == "/outputs/0/type" and "aggregation max needs number outputs" in problem["message"]
    )
    counted = table(
        {"x": "number"}, [({}, "a")], policy="collect", output_type="string", extra="aggregation: count\n"
    )
    assert parse(counted).compiled.evaluate({"x": 1})["outputs"] == {"y": 1}
    (problem,) = problems(table({"x": "number"}, [({}, "yes")], output_type="string"))
    assert problem["message"].endswith("got true; quote it to keep it text")


def test_output_values_of_dates_datetimes_and_durations_are_iso_text() -> None:
    dated = table({"x": "number"}, [({}, "2026-02-30")], output_type="date")
    assert (
        problems(dated)[0]["message"]
        == "the output 'y' is a date: '2026-02-30' is not a date: day is out of range for month"
    )
    timed = table({"x": "number"}, [({}, "2026-02-03T10:00:00")], output_type="datetime")
    assert "with an offset" in problems(timed)[0]["message"]
    lasting = table({"x": "number"}, [({}, "P1M")], output_type="duration")
    assert "not an ISO 8601 duration" in problems(lasting)[0]["message"]
    good = table({"x": "number"}, [({}, "P1DT2H")], output_type="duration")
    assert parse(good).compiled.evaluate({"x": 1})["outputs"] == {"y": "P1DT2H"}


def test_the_limits_refuse_oversized_tables_at_once() -> None:
    rules = "".join("  - when: {}\n    then: {y: 1}\n" for _ in range(5001))
    source = GOOD.split("rules:")[0] + "rules:\n" + rules
    (problem,) = problems(source)
    assert problem["field"] == "/rules" and problem["message"] == "too many rules: 5001; the limit is 5000"
    assert (problem["line"], problem["column"]) == position(source, "- when")
    (problem,) = problems("description: '" + "x" * MAX_BYTES + "'\n")
    assert problem["message"].startswith("the decision is ") and problem["line"] == 1
    (problem,) = problems("description: '" + "é" * (MAX_BYTES // 2) + "'\n")  # counted in bytes
    assert problem["message"].startswith("the decision is ")
    (problem,) = problems("a: [" + "1," * 260_000 + "1]\n")
    assert problem["message"].startswith("too large: more than 250000 YAML nodes")
    bomb = "l0: &l0 [" + ", ".join(["1"] * 50) + "]\n"  # each level repeats the one below 50 times
    bomb += "".join(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 50) + "]\n" for n in range(1, 5))
    (problem,) = problems(bomb)
    assert problem["message"] == "too large: more than 250000 YAML nodes (aliases count each use)"
    (problem,) = problems("a: " + "[" * 20 + "]" * 20 + "\n")
    assert "nested more than 8 levels deep" in problem["message"]
    expressions = [({"amount": f"{{{{ value > {n} }}}}"}, 1) for n in range(MAX_EXPRESSIONS + 1)]
    (problem,) = problems(table({"amount": "number"}, expressions))
    assert (
        problem["message"] == f"too many expressions: {MAX_EXPRESSIONS + 1}; the limit is {MAX_EXPRESSIONS}"
    )
    long_expression = GOOD.replace("expression: amount", "expression: '{{ " + "a + " * 600 + "a }}'")
    (problem,) = problems(long_expression)
    assert (
        problem["field"] == "/inputs/0/expression"
        and problem["message"] == "may have at most 2000 characters"
    )
    many_inputs = table({f"x{n}": "number" for n in range(51)}, [({}, 1)])
    assert any(p["field"] == "/inputs" for p in problems(many_inputs))


def test_not_utf8_is_refused_with_its_place() -> None:
    (problem,) = problems(b"name: t\nversion: \xff\n")
    assert problem["line"] == 2 and "not UTF-8" in problem["message"]


def test_the_schema_path_is_the_shipped_folder() -> None:
    expected = Path(__file__).resolve().parents[3] / "definitions" / "decisions" / "schema.json"
    assert expected == SCHEMA_PATH

"""The static checks: each claim comes with a witness that evaluating the table confirms, expression cells
never cause a false claim, and a 5,000-rule table is checked within the budget."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

from domain.decisions import checks
from domain.decisions.errors import DecisionConflict
from domain.decisions.evaluate import compile_table
from domain.decisions.parser import parse
from domain.decisions.schemas import DecisionTable
from tests.domain.decisions.tables import data, position, problems, run_checks, table


def matched(table_data: dict[str, Any], context: dict[str, Any]) -> list[int]:
    """The rules that match ``context``, whatever the table's hit policy."""
    every = DecisionTable.model_validate({**table_data, "hit_policy": "collect", "aggregation": None})
    return compile_table(every).evaluate(context)["matched"]


def test_an_overlap_under_unique_is_refused_with_a_witness_that_hits_both() -> None:
    rules = [
        ({"amount": "< 1000", "dept": '"it","ops"'}, 1),
        ({"amount": "[900..5000)", "dept": 'not("sales")'}, 2),
        ({"amount": ">= 5000"}, 3),
    ]
    inputs = {"amount": "number", "dept": "string"}
    found = run_checks(data(inputs, rules, "unique"))
    (overlap,) = found.overlaps
    assert overlap["rules"] == [1, 2]
    assert matched(data(inputs, rules), overlap["witness"]) == [1, 2]
    with pytest.raises(DecisionConflict):
        compile_table(DecisionTable.model_validate(data(inputs, rules, "unique"))).evaluate(
            overlap["witness"]
        )
    source = table(inputs, rules, policy="unique")
    (problem,) = problems(source)
    assert problem["field"] == "/rules/1/when"
    assert problem["message"].startswith(
        "rules 1 and 2 overlap under hit policy unique: both match amount = "
    )
    assert (problem["line"], problem["column"]) == position(source, "{amount: '[900")


def test_overlaps_are_found_in_every_type() -> None:
    cases = {
        "date": ("[2026-01-01..2026-02-01)", "(2026-01-30..2026-03-01)"),
        "datetime": ("< 2026-01-01T12:00:00Z", ">= 2026-01-01T11:59:59.999999Z"),
        "duration": ("<= PT1H", "[PT60M..P1D]"),
        "boolean": ("not(false)", "true"),
        "string": ('not("a")', '"a","b"'),
        "number": ("< 0.5", "(0.4999..1]"),
    }
    for kind, (first, second) in cases.items():
        rules = [({"x": first}, 1), ({"x": second}, 2)]
        (overlap,) = run_checks(data({"x": kind}, rules, "unique")).overlaps
        assert matched(data({"x": kind}, rules), overlap["witness"]) == [1, 2], kind
    # Touching but not overlapping (whole days: January 31 and February 1 do not share one): no claim.
    days = [({"x": "[2026-01-01..2026-02-01)"}, 1), ({"x": "(2026-01-31..2026-03-01)"}, 2)]
    assert not run_checks(data({"x": "date"}, days, "unique")).overlaps
    assert not run_checks(
        data({"x": "date"}, [({"x": "< 2026-01-01"}, 1), ({"x": ">= 2026-01-01"}, 2)], "unique")
    ).overlaps
    assert not run_checks(data({"x": "number"}, [({"x": "< 1"}, 1), ({"x": "[1..2)"}, 2)], "unique")).overlaps


def test_any_refuses_only_overlaps_with_different_outputs() -> None:
    same = [({"x": "< 10"}, 1), ({"x": "> 5"}, 1)]
    assert not run_checks(data({"x": "number"}, same, "any")).overlaps
    differ = [({"x": "< 10"}, 1), ({"x": "> 5"}, 1), ({"x": "[7..8]"}, 2)]
    (overlap,) = run_checks(data({"x": "number"}, differ, "any")).overlaps
    assert overlap["rules"] == [1, 3] and matched(data({"x": "number"}, differ), overlap["witness"]) == [
        1,
        2,
        3,
    ]
    assert "with different outputs" in problems(table({"x": "number"}, differ, policy="any"))[0]["message"]


def test_a_gap_is_a_warning_with_a_witness_no_rule_matches_and_an_error_when_complete() -> None:
    inputs = {"amount": "number", "dept": "string", "rush": "boolean"}
    rules = [
        ({"amount": "< 1000"}, 1),
        ({"amount": "[1000..5000]", "dept": '"it"'}, 2),
        ({"amount": "[1000..5000]", "dept": 'not("it")', "rush": "true"}, 3),
        ({"amount": "> 5000"}, 4),
    ]
    parsed = parse(table(inputs, rules))
    (gap,) = parsed.warnings
    assert gap["kind"] == "gap" and gap["rules"] == []
    assert (
        gap["witness"]["amount"] == 1000
        and gap["witness"]["rush"] is False
        and gap["witness"]["dept"] != "it"
    )
    assert parsed.compiled.evaluate(gap["witness"])["matched"] == []
    assert gap["message"] == f'no rule matches amount = 1000, dept = "{gap["witness"]["dept"]}", rush = false'
    (problem,) = problems(table(inputs, rules, extra="complete: true\n"))
    assert problem["field"] == "/rules" and problem["message"].startswith(
        "the table is complete, but no rule matches"
    )
    closed = [*rules, ({"rush": "false"}, 5)]
    assert parse(table(inputs, closed, extra="complete: true\n")).warnings == []


def test_gaps_respect_each_type_s_domain() -> None:
    # Durations are never negative and dates have ends: these tables leave nothing out.
    assert run_checks(data({"d": "duration"}, [({"d": "< PT1H"}, 1), ({"d": ">= PT1H"}, 2)])).warnings == []
    assert run_checks(data({"d": "duration"}, [({"d": ">= PT0S"}, 1)])).warnings == []
    assert (
        run_checks(data({"d": "date"}, [({"d": "<= 2026-01-01"}, 1), ({"d": "> 2026-01-01"}, 2)])).warnings
        == []
    )
    assert run_checks(data({"b": "boolean"}, [({"b": "true"}, 1), ({"b": "false"}, 2)])).warnings == []
    # Between two whole days there is nothing; between two numbers there is.
    days = data({"d": "date"}, [({"d": "<= 2026-01-01"}, 1), ({"d": ">= 2026-01-02"}, 2)])
    assert run_checks(days).warnings == []
    (gap,) = run_checks(data({"n": "number"}, [({"n": "<= 1"}, 1), ({"n": ">= 2"}, 2)])).warnings
    assert gap["witness"] == {"n": 1.5}
    (gap,) = run_checks(data({"n": "number"}, [({"n": "< 1"}, 1), ({"n": "> 1"}, 2)])).warnings
    assert gap["witness"] == {"n": 1}
    (gap,) = run_checks(
        data({"t": "datetime"}, [({"t": "< 2026-01-01T00:00:00Z"}, 1), ({"t": "> 2026-01-01T00:00:00Z"}, 2)])
    ).warnings
    assert gap["witness"] == {"t": "2026-01-01T00:00:00Z"}


def test_unreachable_rules_under_first_are_warnings_naming_what_covers_them() -> None:
    inputs = {"x": "number", "s": "string"}
    rules = [
        ({"x": "< 10"}, 1),
        ({"x": ">= 10", "s": '"a"'}, 2),
        ({"x": "[5..20]", "s": '"a"'}, 3),
        ({"x": "[5..20]"}, 4),
        ({}, 5),
    ]
    found = parse(table(inputs, rules)).warnings
    assert [w["kind"] for w in found] == ["unreachable"]
    assert found[0]["rules"] == [3, 1, 2] and found[0]["witness"] is None
    assert (
        found[0]["message"]
        == "rule 3 is never chosen: every input it matches, an earlier rule (1, 2) matches"
    )
    # Confirmed by trying every point the rules draw a line at: rule 3 is never the first to match.
    grid = itertools.product([4, 5, 7.5, 10, 15, 20, 21], ["a", "b"])
    assert all(matched(data(inputs, rules), {"x": x, "s": s})[0] != 3 for x, s in grid)
    assert parse(table(inputs, rules, policy="collect")).warnings == []  # only first has unreachable rules


def test_expression_cells_never_cause_a_false_claim() -> None:
    # Two expression rules may overlap at run time; statically nothing is claimed.
    opaque = [({"x": "{{ value > 5 }}"}, 1), ({"x": "{{ value > 3 }}"}, 2), ({"x": "< 0"}, 3)]
    assert parse(table({"x": "number"}, opaque, policy="unique")).warnings == []  # may match: no gap either
    half = [({"x": "{{ value > 5 }}", "s": '"a"'}, 1)]
    (gap,) = parse(table({"x": "number", "s": "string"}, half)).warnings
    assert gap["witness"]["s"] != "a"  # only where the expression's rule cannot match
    # An earlier expression rule does not make a later rule unreachable; a later one can be.
    covering = [({"x": "{{ value > 5 }}"}, 1), ({"x": "> 5"}, 2), ({}, 3), ({"x": "{{ value > 0 }}"}, 4)]
    (unreachable,) = parse(table({"x": "number"}, covering)).warnings
    assert unreachable["rules"][0] == 4


def test_only_the_first_overlaps_and_unreachable_rules_are_listed() -> None:
    overlapping = [({"x": f"[{n}..{n + 2}]"}, n) for n in range(60)]
    assert len(run_checks(data({"x": "number"}, overlapping, "unique")).overlaps) == checks.MAX_REPORTED
    shadowed = [({}, 0), *(({"x": f"< {n}"}, n) for n in range(1, 40))]
    found = run_checks(data({"x": "number"}, shadowed)).warnings
    assert len(found) == checks.MAX_REPORTED + 1 and found[-1]["message"].startswith(
        "more rules are never chosen"
    )


def test_random_tables_agree_with_evaluation() -> None:
    """Every witness is confirmed by evaluation, and no gap or overlap is missed on a grid of values
    around every boundary the cells use."""
    cells = {
        "number": ["-", "< 3", "<= 3", "> 3", "[1..4)", "(2..6]", "= 4", "not(< 2)", "1, 5", "not([2..3])"],
        "date": ["-", "< 2026-01-03", "[2026-01-01..2026-01-05)", "(2026-01-02..2026-01-04]", "2026-01-02"],
        "string": ["-", '"a"', '"a","b"', 'not("a")', 'not("a","c")'],
        "boolean": ["-", "true", "false"],
    }
    grid: dict[str, list[Any]] = {
        "number": [-1, 0, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 7],
        "date": [f"2026-01-0{d}" for d in range(1, 7)] + ["2025-12-31"],
        "string": ["a", "b", "c", "zz"],
        "boolean": [True, False],
    }
    chance = random.Random(7)
    for _ in range(150):
        kinds = {f"x{n}": chance.choice(list(cells)) for n in range(chance.randint(1, 3))}
        rules = [
            ({name: chance.choice(cells[k]) for name, k in kinds.items()}, chance.randint(0, 1))
            for _ in range(chance.randint(1, 5))
        ]
        policy = chance.choice(["unique", "any", "first"])
        table_data = data(kinds, rules, policy)
        found = run_checks(table_data)
        for gap in (w for w in found.warnings if w["kind"] == "gap"):
            assert matched(table_data, gap["witness"]) == []
        for overlap in found.overlaps:
            assert set(overlap["rules"]) <= set(matched(table_data, overlap["witness"]))
        points = [
            dict(zip(kinds, combo, strict=True))
            for combo in itertools.product(*(grid[k] for k in kinds.values()))
        ]
        hits = [matched(table_data, point) for point in points]
        if any(not h for h in hits):
            assert any(w["kind"] == "gap" for w in found.warnings), table_data
        outputs = [y for _, y in rules]
        if policy == "unique" and any(len(h) > 1 for h in hits):
            assert found.overlaps, table_data
        if policy == "any" and any(len({outputs[r - 1] for r in h}) > 1 for h in hits):
            assert found.overlaps, table_data
        for warning in (w for w in found.warnings if w["kind"] == "unreachable"):
            assert all(not h or h[0] != warning["rules"][0] for h in hits), table_data


REGIONS = ["eu", "us", "apac", "latam", "mea"]


def big_table(policy: str, ranges: int = 1000, hole: int | None = None) -> str:
    lines = [
        f"name: big\nversion: 1\nhit_policy: {policy}\ninputs:",
        "  - {name: amount, expression: order.amount, type: number}",
        "  - {name: region, expression: region, type: string}",
        "  - {name: tier, expression: tier, type: number}",
        "  - {name: channel, expression: channel, type: string}",
        "  - {name: placed, expression: placed, type: date}",
        "outputs:\n  - {name: score, type: number}\nrules:",
    ]
    n = 0
    for a in range(ranges):
        for region in REGIONS:
            n += 1
            cells = f'amount: "[{a * 100}..{(a + 1) * 100})", region: \'"{region}"\''
            if n == hole:  # this rule leaves out the web channel
                cells += ", channel: 'not(\"web\")'"
            lines.append(f"  - when: {{{cells}}}\n    then: {{score: {n}}}")
    lines.append(f'  - when: {{amount: "< 0, >= {ranges * 100}"}}\n    then: {{score: 0}}')
    others = ",".join(f'"{r}"' for r in REGIONS)
    lines.append(
        f"  - when: {{amount: \"[0..{ranges * 100})\", region: 'not({others})'}}\n    then: {{score: 0}}"
    )
    return "\n".join(lines) + "\n"


def test_a_table_of_5000_rules_is_checked_completely() -> None:
    source = big_table("unique", ranges=999, hole=2500)
    parsed = parse(source)
    assert len(parsed.table.rules) == 4997
    (gap,) = parsed.warnings
    assert gap["kind"] == "gap" and gap["witness"]["channel"] == "web"
    assert gap["witness"]["amount"] == 49900 and gap["witness"]["region"] == "mea"  # rule 2500's place
    assert parsed.compiled.evaluate({"order": {"amount": 49900}, **gap["witness"]})["matched"] == []
    overlapping = source.replace('amount: "[0..100)"', 'amount: "[0..101)"', 1)
    (problem,) = problems(overlapping)
    assert problem["field"] == "/rules/5/when" and "rules 1 and 6 overlap" in problem["message"]


def test_an_intricate_table_stops_at_the_budget_and_says_so() -> None:
    chance = random.Random(1)
    rules = [
        (
            {
                f"x{i}": f"[{(a := chance.randint(0, 10000))}..{a + chance.randint(1, 3000)})"
                for i in range(5)
            },
            r % 7,
        )
        for r in range(5000)
    ]
    parsed = parse(table({f"x{i}": "number" for i in range(5)}, rules))
    kinds = [w["kind"] for w in parsed.warnings]
    assert "analysis_truncated" in kinds and "gap" in kinds
    truncated = next(w for w in parsed.warnings if w["kind"] == "analysis_truncated")
    assert truncated["message"].startswith(f"the unreachable check stopped after {checks.BUDGET} steps")
    assert truncated["rules"] == [] and truncated["witness"] is None

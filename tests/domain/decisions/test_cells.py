"""The cell language: every form matches what it says, every bad form is refused with the line and the
column of the problem inside the cell, and context values are read per type."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.decisions.cells import CellError, coerce, compile_cell, key_of
from tests.domain.decisions.tables import position, problems, table


def matches(kind: Any, cell: str, value: Any) -> bool:
    compiled = compile_cell(cell, kind)
    return compiled.matches(key_of(kind, coerce(kind, value)))


@pytest.mark.parametrize(
    ("kind", "cell", "inside", "outside"),
    [
        ("number", "-", [-1e9, 0, 3.5], []),
        ("number", "10", [10, 10.0, "10"], [10.01, 9]),
        ("number", "-5", [-5], [5]),
        ("number", "1.5e3", [1500], [1.5]),
        ("number", "< 10", [9.99, -3], [10, 11]),
        ("number", "<= 10", [10, 9], [10.0001]),
        ("number", "> 10", [10.5], [10, 3]),
        ("number", ">= 10", [10, 99], [9.999]),
        ("number", "= 10", [10], [11]),
        ("number", "[10..100)", [10, 99.5], [100, 9.99]),
        ("number", "(0..1]", [0.5, 1], [0, 1.01]),
        ("number", "< 0, > 100", [-1, 101], [0, 50, 100]),
        ("number", "1, 2, [5..6]", [1, 2, 5.5], [3, 4, 7]),
        ("number", "not(< 0, > 100)", [0, 50, 100], [-1, 101]),
        ("number", "not (3)", [2, 4], [3]),
        ("date", "2026-01-31", ["2026-01-31", date(2026, 1, 31)], ["2026-02-01"]),
        ("date", "[2026-01-01..2026-02-01)", ["2026-01-01", "2026-01-31"], ["2026-02-01", "2025-12-31"]),
        ("date", "(2026-01-01..2026-01-03)", ["2026-01-02"], ["2026-01-01", "2026-01-03"]),
        ("date", "not(< 2026-01-01)", ["2026-01-01"], ["2025-12-31"]),
        ("datetime", "> 2026-01-31T09:00:00Z", ["2026-01-31T09:00:01Z"], ["2026-01-31T10:00:00+01:00"]),
        ("datetime", "2026-01-31T09:00:00+01:00", ["2026-01-31T08:00:00Z"], ["2026-01-31T09:00:00Z"]),
        (
            "datetime",
            "[2026-01-01T00:00:00Z..2026-01-02T00:00:00Z)",
            [datetime(2026, 1, 1, 12, tzinfo=UTC)],
            ["2026-01-02T00:00:00Z"],
        ),
        ("duration", ">= P3D", ["PT72H", "P1W"], ["P2DT23H59M"]),
        ("duration", "[PT1H..P1D)", ["PT1H", "PT23H59M59.5S", timedelta(hours=5)], ["P1D", "PT59M"]),
        ("duration", "PT0S", ["PT0S"], ["PT1S"]),
        ("string", '"gold"', ["gold"], ["Gold", "silver"]),
        ("string", '"it", "ops"', ["it", "ops"], ["sales"]),
        ("string", '"a, b", "say \\"hi\\""', ["a, b", 'say "hi"'], ["a"]),
        ("string", 'not("it", "ops")', ["sales", ""], ["it", "ops"]),
        ("string", '= "gold"', ["gold"], ["silver"]),
        ("boolean", "true", [True], [False]),
        ("boolean", "false", [False], [True]),
        ("boolean", "not(true)", [False], [True]),
        ("boolean", "true, false", [True, False], []),
    ],
)
def test_every_cell_form_matches_what_it_says(
    kind: str, cell: str, inside: list[Any], outside: list[Any]
) -> None:
    for value in inside:
        assert matches(kind, cell, value), (cell, value)
    for value in outside:
        assert not matches(kind, cell, value), (cell, value)


BAD_CELLS = [
    ("string", "gold", "gold", 'a string is double-quoted: "gold"'),
    ("number", '"gold"', '"gold"', 'type mismatch: "gold" is a string, the input is a number'),
    ("number", "2026-01-01", "2026", "type mismatch: 2026-01-01 is a date, the input is a number"),
    ("date", "> 10", "10", "type mismatch: 10 is a number, the input is a date"),
    ("boolean", "1", "1", "type mismatch"),
    ("number", "< 10, > zz", "zz", "expected a number, found 'zz'"),
    ("number", "[10..1]", "[10", "the range is empty"),
    ("number", "[1..10", "$", "close the range"),  # $: at the end of the cell
    ("number", "[1 10]", "10]", "expected '..'"),
    ("number", "not(1", "$", "expected ',' or ')'"),
    ("number", "10 20", "20", "unexpected '20' after the cell"),
    ("number", "10,", "$", "expected a value"),
    ("number", "not(-)", "-)", "expected a number, found '-'"),
    ("number", "not(not(1))", "not(1", "expected a number, found 'not'"),
    ("number", "1e999", "1e999", "too large a number"),
    ("string", '< "a"', '< "a"', "'<' compares numbers, dates, datetimes and durations, not strings"),
    ("string", '["a".."b"]', '["a"', "a range is for numbers"),
    ("boolean", "yes", "yes", "expected a boolean, found 'yes'"),
    ("date", "2026-13-01", "2026-13-01", "is not a date: month must be in 1..12"),
    ("datetime", "> 2026-01-31T09:00", "2026-01-31T09", "not a datetime with an offset"),
    ("duration", "P3X", "P3X", "expected a duration, found 'P3X'"),
    ("duration", ">= P1Y", "P1Y", "expected a duration"),
    ("duration", "< P100001D", "P100001D", "may not exceed 100000 days"),
    ("number", "{{ value > }}", "{{", "the expression does not compile"),
    ("number", "{{ a }} and {{ b }}", "{{ a", "an expression is exactly one {{ … }}"),
    ("number", "{{ value }}{% if 1 %}{% endif %}}}", "{{ value", "exactly one"),
]


@pytest.mark.parametrize(("kind", "cell", "at", "message"), BAD_CELLS)
def test_a_bad_cell_is_refused_at_its_line_and_column(kind: str, cell: str, at: str, message: str) -> None:
    source = table({"x": kind}, [({"x": "-"}, 1), ({"x": cell}, 2)])
    (problem,) = problems(source)
    assert problem["field"] == "/rules/1/when/x"
    assert message in problem["message"]
    line, column = position(source, "'" + cell)
    offset = len(cell) if at == "$" else cell.index(at)
    assert (problem["line"], problem["column"]) == (line, column + 1 + offset)


def test_the_column_follows_quotes_and_escapes_of_the_yaml_scalar() -> None:
    base = table({"x": "string"}, [({"x": "-"}, 1)])
    double = base.replace("x: '-'", r'x: "\"a\", \"\u00e9\", zz"')
    (problem,) = problems(double)
    assert (problem["line"], problem["column"]) == position(double, "zz")
    single = base.replace("x: '-'", "x: 'not(\"it''s\", zz)'")
    (problem,) = problems(single)
    assert (problem["line"], problem["column"]) == position(single, "zz")
    bare = base.replace("x: '-'", "x: 10")
    (problem,) = problems(bare)
    assert "type mismatch: 10 is a number" in problem["message"]
    assert (problem["line"], problem["column"]) == position(bare, "10}")
    folded = base.replace("{x: '-'}", '\n      x: >-\n        "a",\n        zz')
    (problem,) = problems(folded)
    assert (problem["line"], problem["column"]) == position(folded, ">-")  # over several lines: its start


def test_every_bad_cell_of_a_table_is_reported_and_an_unknown_input_at_its_key() -> None:
    source = table({"x": "number"}, [({"x": "< a"}, 1), ({"x": "[1..]"}, 2), ({"z": "1"}, 3)])
    found = problems(source)
    assert [p["field"] for p in found] == ["/rules/0/when/x", "/rules/1/when/x", "/rules/2/when/z"]
    assert found[2]["message"] == "unknown input 'z'; inputs: x"
    assert (found[2]["line"], found[2]["column"]) == position(source, "z:")


def test_cells_have_bounded_size() -> None:
    many = ", ".join(str(n) for n in range(101))
    (problem,) = problems(table({"x": "number"}, [({"x": many}, 1)]))
    assert "more than 100 items in one cell" in problem["message"]
    (problem,) = problems(table({"x": "number"}, [({"x": "1" * 41}, 1)]))
    assert "a number of more than 40 characters" in problem["message"]
    (problem,) = problems(table({"x": "string"}, [({"x": '"' + "a" * 1000 + '"'}, 1)]))
    assert problem["message"] == "may have at most 1000 characters"
    deep = "{{ " + "(" * 30 + "value" + ")" * 30 + " > 1 }}"
    (problem,) = problems(table({"x": "number"}, [({"x": deep}, 1)]))
    assert "nested more than 24 levels deep" in problem["message"]
    with pytest.raises(CellError, match="an empty cell"):
        compile_cell("  ", "number")


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("number", 5, 5),
        ("number", 5.5, 5.5),
        ("number", "12.30", 12.3),
        ("number", " 7 ", 7),
        ("number", Decimal("1.10"), 1.1),
        ("number", Decimal("3"), 3),
        ("string", "gold", "gold"),
        ("boolean", False, False),
        ("date", "2026-01-31", date(2026, 1, 31)),
        ("date", date(2026, 1, 31), date(2026, 1, 31)),
        ("datetime", "2026-01-31T09:00:00Z", datetime(2026, 1, 31, 9, tzinfo=UTC)),
        ("duration", "P1DT2H", timedelta(days=1, hours=2)),
        ("duration", timedelta(0), timedelta(0)),
    ],
)
def test_context_values_are_coerced_to_their_type(kind: Any, value: Any, expected: Any) -> None:
    result = coerce(kind, value)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("number", True, "expected a number, got a boolean (true)"),
        ("number", "ten", "expected a number, got a string ('ten')"),
        ("number", float("nan"), "expected a finite number"),
        ("number", None, "expected a number, got null"),
        ("number", [1], "expected a number, got a list"),
        ("number", "1" * 50, "expected a number"),
        ("string", 5, "expected a string, got a number (5)"),
        ("boolean", "true", "expected true or false"),
        ("boolean", 1, "expected true or false"),
        ("date", datetime(2026, 1, 1, tzinfo=UTC), "expected a date"),
        ("date", "2026-02-30", "is not a date"),
        ("date", "31.01.2026", "is not a date such as"),
        ("datetime", "2026-01-31T09:00:00", "with an offset"),
        ("datetime", datetime(2026, 1, 31, 9), "needs an offset"),
        ("duration", "P1Y", "is not an ISO 8601 duration"),
        ("duration", "-P1D", "is not an ISO 8601 duration"),
        ("duration", timedelta(days=-1), "between PT0S"),
        ("duration", "P" + "9" * 70 + "D", "a string of 72 characters"),
        ("date", 20260131, "expected a date"),
    ],
)
def test_a_context_value_of_the_wrong_type_is_refused(kind: Any, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        coerce(kind, value)
    assert message in str(caught.value)

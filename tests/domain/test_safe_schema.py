"""Definition input schemas get the same protection as entity schemas: RE2 patterns, local $refs only."""

from __future__ import annotations

import time
from typing import Any

import pytest

from domain.definitions.inputs import check_input
from domain.definitions.model import Definition
from domain.definitions.validate import semantic_errors
from domain.entities import safeschema
from domain.errors import ValidationFailed


def _definition(schema: dict[str, Any]) -> Definition:
    steps = [{"id": "stop", "type": "fail", "message": "no"}]
    return Definition.model_validate({"name": "d", "version": 1, "input": schema, "steps": steps})


def test_an_input_pattern_runs_in_linear_time() -> None:
    definition = _definition(
        {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a+)+$"}}}
    )
    start = time.monotonic()
    with pytest.raises(ValidationFailed) as caught:
        check_input(definition, {"code": "a" * 5000 + "!"})
    assert time.monotonic() - start < 0.5
    assert [f.field for f in caught.value.fields] == ["input.code"]
    check_input(definition, {"code": "aaaa"})


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        (
            {"type": "object", "properties": {"x": {"$ref": "http://127.0.0.1:9/x.json"}}},
            "/input/properties/x/$ref",
        ),
        ({"type": "object", "properties": {"x": {"$ref": "file:///etc/passwd"}}}, "/input/properties/x/$ref"),
        ({"type": "object", "properties": {"x": {"pattern": "(?<=a)b"}}}, "/input/properties/x/pattern"),
    ],
)
def test_a_definition_with_an_unsafe_input_schema_is_refused(schema: dict[str, Any], field: str) -> None:
    definition = _definition(schema)
    problems = semantic_errors(definition, definition.model_dump(), known_activities=())
    assert field in [where for where, _ in problems], problems
    # One published before these limits is refused at start with a 422, never run.
    with pytest.raises(ValidationFailed) as caught:
        check_input(definition, {"x": "a"})
    assert [f.field for f in caught.value.fields] == ["input"]


def test_a_format_regex_value_is_compiled_by_re2() -> None:
    validator = safeschema.validator({"type": "string", "format": "regex"})
    assert validator.is_valid("^a+$")
    assert not validator.is_valid(r"(a)\1")


@pytest.mark.parametrize("pattern", ["[a-z]{1000}[a-z]{1000}", "(a|b|ab|ba){0,1000}x", r"(\w+\s?){1,1000}$"])
def test_a_pattern_whose_program_is_too_large_is_refused(pattern: str) -> None:
    # RE2 is linear in the text, but each character costs up to the program's size: these took 10-40 s.
    problems = safeschema.problems_of({"type": "string", "pattern": pattern}, "/schema")
    assert [p.field for p in problems] == ["/schema/pattern"]
    assert "too complex" in problems[0].message


@pytest.mark.parametrize(
    "pattern", ["(a|b|ab|ba){0,300}x", "(.*a){200}", r"(\w+\s?){1,190}$", "[ab]*a[ab]{15}$", "^(a+)+$"]
)
def test_the_largest_accepted_patterns_match_a_megabyte_quickly(pattern: str) -> None:
    assert safeschema.problems_of({"type": "string", "pattern": pattern}) == []
    validator = safeschema.validator({"type": "string", "pattern": pattern})
    for text in ("ab" * 500_000 + "!", "a" * 1_000_000, "a b" * 330_000):
        start = time.monotonic()
        validator.is_valid(text)
        assert time.monotonic() - start < 0.5, (pattern, text[:3])


def test_unique_items_is_linear_and_compares_as_json_does() -> None:
    validator = safeschema.validator({"type": "array", "uniqueItems": True})
    start = time.monotonic()
    assert validator.is_valid([{"a": i} for i in range(20_000)])  # pairwise, this took minutes
    assert time.monotonic() - start < 3
    assert not validator.is_valid([{"a": i} for i in range(20_000)] + [{"a": 7}])
    same = [[1, 1.0], [None, None], [{"a": [1, 2]}, {"a": [1, 2.0]}], [{"x": 1, "y": 2}, {"y": 2, "x": 1}]]
    different = [[True, 1], [0, False], ["1", 1], [[1, 2], [2, 1]], [{"a": 1}, {"a": 1, "b": 2}]]
    assert not any(validator.is_valid(items) for items in same)
    assert all(validator.is_valid(items) for items in different)


def _nested_unevaluated(depth: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"properties": {"a": {}}}
    for _ in range(depth):
        schema = {"anyOf": [schema, {"properties": {"b": {}}}], "unevaluatedProperties": False}
    return {"type": "object", **schema}


def test_nested_unevaluated_keywords_are_capped_where_their_cost_doubles() -> None:
    problems = safeschema.problems_of(_nested_unevaluated(9))
    assert problems and "unevaluatedProperties" in problems[0].message
    validator = safeschema.validator(_nested_unevaluated(8))
    start = time.monotonic()
    assert not validator.is_valid({"a": 1, "c": 2})
    assert validator.is_valid({"a": 1})
    assert time.monotonic() - start < 0.5


def test_a_ref_into_an_unvetted_place_is_refused() -> None:
    # The walk vets patterns where schemas live; a $ref elsewhere would run a pattern nobody checked.
    schema = {
        "type": "object",
        "x-hidden": {"pattern": r"(a)\1"},
        "properties": {"a": {"$ref": "#/x-hidden"}},
    }
    assert [p.field for p in safeschema.problems_of(schema, "/schema")] == ["/schema/properties/a/$ref"]
    ok = {"type": "object", "$defs": {"t": True, "s": {"type": "string"}},
          "properties": {"a": {"$ref": "#/$defs/s"}, "b": {"$ref": "#/$defs/t"}}}  # fmt: skip
    assert safeschema.problems_of(ok) == []
    deep: Any = {}
    for _ in range(5000):
        deep = {"not": deep}
    assert "nests deeper" in safeschema.problems_of({"type": "object", "not": deep})[0].message

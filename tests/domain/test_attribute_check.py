"""The compiled attribute check answers True only for what the full JSON Schema validator accepts,
and does answer True for plain valid records (else imports lose their fast path)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from domain.entities import safeschema
from domain.entities.attribute_precheck import compile_check

CUSTOMER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5, "title": "Name"},
        "email": {"type": "string", "format": "email"},
        "segment": {"type": "string", "enum": ["retail", "smb"]},
        "age": {"type": "integer", "minimum": 0, "exclusiveMaximum": 150},
        "score": {"type": ["number", "null"], "maximum": 10},
        "vip": {"type": "boolean"},
        "joined": {"type": "string", "format": "date"},
        "code": {"type": "string", "pattern": "^[A-Z]{2}[0-9]+$"},
        "tags": {"type": "array", "items": {"type": "string", "const": "x"}, "maxItems": 2},
        "address": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "zip": {"type": "string", "minLength": 5}},
            "required": ["city"],
            "additionalProperties": {"type": "integer"},
        },
        "mixed": {"enum": [1, "1", None, True]},
        "anything": {"description": "no constraint"},
    },
    "required": ["name", "email"],
    "additionalProperties": False,
}
VALUES: list[Any] = [None, True, False, 0, 1, 1.0, 2.5, -1, 10, 10.5, 149, 150, 151.0, "", "a", "abcdef",
                     "x", "1", "AB12", "ab12", "a@b", "nobody", "2024-02-30", "2024-02-28", "retail",
                     "Retail", [], ["x"], ["x", "x", "x"], ["y"], [1], {}, {"city": "Nice"},
                     {"city": "Nice", "zip": "123"}, {"city": "Nice", "zip": "12345", "n": 3},
                     {"city": "Nice", "n": "3"}, {"zip": "12345"}]  # fmt: skip


def agree(schema: dict[str, Any], instances: list[Any]) -> int:
    """Checks every instance; returns how many the compiled check accepted."""
    full = safeschema.validator(schema)
    check = compile_check(schema)
    accepted = 0
    for instance in instances:
        if check(instance):
            accepted += 1
            assert full.is_valid(instance), instance
    return accepted


def test_each_attribute_alone_never_passes_what_the_validator_refuses() -> None:
    base: dict[str, Any] = {"name": "Ann", "email": "ann@example.com"}
    instances: list[Any] = [base] + [
        base | {name: value} for name in CUSTOMER["properties"] for value in VALUES
    ]
    instances += [{"email": "a@b"}, base | {"other": 1}, [], "text", None]
    accepted = agree(CUSTOMER, instances)
    assert accepted > len(CUSTOMER["properties"]) * 3  # the plain valid ones take the fast path


def test_combinations_and_nested_schemas() -> None:
    base = {"name": "Bo", "email": "b@c"}
    pairs = itertools.product(VALUES[::3], VALUES[1::3])
    instances = [base | {"age": a, "address": b if isinstance(b, dict) else {"city": a}} for a, b in pairs]
    agree(CUSTOMER, instances)
    items = {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}}
    nested = {"type": "object", "properties": {"rows": items}}
    assert agree(nested, [{"rows": [{"n": 1}, {"n": 2.0}]}, {"rows": [{"n": "1"}]}, {"rows": "no"}]) == 1


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "properties": {"a": {"anyOf": [{"type": "string"}]}}},
        {"type": "object", "properties": {"a": {"type": "number", "multipleOf": 2}}},
        {"type": "object", "patternProperties": {"^x": {"type": "string"}}, "additionalProperties": False},
        {"type": "object", "properties": {"a": {"enum": "ab"}}},
    ],
)
def test_keywords_it_does_not_know_leave_every_record_to_the_validator(schema: dict[str, Any]) -> None:
    check = compile_check(schema)
    assert not check({}) and not check({"a": "x"})

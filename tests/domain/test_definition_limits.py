"""A hostile or oversized definition is refused within a fraction of a second, naming the limit it is
over: bytes, YAML nodes, nesting, steps, and the count, length and cost of its expressions."""

from __future__ import annotations

import pytest

from domain.definitions.parser import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_EXPRESSION_CHARS,
    MAX_EXPRESSION_LENGTH,
    MAX_EXPRESSION_NESTING,
    MAX_EXPRESSIONS,
    MAX_NODES,
    MAX_STATEMENT_CHARS,
    MAX_STEPS,
)
from tests.domain.definition_helpers import MINIMAL, only, parse_ok, refused_quickly, steps


def test_a_definition_over_one_megabyte():
    big = MINIMAL + "description: " + "x" * MAX_BYTES + "\n"
    error = only(big)
    assert (error["field"], error["line"], error["column"]) == ("", 1, 1)
    assert "limit is 1048576" in error["message"]


def test_an_alias_bomb_is_refused_by_the_node_limit():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    error = only("\n".join(lines) + "\n")
    assert error["line"] == 1
    assert error["message"].startswith(f"too large: more than {MAX_NODES} YAML nodes")


def test_deep_nesting_is_refused():
    error = only("name: " + "[" * (MAX_DEPTH + 10) + "]" * (MAX_DEPTH + 10) + "\n")
    assert error["message"] == f"nested more than {MAX_DEPTH} levels deep"


def test_a_megabyte_of_nodes_is_refused_while_reading():
    # Building the node tree of this list takes seconds; counting stops at the limit.
    error = refused_quickly("name: [" + "1," * 400_000 + "1]\n")
    assert error["message"].startswith(f"too large: more than {MAX_NODES} YAML nodes")


def test_too_many_steps():
    many = "".join(f"- {{id: s{i}, type: set, vars: {{a: 1}}}}\n" for i in range(MAX_STEPS + 1))
    error = refused_quickly(steps(many))
    assert error["message"] == f"too many steps: {MAX_STEPS + 1}; the limit is {MAX_STEPS}"
    nested = (
        "- {id: loop, type: foreach, items: [1], steps: ["
        + ", ".join(f"{{id: s{i}, type: set, vars: {{a: 1}}}}" for i in range(MAX_STEPS))
        + "]}\n"
    )
    assert refused_quickly(steps(nested))["message"].startswith("too many steps")
    assert parse_ok(steps(many.split("\n", 1)[1])).definition.steps[0].id == "s1"  # exactly the limit


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{{ " + "+".join(["1"] * 1500) + " }}", f"an expression nested more than {MAX_EXPRESSION_NESTING}"),
        (
            "{{ input.a" + "|default(1)" * 200 + " }}",
            f"an expression nested more than {MAX_EXPRESSION_NESTING}",
        ),
        (
            "{{ " + "(" * 200 + "1" + ")" * 200 + " }}",
            f"an expression nested more than {MAX_EXPRESSION_NESTING}",
        ),
        ("{{ " + "not " * 900 + "1 }}", f"an expression nested more than {MAX_EXPRESSION_NESTING}"),
        ("{{ '" + "x" * MAX_EXPRESSION_LENGTH + "' }}", "an expression of"),
    ],
)
def test_costly_expressions_are_refused(value: str, message: str) -> None:
    error = refused_quickly(steps(f'- {{id: a, type: set, vars: {{x: "{value}"}}}}\n'))
    assert error["field"] == "/steps/0/vars/x" and error["message"].startswith(message)


def test_too_many_or_too_long_expressions():
    def with_vars(count: int, value: str) -> str:
        pairs = ", ".join(f'x{i}: "{value}{i}"' for i in range(count))
        return steps(f"- {{id: a, type: set, vars: {{{pairs}}}}}\n")

    error = refused_quickly(with_vars(MAX_EXPRESSIONS + 1, "{{ 1 }}"))
    assert error["message"] == f"too many expressions: {MAX_EXPRESSIONS + 1}; the limit is {MAX_EXPRESSIONS}"
    long = "{{ input.a }}" + "x" * 3000
    assert refused_quickly(with_vars(MAX_EXPRESSION_CHARS // 3000 + 1, long))["message"].startswith(
        "expressions too long"
    )
    loop = "{% for i in input.items %}{{ i }}{% endfor %}" + "x" * 1000
    assert refused_quickly(with_vars(MAX_STATEMENT_CHARS // 1000 + 1, loop))["message"].startswith(
        "templates with {% … %} too long"
    )
    assert parse_ok(with_vars(5, loop)).definition.steps[0].id == "a"  # below the limits

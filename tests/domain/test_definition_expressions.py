"""The expression language of definitions: native values, text, strict names, and a sandbox that keeps
expressions pure and harmless."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime

import pytest

from domain.definitions.expressions import (
    ExpressionError,
    check,
    evaluate,
    is_expression,
    names,
    step_refs,
    truthy,
)

SCOPE = {
    "input": {"amount": 12000, "tags": ["a", "b"], "items": [1, 2, 3], "requester": "ann@example.com"},
    "vars": {"n": 2},
    "steps": {"charge": {"output": {"id": "ch_1"}}},
    "process": {"id": "p-1"},
}


def run(value, scope=SCOPE, step_id="check-amount"):
    return evaluate(value, scope, step_id=step_id)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ input.amount > 10000 }}", True),
        ("{{ input.amount * 2 }}", 24000),
        ("  {{ input.tags }}  ", ["a", "b"]),
        ("{{ steps.charge.output }}", {"id": "ch_1"}),
        ("{{ none }}", None),
        ("{{- vars.n -}}", 2),
        ("{{ -1 }}", -1),
    ],
)
def test_a_lone_expression_gives_the_native_value(source, expected):
    assert run(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Approve {{ input.amount }} EUR", "Approve 12000 EUR"),
        ("{{ vars.n }} of {{ input.tags | length }}", "2 of 2"),
        ("{% if input.amount > 10 %}big{% else %}small{% endif %} {{ vars.n }}", "big 2"),
    ],
)
def test_text_around_expressions_renders_as_text(source, expected):
    assert run(source) == expected


def test_values_without_expressions_are_returned_unchanged():
    for value in ("plain text", 5, 1.5, True, None, "{ not: jinja }", "{% raw %}"):
        assert run(value) == value


def test_nested_mappings_and_lists_are_evaluated_values_only():
    value = {
        "amount": "{{ input.amount }}",
        "lines": ["{{ vars.n }}", "x{{ vars.n }}", {"deep": "{{ input.tags[0] }}"}],
        "{{ keys }}": "stay",
        "count": 3,
    }
    assert run(value) == {
        "amount": 12000,
        "lines": [2, "x2", {"deep": "a"}],
        "{{ keys }}": "stay",
        "count": 3,
    }


def test_lazy_results_become_lists():
    assert run("{{ input.tags | map('upper') }}") == ["A", "B"]
    assert run("{{ range(3) }}") == [0, 1, 2]
    assert run("{{ input.items | select('odd') }}") == [1, 3]


def test_a_field_named_like_a_method_reads_the_field():
    assert run("{{ input.items | sum }}") == 6


def test_an_undefined_name_names_the_step_and_the_expression():
    with pytest.raises(ExpressionError) as caught:
        run("{{ input.amout > 1 }}")
    error = caught.value
    assert str(error) == (
        "step 'check-amount': expression '{{ input.amout > 1 }}' failed: 'dict object' has no attribute 'amout'"
    )
    assert (error.step_id, error.expression) == ("check-amount", "{{ input.amout > 1 }}")
    assert error.reason == "'dict object' has no attribute 'amout'"


@pytest.mark.parametrize(
    "source",
    ["Hello {{ nobody }}", "{{ [input.missing] }}", "{{ {'a': vars.missing} }}", "{{ input.missing }}"],
)
def test_undefined_values_fail_wherever_they_hide(source):
    with pytest.raises(ExpressionError, match=r"undefined|no attribute"):
        run(source)


def test_the_failing_string_inside_a_structure_is_the_one_named():
    with pytest.raises(ExpressionError) as caught:
        run({"ok": "{{ vars.n }}", "bad": ["{{ vars.nope }}"]}, step_id="notify-them")
    assert caught.value.expression == "{{ vars.nope }}"
    assert caught.value.step_id == "notify-them"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{{ input.amount + 'x' }}", "unsupported operand"),
        ("{{ 1 / 0 }}", "division by zero"),
        ("{{ input.amount ", "syntax error"),
        ("{{ input.tags | nosuchfilter }}", "syntax error"),
    ],
)
def test_errors_of_every_kind_become_expression_errors(source, reason):
    with pytest.raises(ExpressionError, match=reason):
        run(source)


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__ }}",
        "{{ input.__class__.__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ (1).__class__.__base__.__subclasses__() }}",
        "{{ ''.format.__globals__ }}",
    ],
)
def test_the_sandbox_refuses_python_internals(source):
    with pytest.raises(ExpressionError, match=r"not allowed|unsafe|undefined"):
        run(source)


def test_expressions_cannot_change_the_process_data():
    scope = {"input": {"tags": ["a"]}, "vars": {"x": {"k": 1}}}
    for source in ("{{ input.tags.append('b') }}", "{{ vars.x.update({'k': 2}) }}", "{{ vars.x.pop('k') }}"):
        with pytest.raises(ExpressionError, match="not allowed"):
            run(source, scope)
    assert scope == {"input": {"tags": ["a"]}, "vars": {"x": {"k": 1}}}


def test_no_clock_and_no_randomness():
    scope = {"now": datetime(2030, 1, 31, 9, 0, tzinfo=UTC)}
    assert run("{{ now.year }}", scope) == 2030
    for source in ("{{ now.now() }}", "{{ now.today() }}", "{{ now.utcnow() }}"):
        with pytest.raises(ExpressionError, match="not allowed"):
            run(source, scope)
    with pytest.raises(ExpressionError):
        run("{{ lipsum() }}", scope)
    with pytest.raises(ExpressionError, match="random"):
        run("{{ [1, 2] | random }}", scope)


@pytest.mark.parametrize(
    "source", ["{{ 'x' * 10**9 }}", "{{ [0] * 10**9 }}", "{{ 9 ** 100000 }}", "{{ range(10**9) }}"]
)
def test_results_too_large_to_build_are_refused(source):
    with pytest.raises(ExpressionError):
        run(source)


LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{{ 1 }}"
MACRO = "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}"
DOUBLING = "{% set ns = namespace(s='x' * 99999) %}{% for i in range(30) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ 1 }}"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (LOOP, "steps of work"),  # 10**10 iterations
        ("{% for i in range(2000) %}{{ range(2000)|sum }}{% endfor %}", "steps of work"),
        (
            "{{ input.items|map('string')|join * 1 }}x{% for a in input.items %}{% for b in input.items %}{% endfor %}{% endfor %}",
            "steps of work",
        ),
        (MACRO, "steps of work"),  # 2**40 calls
        (DOUBLING, "longer than 1000000 characters"),
        (DOUBLING.replace("~", "+"), "longer than 1000000 characters"),
        ("{% for i in range(50000) %}{{ 'x' * 1000 }}{% endfor %}", "longer than 1000000 characters"),
        ("{{ (['x' * 99999] * 100)|join }}", "longer than 1000000 characters"),
        ("{{ ('x' * 99999)|replace('x', 'xxxxxxxxxxxx') }}", "longer than 1000000 characters"),
        ("{{ 'x'|center(10**9) }}", "width"),
        ("{{ 'x'|indent(10**9, true) }}", "width"),
        ("{{ '%999999999d' % 1 }}", "width"),
        ("{{ '%.999999999f' % 1.5 }}", "width"),
        ("{{ '%*d' % (10**9, 1) }}", "'*'"),
        ("{{ '%999999999d'|format(1) }}", "width"),
        ("{{ '{:>999999999}'.format(1) }}", "width"),
        ("{{ '{:>{w}}'.format(1, w=10**9) }}", "format spec taken from the arguments"),
        ("{{ (2 ** 4000) * (2 ** 4000) * (2 ** 4000) }}", "8192 bits"),
    ],
)
def test_work_and_sizes_are_bounded_while_running(source, reason):
    started = time.perf_counter()
    with pytest.raises(ExpressionError) as err:
        evaluate(source, {"input": {"items": list(range(1000))}}, step_id="s")
    assert reason in err.value.reason and err.value.reason.startswith("not allowed")
    assert time.perf_counter() - started < 2.0


def test_the_budget_is_per_evaluation_and_ordinary_templates_fit():
    scope = {"input": {"items": list(range(300)), "name": "Ann"}}
    table = "{% for a in input.items %}{{ loop.index }}:{{ a|string|center(6) }}{% if not loop.last %},{% endif %}{% endfor %}"
    for _ in range(3):  # a budget spent by one evaluation is not carried to the next
        assert evaluate(table, scope, step_id="s").startswith("1:  0   ,2:  1   ")
    assert evaluate("{{ 'Total: %.2f' % 12.5 }} {{ '{:>5}'.format(input.name) }}", scope, step_id="s") == (
        "Total: 12.50   Ann"
    )
    assert evaluate("{{ input.name ~ '-' ~ 7 }}", scope, step_id="s") == "Ann-7"
    assert evaluate("{{ input.missing | default('P5D') }}", scope, step_id="s") == "P5D"
    assert evaluate("{{ range(90000)|length }}", scope, step_id="s") == 90000


def test_ordinary_arithmetic_is_not_limited():
    assert run("{{ 'ab' * 3 }}") == "ababab"
    assert run("{{ 2 ** 64 }}") == 2**64
    assert run("{{ 1.5 * input.amount }}") == 18000.0


def test_new_ids_come_from_the_callable_the_caller_passes():
    ids = (f"id-{n}" for n in itertools.count(1))
    scope = {"new_id": lambda: next(ids)}
    assert run({"a": "{{ new_id() }}", "b": "ref-{{ new_id() }}"}, scope) == {"a": "id-1", "b": "ref-id-2"}


def test_is_expression():
    assert is_expression("{{ x }}")
    assert is_expression("a {{ x }} b")
    assert not is_expression("plain")
    assert not is_expression("{% if x %}")
    assert not is_expression(5)
    assert not is_expression(None)


def test_check_lists_only_what_does_not_compile():
    value = {"a": ["{{ x ", "{{ fine }}", {"b": "{% if %}{{ y }}"}], "c": "plain {", "d": 1}
    problems = check(value)
    assert [source for source, _ in problems] == ["{{ x ", "{% if %}{{ y }}"]
    assert all(reason.startswith("syntax error") for _, reason in problems)
    assert check("{{ input.amount > 1 }}") == []


def test_names_are_the_top_level_variables_read():
    value = ["{{ input.x + vars.y }}", "{% for t in input.tags %}{{ t }}{% endfor %}", "{{ range(3) }}", 5]
    assert names(value) == {"input", "vars"}  # t is the loop's own; range is a builtin
    assert names("{{ broken ") == set()


def test_step_refs_by_attribute_and_by_item():
    value = {
        "a": "{{ steps.charge.output + steps['board-vote'].output }}",
        "b": "{{ steps[vars.dynamic] }}",
        "c": "{{ steps }}",
        "d": "{{ other.steps.x }}",
    }
    assert step_refs(value) == {"charge", "board-vote"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("False", False),
        (" no ", False),
        ("", False),
        ("yes", True),
        (0, False),
        ([1], True),
    ],
)
def test_truthy(value, expected):
    assert truthy(value) is expected

"""The one expression language of definitions: sandboxed Jinja2 over ``input``, ``vars``, ``steps``, ``now``,
``process`` (and ``new_id``, a callable the caller passes in).

A string that is exactly ``{{ expr }}`` evaluates to the native value (number, bool, list…); any other string
containing ``{{`` renders as text. Evaluation is pure — no I/O, no clock, no randomness — because the
interpreter runs it inside a Temporal workflow, where every replay must compute the same values. This module
is imported inside the workflow sandbox, so it imports nothing beyond jinja2, markupsafe and the standard
library.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, Set, ValuesView
from datetime import date, time
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, nodes
from jinja2.environment import Template, TemplateExpression
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from domain.definitions import expression_limits as limits

MAX_SEQUENCE = 100_000  # longest string or list `*` may build
MAX_POWER_BITS = 4_096  # largest integer `**` may build
MAX_PRODUCT_BITS = 8_192  # largest integer `*` may build

# Readers of the wall clock: a datetime in the scope must not become a way to ask for the time.
_CLOCK_ATTRIBUTES = frozenset({"now", "today", "utcnow"})


class ExpressionError(Exception):
    """An expression that failed to compile or to evaluate, naming the step and the expression."""

    def __init__(self, step_id: str, expression: str, reason: str) -> None:
        super().__init__(f"step '{step_id}': expression '{expression}' failed: {reason}")
        self.step_id = step_id
        self.expression = expression
        self.reason = reason


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, immutable (an expression cannot change the process's variables), without the clock, and
    with the two cheap ways to exhaust memory — ``'x' * 10**9`` and ``9 ** 100000`` — refused. Mapping keys
    win over methods, so ``input.items`` reads the field rather than ``dict.items``. What an evaluation may
    cost is bounded by ``expression_limits``: calls, loops, ``+``, ``~``, ``%`` and widths."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return limits.instrument(super()._parse(source, name, filename))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        limits.charge(limits.CALL_COST)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            limits.check_format(value.__self__)
        return wrapped

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr in _CLOCK_ATTRIBUTES and (
            isinstance(obj, date | time) or (isinstance(obj, type) and issubclass(obj, date | time))
        ):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Data before methods: `input.items` is the input's `items` field, not dict.items.
        if isinstance(obj, Mapping) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            _check_product(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "+":
            limits.check_add(left, right)
        elif operator == "%" and isinstance(left, str):
            limits.check_percent(left)
        return super().call_binop(context, operator, left, right)


def _check_repeat(sequence: Any, times: Any) -> None:
    too_long = isinstance(sequence, str | list | tuple) and isinstance(times, int)
    if too_long and len(sequence) * times > MAX_SEQUENCE:
        raise SecurityError(f"the result would be longer than {MAX_SEQUENCE} items")


def _check_product(left: Any, right: Any) -> None:
    ints = isinstance(left, int) and isinstance(right, int)
    if ints and left.bit_length() + right.bit_length() > MAX_PRODUCT_BITS:
        raise SecurityError(f"the result would be larger than {MAX_PRODUCT_BITS} bits")


def _check_power(base: Any, exponent: Any) -> None:
    big = isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0
    if big and exponent * math.log2(abs(base)) > MAX_POWER_BITS:
        raise SecurityError(f"the result would be larger than {MAX_POWER_BITS} bits")


def _make_environment() -> _Environment:
    env = _Environment(undefined=StrictUndefined, autoescape=False)
    # Both produce random output; a replay would compute something else.
    env.globals.pop("lipsum", None)
    env.filters.pop("random", None)
    env.globals |= {"range": limits.budget_range, limits.METER: limits.metered, limits.CONCAT: limits.concat}
    env.filters = {name: limits.meter_filter(name, fn) for name, fn in env.filters.items()}
    return env


ENV = _make_environment()
# Names every expression may read besides the scope: Jinja's own globals (range, dict, namespace…).
BUILTIN_NAMES: frozenset[str] = frozenset(ENV.globals)


def is_expression(value: object) -> bool:
    return isinstance(value, str) and "{{" in value


# -- compiling --------------------------------------------------------------------------------------


def _single_expression(source: str) -> str | None:
    """The inner text when ``source`` is exactly one ``{{ … }}`` block (and nothing else), else None."""
    text = source.strip()
    if not (text.startswith("{{") and text.endswith("}}")):
        return None
    try:
        tokens = [kind for _, kind, _ in ENV.lex(text)]
    except TemplateSyntaxError:
        return None
    if tokens.count("variable_begin") != 1 or tokens[0] != "variable_begin" or tokens[-1] != "variable_end":
        return None
    inner = text[2:-2]
    if inner[:1] in ("-", "+"):  # whitespace control, {{- x -}}
        inner = inner[1:]
    return inner.removesuffix("-")


@functools.lru_cache(maxsize=4096)
def _compile(source: str) -> TemplateExpression | Template:
    """A compiled expression (native result) or template (text result). Raises TemplateSyntaxError."""
    inner = _single_expression(source)
    if inner is not None:
        return ENV.compile_expression(inner, undefined_to_none=False)
    return ENV.from_string(source)


@functools.lru_cache(maxsize=8192)
def _parse(source: str) -> nodes.Template:
    return ENV.parse(source)


def _strings(value: Any) -> Iterable[str]:
    """Every expression string inside ``value``: dict values and list items, recursively."""
    if isinstance(value, str):
        if is_expression(value):
            yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def check(value: Any) -> list[tuple[str, str]]:
    """Every expression inside ``value`` that does not compile, with the reason."""
    problems = []
    for source in _strings(value):
        reason = _syntax_problem(source)
        if reason:
            problems.append((source, reason))
    return problems


@functools.lru_cache(maxsize=8192)
def _syntax_problem(source: str) -> str | None:
    # Without statements ({% … %}), compiling can only fail where parsing does or on an unknown filter or
    # test name; checking those is a fraction of the cost of compiling, which shows on large definitions.
    try:
        if "{%" in source:
            _compile(source)
        tree = _parse(source)
    except TemplateSyntaxError as exc:
        return _reason(exc)
    except RecursionError:
        return "nested too deeply"
    for filter_ in tree.find_all(nodes.Filter):
        if filter_.name not in ENV.filters:
            return f"syntax error: no filter named '{filter_.name}'"
    for test in tree.find_all(nodes.Test):
        if test.name not in ENV.tests:
            return f"syntax error: no test named '{test.name}'"
    return None


def nesting(source: str) -> int:
    """How deeply the syntax tree of ``source`` nests: compiling costs far more than linear in it (a chain
    of 160 filters takes seconds). 0 when it does not parse (reported by ``check``)."""
    try:
        tree = _parse(source)
    except TemplateSyntaxError:
        return 0
    except RecursionError:
        return sys.maxsize
    deepest = 0
    stack: list[tuple[nodes.Node, int]] = [(tree, 0)]
    while stack:  # no recursion: the tree may be thousands of levels deep
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack += [(child, depth + 1) for child in node.iter_child_nodes()]
    return deepest


def _undeclared(tree: nodes.Template) -> set[str]:
    """The names read and never assigned anywhere in the template. Jinja's own ``meta`` tells the same
    for the templates definitions hold, but by generating the code, which costs what compiling does."""
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    assigned |= {m.name for m in tree.find_all(nodes.Macro)}
    if any(True for _ in tree.find_all(nodes.For)):
        assigned.add("loop")
    if any(True for _ in tree.find_all((nodes.Macro, nodes.CallBlock))):
        assigned |= {"caller", "varargs", "kwargs"}
    return {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"} - assigned - set(ENV.globals)


def names(value: Any) -> set[str]:
    """The top-level variables the expressions inside ``value`` read (those that compile)."""
    found: set[str] = set()
    for source in _strings(value):
        try:
            found |= _undeclared(_parse(source))
        except (TemplateSyntaxError, RecursionError):
            continue
    return found


def step_refs(value: Any) -> set[str]:
    """The step ids the expressions inside ``value`` read as ``steps.X`` or ``steps['X']``."""
    found: set[str] = set()
    for source in _strings(value):
        try:
            tree = _parse(source)
        except (TemplateSyntaxError, RecursionError):
            continue
        for attr in tree.find_all(nodes.Getattr):
            if _is_steps(attr.node):
                found.add(attr.attr)
        for item in tree.find_all(nodes.Getitem):
            if _is_steps(item.node) and isinstance(item.arg, nodes.Const) and isinstance(item.arg.value, str):
                found.add(item.arg.value)
    return found


def _is_steps(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == "steps"


# -- evaluating -------------------------------------------------------------------------------------


def evaluate(value: Any, scope: Mapping[str, Any], *, step_id: str) -> Any:
    """``value`` with every expression in it evaluated against ``scope``; raises ExpressionError."""
    if isinstance(value, str):
        return _evaluate_string(value, scope, step_id) if is_expression(value) else value
    if isinstance(value, Mapping):
        return {key: evaluate(item, scope, step_id=step_id) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [evaluate(item, scope, step_id=step_id) for item in value]
    return value


def _evaluate_string(source: str, scope: Mapping[str, Any], step_id: str) -> Any:
    limits.reset()
    try:
        compiled = _compile(source)
        if isinstance(compiled, Template):
            return limits.bounded_output(compiled.generate(scope))
        return _native(compiled(scope))
    except Exception as exc:  # any failure inside an expression is the definition's, reported as such
        raise ExpressionError(step_id, source, _reason(exc)) from exc


def _native(result: Any) -> Any:
    """Plain data: undefined values raise (StrictUndefined), lazy sequences (map, range…) become lists."""
    if isinstance(result, Undefined):
        str(result)  # raises the undefined (or security) error it stands for
    if isinstance(result, str):
        return str(result)  # plain str, not Markup from filters such as tojson
    if result is None or isinstance(result, bytes | int | float | date | time):
        return result
    if isinstance(result, Mapping):
        return {key: _native(item) for key, item in result.items()}
    if isinstance(result, list | tuple | Set | range | KeysView | ValuesView | ItemsView | Iterator):
        return [_native(item) for item in result]
    return result


def _reason(exc: Exception) -> str:
    if isinstance(exc, TemplateSyntaxError):
        return f"syntax error: {exc.message}"
    text = str(exc)
    if isinstance(exc, SecurityError):
        return f"not allowed: {text}"
    if isinstance(exc, UndefinedError | TypeError | ValueError | ArithmeticError | LookupError) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def truthy(value: Any) -> bool:
    """A ``when`` result as a decision; rendered text such as ``False`` or ``no`` counts as false."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "0", "no", "none", "null", "off")
    return bool(value)

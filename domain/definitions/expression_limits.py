"""What one expression may cost when it runs: work, sizes of what it builds, widths it formats to.

Jinja's sandbox stops access to internals, and ``range`` at 100,000 numbers, but nothing else: two nested
loops over ``range(100000)``, a chain of ``~`` doubling a string, ``'x'|center(10**9)`` or
``'%999999999d' % 1`` each cost seconds or gigabytes, and run inside a Temporal workflow task. So:

- one evaluation has a budget of work (``MAX_WORK`` units): each loop iteration, each number ``range``
  yields, each item of a list or mapping a filter is given costs one, each call ``CALL_COST`` (a macro
  call costs what a few dozen iterations do);
- ``+`` and ``~`` build at most ``MAX_TEXT`` characters (or items); rendered output is as bounded;
- a width, precision or count given to a filter, ``%`` or ``str.format`` is at most ``MAX_WIDTH``.

Every bound is a ``SecurityError``, which the interpreter reports as an ``ExpressionError`` of the step.
Deterministic (the same expression charges the same), so replays agree. Imported inside the workflow
sandbox: the standard library and jinja2 only.
"""

from __future__ import annotations

import functools
import re
import string
import threading
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any

from jinja2 import Undefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import safe_range
from jinja2.visitor import NodeTransformer

MAX_WORK = 200_000
CALL_COST = 5
MAX_TEXT = 1_000_000
MAX_WIDTH = 100_000
METER = "__keel_meter"  # the global each loop's iterable goes through
CONCAT = "__keel_concat"  # the global each `~` goes through

# Filters whose numeric arguments say how wide, long or many the result is.
_WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "slice", "batch", "filesizeformat"})
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")

_state = threading.local()


def reset() -> None:
    """A fresh budget: called before each evaluation (one thread evaluates one expression at a time)."""
    _state.left = MAX_WORK


def charge(units: int) -> None:
    left = getattr(_state, "left", MAX_WORK) - units
    _state.left = left
    if left < 0:
        raise SecurityError(f"the expression does more than {MAX_WORK} steps of work")


def metered(iterable: Any) -> Any:
    """A loop's iterable: its length charged at once when it has one, else each item as it comes."""
    if isinstance(iterable, Sized) and not isinstance(iterable, Undefined):
        charge(len(iterable))
        return iterable
    return _each(iterable)


def _each(iterable: Iterable[Any]) -> Iterator[Any]:
    for item in iterable:
        charge(1)
        yield item


def budget_range(*args: int) -> range:
    numbers = safe_range(*args)
    charge(len(numbers))
    return numbers


def concat(*parts: Any) -> str:
    """``a ~ b``: text, at most MAX_TEXT characters."""
    pieces = [str(p) for p in parts]
    check_text(sum(map(len, pieces)))
    return "".join(pieces)


def check_text(length: int) -> None:
    if length > MAX_TEXT:
        raise SecurityError(f"the result would be longer than {MAX_TEXT} characters")


def check_add(left: Any, right: Any) -> None:
    if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        check_text(len(left) + len(right))


def check_width(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
        raise SecurityError(f"a width, length or count over {MAX_WIDTH}")


def check_percent(template: str) -> None:
    """``'%10.2f' % x`` and the ``format`` filter: no ``*`` widths, none over MAX_WIDTH."""
    for match in _PERCENT.finditer(template):
        for group in match.groups():
            if group == "*":
                raise SecurityError("a width or precision taken from the arguments ('*')")
            if group is not None:
                check_width(int(group))


def check_format(template: str) -> None:
    """``'{:>10}'.format(x)``: no nested fields in a spec, no width or precision over MAX_WIDTH."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format will refuse it itself
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise SecurityError("a format spec taken from the arguments")
        for digits in _DIGITS.findall(spec):
            check_width(int(digits))


def meter_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """The filter, charging the items it is given and checking its widths (and the size ``replace`` and
    ``join`` would build) before it runs."""
    skip = 1 if getattr(fn, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(fn)  # keeps jinja_pass_arg: Jinja still passes the context or environment
    def run(*args: Any, **kwargs: Any) -> Any:
        value = args[skip] if len(args) > skip else None
        rest = list(args[skip + 1 :]) + list(kwargs.values())
        # str methods run at C speed; an undefined value (StrictUndefined) fails on len().
        if isinstance(value, Sized) and not isinstance(value, str | Undefined):
            charge(len(value))
        if name in _WIDTH_FILTERS:
            for arg in rest:
                check_width(arg)
        elif name == "format" and isinstance(value, str):
            check_percent(value)
        elif name == "replace" and isinstance(value, str) and len(rest) >= 2:
            old, new = str(rest[0]), str(rest[1])
            if len(new) > len(old):
                check_text(len(value) + (value.count(old) if old else len(value) + 1) * (len(new) - len(old)))
        elif name == "join" and isinstance(value, list | tuple):
            check_text(sum(len(str(item)) for item in value))
        return fn(*args, **kwargs)

    return run


class _Instrument(NodeTransformer):
    """Each ``for`` loop's iterable through ``metered``, each ``~`` through ``concat``."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        loop = self.generic_visit(node)
        assert isinstance(loop, nodes.For)
        loop.iter = nodes.Call(nodes.Name(METER, "load"), [loop.iter], [], None, None, lineno=loop.lineno)
        return loop

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        joined = self.generic_visit(node)
        assert isinstance(joined, nodes.Concat)
        return nodes.Call(
            nodes.Name(CONCAT, "load"), list(joined.nodes), [], None, None, lineno=joined.lineno
        )


def instrument(tree: nodes.Template) -> nodes.Template:
    instrumented = _Instrument().visit(tree)
    assert isinstance(instrumented, nodes.Template)
    return instrumented


def bounded_output(pieces: Iterable[str]) -> str:
    """A template's rendered text, refused as soon as it grows past MAX_TEXT characters."""
    out: list[str] = []
    length = 0
    for piece in pieces:
        length += len(piece)
        check_text(length)
        out.append(piece)
    return "".join(out)

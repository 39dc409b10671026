"""The cell language of decision tables, and the values it compares.

A cell (an input entry) is ``-`` (any); a literal of the input's type (``10``, ``"gold"``, ``true``,
``2026-01-31``, ``2026-01-31T09:00:00Z``, ``P3D``); a comparison (``< 10``, ``<= 10``, ``> 10``, ``>= 10``,
``= 10``); a range (``[10..100)``, ``(0..1]``); a comma list of those; ``not(...)`` of a list; or
``{{ expression }}``, a sandboxed Jinja2 expression over ``value`` and the context that answers a boolean.

Each cell compiles once into a predicate and into a form the static checks can reason about exactly:
a union of intervals of keys for ordered types (numbers; dates, datetimes and durations as integers of
days or microseconds), a finite set or its complement for strings and booleans. An expression cell is
opaque to that analysis.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, TypeVar

from domain.decisions.schemas import InputType
from domain.definitions import expressions

_T = TypeVar("_T")

MAX_ITEMS = 100  # literals, comparisons and ranges in one cell
MAX_NUMBER_CHARS = 40  # characters of one number literal
MAX_EXPRESSION_NESTING = 24  # levels of an expression's syntax tree

Key = int | float  # where a value of an ordered type sits on its line
ORDERED: frozenset[str] = frozenset({"number", "date", "datetime", "duration"})
DISCRETE: frozenset[str] = frozenset({"date", "datetime", "duration"})  # keys are integers
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
MAX_DURATION = timedelta(days=100_000)
# The keys each ordered type can take: a cell such as `< 0001-01-01` matches nothing, and a gap
# below the smallest date is no gap.
DOMAIN: dict[str, tuple[Key, Key]] = {
    "number": (-math.inf, math.inf),
    "date": (date.min.toordinal(), date.max.toordinal()),
    "datetime": (
        (datetime(1, 1, 2, tzinfo=UTC) - EPOCH) // _MICRO,
        (datetime(9999, 12, 30, tzinfo=UTC) - EPOCH) // _MICRO,
    ),
    "duration": (0, MAX_DURATION // _MICRO),
}

NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?![\dT])")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?")
DURATION = re.compile(
    r"P(?!$)(?:(?P<weeks>\d{1,6})W)?(?:(?P<days>\d{1,6})D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d{1,8})H)?(?:(?P<minutes>\d{1,9})M)?(?:(?P<seconds>\d{1,10}(?:\.\d{1,6})?)S)?)?"
)
STRING = re.compile(r'"(?:[^"\\]|\\["\\])*"')
BOOLEAN = re.compile(r"(?:true|false)(?![\w-])")
_DURATION_WORD = re.compile(r"P(?=[\dT])(?:[0-9WDTHMS]|\.(?=\d))*(?![A-Za-z0-9_])")
_WORD = re.compile(r'[^\s,()\[\]"]+')
_DATETIME_STRICT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})")


class CellError(ValueError):
    """A cell that does not compile; ``offset`` is where in the cell's text (0-based)."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Interval:
    lo: Key
    lo_closed: bool
    hi: Key
    hi_closed: bool

    def holds(self, key: Key) -> bool:
        above = key >= self.lo if self.lo_closed else key > self.lo
        return above and (key <= self.hi if self.hi_closed else key < self.hi)


@dataclass(frozen=True)
class Cell:
    """A compiled cell. ``kind``: ``any``; ``intervals`` (ordered types: the keys in ``intervals``);
    ``set`` (strings, booleans: the values in ``values``, or every other one when ``negated``);
    ``opaque`` (an expression: evaluated, never analysed)."""

    text: str
    type: InputType
    kind: Literal["any", "intervals", "set", "opaque"]
    intervals: tuple[Interval, ...] = ()
    values: frozenset[Any] = frozenset()
    negated: bool = False
    test: Callable[[Any], bool] = field(default=lambda _: True, compare=False, repr=False)

    def matches(self, key: Any) -> bool:
        """Whether the value (its key, for ordered types) is in the cell; not for opaque cells."""
        return self.test(key)


# -- values ------------------------------------------------------------------------------------------


def parse_duration(text: str) -> timedelta:
    match = DURATION.fullmatch(text)
    if not match or text.endswith("T"):
        raise ValueError(f"'{_clip(text)}' is not an ISO 8601 duration such as PT4H, P2D or P1DT12H")
    parts = {name: float(v) for name, v in match.groupdict().items() if v}
    result = timedelta(**parts)
    if result > MAX_DURATION:
        raise ValueError(f"a duration may not exceed {MAX_DURATION.days} days")
    return result


def format_duration(value: timedelta) -> str:
    days, rest = value.days, value.seconds
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    second = f"{seconds}.{value.microseconds:06d}".rstrip("0") if value.microseconds else str(seconds)
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    clock += f"{second}S" if (seconds or value.microseconds) else ""
    return ("P" + (f"{days}D" if days else "") + ("T" + clock if clock else "")) if value else "PT0S"


def _parse_datetime(text: str) -> datetime:
    return _iso(
        text,
        _DATETIME_STRICT,
        datetime.fromisoformat,
        "a datetime",
        "with an offset, such as 2026-01-31T09:00:00Z",
    )


def _parse_date(text: str) -> date:
    return _iso(text, DATE, date.fromisoformat, "a date", "such as 2026-01-31")


def _iso(text: str, shape: re.Pattern[str], parse: Callable[[str], _T], what: str, example: str) -> _T:
    """``text`` read by ``parse`` once it has ``shape`` (ISO 8601 as written, not Python's looser reading)."""
    if not shape.fullmatch(text):
        raise ValueError(f"'{_clip(text)}' is not {what} {example}")
    try:
        return parse(text)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not {what}: {exc}") from None


def coerce(kind: InputType, value: Any) -> Any:
    """``value`` as the input's type (ISO text for dates, datetimes and durations; a number may be a
    decimal string), or ValueError saying what was wrong."""
    if kind == "number":
        return _number(value)
    if kind == "string":
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {_what(value)}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {_what(value)}")
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 64:
            raise ValueError(f"expected a {kind}, got a string of {len(text)} characters")
        return {"date": _parse_date, "datetime": _parse_datetime, "duration": parse_duration}[kind](text)
    if kind == "date" and isinstance(value, date) and not isinstance(value, datetime):
        return value
    if kind == "datetime" and isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError("a datetime needs an offset (Z or +01:00)")
        return value
    if kind == "duration" and isinstance(value, timedelta):
        if not timedelta(0) <= value <= MAX_DURATION:
            raise ValueError(f"a duration is between PT0S and P{MAX_DURATION.days}D")
        return value
    raise ValueError(f"expected a {kind} (ISO 8601 text), got {_what(value)}")


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(f"expected a number, got {_what(value)}")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_NUMBER_CHARS or not NUMBER.fullmatch(text):
            raise ValueError(f"expected a number, got {_what(value)}")
        value = _number_literal(text)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("expected a finite number")
    return value


def _number_literal(text: str) -> int | float:
    number = int(text) if text.lstrip("+-").isdigit() else float(text)
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(f"{text} is too large a number")
    return number


def key_of(kind: InputType, value: Any) -> Any:
    """Where a coerced value sits for comparisons: itself, or an integer of days or microseconds."""
    if kind == "date":
        return value.toordinal()
    if kind == "datetime":
        return (value - EPOCH) // _MICRO
    if kind == "duration":
        return value // _MICRO
    return value


def value_of_key(kind: InputType, key: Any) -> Any:
    """The JSON value of a key (a witness of the static checks)."""
    if kind == "date":
        return date.fromordinal(int(key)).isoformat()
    if kind == "datetime":
        return (EPOCH + int(key) * _MICRO).isoformat().replace("+00:00", "Z")
    if kind == "duration":
        return format_duration(int(key) * _MICRO)
    if kind == "number" and isinstance(key, float) and key.is_integer() and abs(key) < 2**53:
        return int(key)
    return key


def to_json(kind: InputType, value: Any) -> Any:
    """A coerced value as JSON data: dates, datetimes and durations as ISO 8601 text."""
    if kind == "date":
        return value.isoformat()
    if kind == "datetime":
        return value.isoformat().replace("+00:00", "Z")
    if kind == "duration":
        return format_duration(value)
    return value


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    names = {str: "a string", int: "a number", float: "a number", dict: "a mapping", list: "a list"}
    kind = names.get(type(value), type(value).__name__)
    return f"{kind} ({_clip(repr(value))})" if isinstance(value, str | int | float) else kind


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- cells --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)  # tables repeat their cells; a compiled cell is immutable
def compile_cell(text: str, kind: InputType) -> Cell:
    """The cell ``text`` of an input of type ``kind``, or CellError with the offset of the problem."""
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    if not stripped:
        raise CellError("an empty cell; write - for any value")
    if stripped == "-":
        return Cell(text, kind, "any")
    if stripped.startswith("{{"):
        return _opaque(text, stripped, kind, lead)
    negated = False
    start = lead
    match = re.match(r"not\s*\(", stripped)
    if match:
        negated, start = True, lead + match.end()
    items, end = _items(text, start, kind, closing=")" if negated else None)
    if negated:
        end = _skip(text, end + 1)
    if end < len(text):
        raise CellError(f"unexpected '{_clip(text[end:], 20)}' after the cell", end)
    if kind in ORDERED:
        intervals = normalize(items, kind)
        if negated:
            intervals = complement(intervals, kind)
        return Cell(text, kind, "intervals", intervals=intervals, test=_interval_test(intervals))
    values = frozenset(i.lo for i in items)
    member = values.__contains__
    test = (lambda v: not member(v)) if negated else member
    return Cell(text, kind, "set", values=values, negated=negated, test=test)


def _opaque(text: str, stripped: str, kind: InputType, lead: int) -> Cell:
    problem = expression_problem(stripped)
    if problem:
        raise CellError(problem, lead)
    return Cell(text, kind, "opaque")


def expression_problem(text: str) -> str | None:
    """Why ``text`` is not exactly one ``{{ … }}`` expression that compiles within the nesting limit."""
    if not (text.startswith("{{") and text.endswith("}}")) or text.count("{{") != 1 or "{%" in text:
        return "an expression is exactly one {{ … }}"
    depth = deepest = 0
    for char in text:  # brackets first: the parser recurses on them
        depth += (char in "([{") - (char in ")]}")
        deepest = max(deepest, depth)
    if deepest - 2 > MAX_EXPRESSION_NESTING or expressions.nesting(text) > MAX_EXPRESSION_NESTING + 2:
        return f"an expression nested more than {MAX_EXPRESSION_NESTING} levels deep"
    problems = expressions.check(text)
    return f"the expression does not compile: {problems[0][1]}" if problems else None


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _items(text: str, pos: int, kind: InputType, closing: str | None) -> tuple[list[Interval], int]:
    """The comma list from ``pos``; returns its items and where it ended (at ``closing``, or the end)."""
    items: list[Interval] = []
    while True:
        pos = _skip(text, pos)
        if len(items) == MAX_ITEMS:
            raise CellError(f"more than {MAX_ITEMS} items in one cell", pos)
        item, pos = _item(text, pos, kind)
        items.append(item)
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        if closing is not None and (pos >= len(text) or text[pos] != closing):
            raise CellError(f"expected ',' or '{closing}'", pos)
        return items, pos


_COMPARISONS = ("<=", ">=", "<", ">", "=")


def _item(text: str, pos: int, kind: InputType) -> tuple[Interval, int]:
    if pos >= len(text):
        raise CellError("expected a value", pos)
    char = text[pos]
    if char in "[(":
        return _range(text, pos, kind)
    operator = next((op for op in _COMPARISONS if text.startswith(op, pos)), None)
    if operator is None:
        key, end = _literal(text, pos, kind)
        return Interval(key, True, key, True), end
    if kind not in ORDERED and operator != "=":
        raise CellError(f"'{operator}' compares numbers, dates, datetimes and durations, not {kind}s", pos)
    key, end = _literal(text, _skip(text, pos + len(operator)), kind)
    low, high = DOMAIN.get(kind, (-math.inf, math.inf))
    interval = {
        "<": Interval(low, True, key, False),
        "<=": Interval(low, True, key, True),
        ">": Interval(key, False, high, True),
        ">=": Interval(key, True, high, True),
        "=": Interval(key, True, key, True),
    }[operator]
    return interval, end


def _range(text: str, pos: int, kind: InputType) -> tuple[Interval, int]:
    if kind not in ORDERED:
        raise CellError(f"a range is for numbers, dates, datetimes and durations, not {kind}s", pos)
    lo, end = _literal(text, _skip(text, pos + 1), kind)
    end = _skip(text, end)
    if not text.startswith("..", end):
        raise CellError("expected '..' between the ends of the range", end)
    hi, end = _literal(text, _skip(text, end + 2), kind)
    end = _skip(text, end)
    if end >= len(text) or text[end] not in ")]":
        raise CellError("expected ']' or ')' to close the range", end)
    if lo > hi:
        raise CellError("the range is empty: its start is after its end", pos)
    return Interval(lo, text[pos] == "[", hi, text[end] == "]"), end + 1


def _literal(text: str, pos: int, kind: InputType) -> tuple[Any, int]:
    """The literal at ``pos`` as a key (ordered types) or a value; CellError on another type."""
    found = _read_literal(text, pos)
    if found is None:
        word = _WORD.match(text, pos)
        shown = _clip(word.group() if word else text[pos : pos + 10] or "the end", 30)
        hint = f'; a string is double-quoted: "{shown}"' if kind == "string" and word else ""
        raise CellError(f"expected {_A[kind]}, found '{shown}'{hint}", pos)
    literal_kind, raw, end = found
    if literal_kind != kind:
        raise CellError(
            f"type mismatch: {_clip(raw, 30)} is {_A[literal_kind]}, the input is {_A[kind]}", pos
        )
    try:
        value = _literal_value(kind, raw)
    except ValueError as exc:
        raise CellError(str(exc), pos) from None
    return (key_of(kind, value) if kind in ORDERED else value), end


_A = {
    "number": "a number",
    "string": "a string",
    "boolean": "a boolean",
    "date": "a date",
    "datetime": "a datetime",
    "duration": "a duration",
}


# The order matters: a date is tried before a number, a datetime before a date.
_LITERALS: tuple[tuple[InputType, re.Pattern[str]], ...] = (
    ("string", STRING),
    ("datetime", DATETIME),
    ("date", DATE),
    ("duration", _DURATION_WORD),
    ("boolean", BOOLEAN),
    ("number", NUMBER),
)


def _read_literal(text: str, pos: int) -> tuple[InputType, str, int] | None:
    for literal_kind, pattern in _LITERALS:
        match = pattern.match(text, pos)
        if match:
            return literal_kind, match.group(), match.end()
    return None


def _literal_value(kind: InputType, raw: str) -> Any:
    if kind == "string":
        return re.sub(r"\\([\"\\])", r"\1", raw[1:-1])
    if kind == "boolean":
        return raw == "true"
    if kind == "number":
        if len(raw) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number of more than {MAX_NUMBER_CHARS} characters")
        return _number_literal(raw)
    return coerce(kind, raw)


# -- intervals ----------------------------------------------------------------------------------------


def normalize(intervals: Iterable[Interval], kind: InputType) -> tuple[Interval, ...]:
    """Sorted, disjoint, merged and clipped to the type's domain; for discrete types, closed integer
    intervals (``(2..5)`` of days is ``[3..4]``)."""
    low, high = DOMAIN[kind]
    discrete = kind in DISCRETE
    cleaned: list[Interval] = []
    for i in intervals:
        lo, lc, hi, hc = i.lo, i.lo_closed, i.hi, i.hi_closed
        if discrete:
            lo, hi = (lo if lc else lo + 1), (hi if hc else hi - 1)
            lc = hc = True
        if lo < low or (lo == low and not lc and discrete):
            lo, lc = low, True
        if hi > high:
            hi, hc = high, True
        if lo < hi or (lo == hi and lc and hc):
            cleaned.append(Interval(lo, lc, hi, hc))
    cleaned.sort(key=lambda i: (i.lo, not i.lo_closed))
    merged: list[Interval] = []
    for i in cleaned:
        if merged:
            last = merged[-1]
            touching = last.hi > i.lo or (last.hi == i.lo and (last.hi_closed or i.lo_closed))
            if touching or (discrete and last.hi + 1 == i.lo):
                if (i.hi, i.hi_closed) > (last.hi, last.hi_closed):
                    merged[-1] = Interval(last.lo, last.lo_closed, i.hi, i.hi_closed)
                continue
        merged.append(i)
    return tuple(merged)


def complement(intervals: tuple[Interval, ...], kind: InputType) -> tuple[Interval, ...]:
    """The keys of the domain not in ``intervals`` (normalized)."""
    low, high = DOMAIN[kind]
    gaps: list[Interval] = []
    lo, lo_closed = low, True
    for i in intervals:
        gaps.append(Interval(lo, lo_closed, i.lo, not i.lo_closed))
        lo, lo_closed = i.hi, not i.hi_closed
    gaps.append(Interval(lo, lo_closed, high, True))
    return normalize(gaps, kind)


def _interval_test(intervals: tuple[Interval, ...]) -> Callable[[Any], bool]:
    """A predicate over keys, specialised for the common one-interval cells."""
    if not intervals:
        return lambda _: False
    if len(intervals) > 1:
        return lambda key: any(i.holds(key) for i in intervals)
    i = intervals[0]
    lo, hi = i.lo, i.hi
    if lo == hi:
        return lambda key: key == lo
    if lo == -math.inf:
        return (lambda key: key <= hi) if i.hi_closed else (lambda key: key < hi)
    if hi == math.inf:
        return (lambda key: key >= lo) if i.lo_closed else (lambda key: key > lo)
    return i.holds

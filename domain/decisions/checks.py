"""Static checks of a decision table, exact over the cells' analysable forms.

Each input's values are split into elementary segments at every boundary the rules' cells draw (for a
number, each boundary point and each open stretch between two; for a date, datetime or duration, runs of
whole days or microseconds; for a string, each value a cell names plus "any other"; for a boolean, true
and false). Every cell then holds a segment entirely or not at all, so a segment's representative value
stands for all of it, and which rules hold each segment is a bit mask. A search goes input by input over
the rules still alive, pruning as soon as the answer is known:

- overlaps under ``unique`` (and, under ``any``, overlaps whose outputs differ): a point two rules both
  match (an error, with that point as the witness);
- gaps: a point no rule matches (a warning, an error when the table says ``complete: true``);
- unreachable rules under ``first``: a rule whose every point an earlier rule matches (a warning).

An expression cell (``{{ … }}``) is opaque: it may match for gaps, and a rule holding one is never part of
an overlap or of what covers another rule, so no check claims what it cannot prove. Type mismatches
between cells and their input are found when the cells compile. Each search has a budget of steps; one
that runs out says so as an ``analysis_truncated`` warning rather than guessing.
"""

from __future__ import annotations

import itertools
import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.decisions.cells import DISCRETE, DOMAIN, ORDERED, Cell, Interval, value_of_key
from domain.decisions.schemas import DecisionTable, InputType
from domain.definitions.parser import Problem

BUDGET = 500_000  # steps per search (a segment tried, a rule's cell read): about half a second at most
MAX_REPORTED = 20  # overlaps or unreachable rules reported; more say nothing new
MAX_MEMO = 20_000  # sets of live rules remembered per search


@dataclass
class Found:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    overlaps: list[dict[str, Any]] = field(default_factory=list)  # the errors above, as data


class _Exhausted(Exception):
    pass


@dataclass
class _Axis:
    """One input's segments: a representative JSON value each (None: empty), the rules that surely hold
    it (``sure``) and those that may (``may``: also the rules whose cell is an expression)."""

    name: str
    reps: list[Any]
    sure: list[int]
    may: list[int]
    spans: list[list[tuple[int, int]]]  # per rule: the segment ranges its cell holds (inclusive)


def run(table: DecisionTable, cells: Sequence[Sequence[Cell]]) -> Found:
    """The errors and warnings of the static checks; ``cells`` per rule, one per input in order."""
    found = Found()
    axes = [_axis(i.name, i.type, [row[k] for row in cells]) for k, i in enumerate(table.inputs)]
    search = _Search(axes, len(cells))
    policy = table.hit_policy
    if policy in ("unique", "any"):
        outputs = [tuple(sorted(r.then.items())) for r in table.rules] if policy == "any" else None
        _guard(found, "overlap", lambda: _overlaps(found, search, policy, outputs))
    _guard(found, "gap", lambda: _gaps(found, search, table.complete))
    if policy == "first":
        _guard(found, "unreachable", lambda: _unreachable(found, search))
    return found


def _guard(found: Found, check: str, body: Any) -> None:
    try:
        body()
    except _Exhausted:
        message = (
            f"the {check} check stopped after {BUDGET} steps: the table is too intricate to check "
            f"completely, so it may hold {check}s not reported here"
        )
        found.warnings.append(
            {"kind": "analysis_truncated", "message": message, "rules": [], "witness": None}
        )


# -- segments -----------------------------------------------------------------------------------------


def _axis(name: str, kind: InputType, column: list[Cell]) -> _Axis:
    if kind in ORDERED:
        reps, ranges_of = _ordered_segments(kind, column)
    else:
        reps, ranges_of = _finite_segments(kind, column)
    count = len(reps)
    toggles = [0] * (count + 1)
    full = opaque = 0
    spans: list[list[tuple[int, int]]] = []
    for r, cell in enumerate(column):
        bit = 1 << r
        if cell.kind == "any" or cell.kind == "opaque":
            spans.append([(0, count - 1)])
            if cell.kind == "any":
                full |= bit
            else:
                opaque |= bit
            continue
        ranges = ranges_of(cell)
        spans.append(ranges)
        for a, b in ranges:  # a rule's ranges are disjoint: toggling on and off draws its masks
            toggles[a] ^= bit
            toggles[b + 1] ^= bit
    sure: list[int] = []
    running = 0
    for s in range(count):
        running ^= toggles[s]
        sure.append(running | full if reps[s] is not None else 0)
    may = [m | opaque if reps[s] is not None else 0 for s, m in enumerate(sure)]
    return _Axis(name, reps, sure, may, spans)


def _ordered_segments(kind: InputType, column: list[Cell]) -> tuple[list[Any], Any]:
    intervals = [i for cell in column if cell.kind == "intervals" for i in cell.intervals]
    if kind in DISCRETE:
        low, high = DOMAIN[kind]
        cuts = sorted({low, high + 1, *(i.lo for i in intervals), *(i.hi + 1 for i in intervals)})
        reps = [value_of_key(kind, c) for c in cuts[:-1]]

        def discrete_ranges(cell: Cell) -> list[tuple[int, int]]:
            return [(bisect_left(cuts, i.lo), bisect_left(cuts, i.hi + 1) - 1) for i in cell.intervals]

        return reps, discrete_ranges
    points = sorted({p for i in intervals for p in (i.lo, i.hi) if math.isfinite(p)})
    index = {p: n for n, p in enumerate(points)}
    reps = []
    for n, p in enumerate(points):
        reps += [_between(points[n - 1] if n else -math.inf, p), value_of_key(kind, p)]
    reps.append(_between(points[-1], math.inf) if points else 0)

    def continuous_ranges(cell: Cell) -> list[tuple[int, int]]:
        return [_continuous_range(i, index, len(points)) for i in cell.intervals]

    return reps, continuous_ranges


def _continuous_range(i: Interval, index: dict[Any, int], count: int) -> tuple[int, int]:
    # Segment 2n is the open stretch below point n, 2n + 1 the point itself, 2 * count above them all.
    start = 0 if i.lo == -math.inf else 2 * index[i.lo] + (1 if i.lo_closed else 2)
    end = 2 * count if i.hi == math.inf else 2 * index[i.hi] + (1 if i.hi_closed else 0)
    return start, end


def _between(a: float, b: float) -> Any:
    """A number strictly between ``a`` and ``b`` (either may be infinite), or None when no float is."""
    if a == -math.inf:
        value = b - 1 if b - 1 < b else math.nextafter(b, -math.inf)
    elif b == math.inf:
        value = a + 1 if a + 1 > a else math.nextafter(a, math.inf)
    elif isinstance(a, int) and isinstance(b, int) and b - a >= 2:
        value = a + 1
    else:
        value = a + (b - a) / 2
    if not (a < value < b) or not math.isfinite(value):
        return None
    return value_of_key("number", value)


def _finite_segments(kind: InputType, column: list[Cell]) -> tuple[list[Any], Any]:
    if kind == "boolean":
        values: list[Any] = [False, True]
    else:
        named = sorted({v for cell in column if cell.kind == "set" for v in cell.values})
        values = [*named, _fresh(set(named))]  # the last: any string no cell names
    index = {(type(v), v): n for n, v in enumerate(values)}
    last = len(values) - 1

    def ranges(cell: Cell) -> list[tuple[int, int]]:
        held = sorted(index[(type(v), v)] for v in cell.values)
        if cell.negated:
            held = sorted(set(range(last + 1)) - set(held))
        return [(n, n) for n in held]

    return values, ranges


def _fresh(taken: set[str]) -> str:
    candidate, n = "other", 1
    while candidate in taken:
        n += 1
        candidate = f"other-{n}"
    return candidate


# -- the search ---------------------------------------------------------------------------------------


class _Search:
    def __init__(self, axes: list[_Axis], rules: int) -> None:
        self.axes = axes
        self.rules = rules
        self.steps = 0
        # Rules that hold every segment of inputs k, k+1…: one of them alive at k settles the search below.
        self.rest_sure = [(1 << rules) - 1] * (len(axes) + 1)
        self.rest_may = list(self.rest_sure)
        for k in range(len(axes) - 1, -1, -1):
            axis = axes[k]
            self.rest_sure[k] = self.rest_sure[k + 1] & _every(axis.sure, axis.reps)
            self.rest_may[k] = self.rest_may[k + 1] & _every(axis.may, axis.reps)

    def reset(self) -> None:
        self.steps = 0

    def spend(self, steps: int) -> None:
        self.steps += steps
        if self.steps > BUDGET:
            raise _Exhausted

    def stretches(self, k: int, alive: int, within: list[tuple[int, int]] | None = None) -> list[int]:
        """One segment of input ``k`` for each stretch over which no alive rule's cell changes (and, with
        ``within``, inside those ranges): far fewer than all segments once few rules are alive."""
        axis = self.axes[k]
        count = len(axis.reps)
        ranges = within if within is not None else [(0, count - 1)]
        inside = sum(b - a + 1 for a, b in ranges)
        if inside <= alive.bit_count():  # fewer segments than rules: try them all
            self.spend(inside)
            return [s for a, b in ranges for s in range(a, b + 1) if axis.reps[s] is not None]
        cuts = {0, count}
        alive_rules = 0
        for r in _bits(alive):
            alive_rules += 1
            for a, b in axis.spans[r]:
                cuts.add(a)
                cuts.add(b + 1)
        for a, b in within or ():
            cuts.add(a)
            cuts.add(b + 1)
        self.spend(alive_rules + len(cuts))
        order = sorted(cuts)
        starts = [a for a, _ in within or ()]  # a cell's ranges are sorted and disjoint
        chosen = []
        for start, end in itertools.pairwise(order):
            if within is not None:
                at = bisect_right(starts, start) - 1
                if at < 0 or start > within[at][1]:
                    continue
            # An empty segment (no float between two adjacent ones) is followed by a point, never empty.
            found = next((s for s in range(start, min(end, start + 2)) if axis.reps[s] is not None), None)
            if found is not None:
                chosen.append(found)
        return chosen

    def witness(self, point: list[int]) -> dict[str, Any]:
        """The JSON values of a point; inputs past its end take their first non-empty segment."""
        shown = {}
        for k, axis in enumerate(self.axes):
            s = point[k] if k < len(point) else next(n for n, rep in enumerate(axis.reps) if rep is not None)
            shown[axis.name] = axis.reps[s]
        return shown


def _every(masks: list[int], reps: list[Any]) -> int:
    """The rules whose bit is set in every non-empty segment."""
    held = -1
    for mask, rep in zip(masks, reps, strict=True):
        if rep is not None:
            held &= mask
    return max(held, 0)


def _gaps(found: Found, search: _Search, complete: bool) -> None:
    search.reset()
    settled: set[tuple[int, int]] = set()
    point: list[int] = []

    def covered(k: int, alive: int) -> bool:
        if k == len(search.axes) or alive & search.rest_may[k] or (k, alive) in settled:
            return True
        may = search.axes[k].may
        for s in search.stretches(k, alive):
            point.append(s)
            if not (alive & may[s] and covered(k + 1, alive & may[s])):
                return False
            point.pop()
        if len(settled) < MAX_MEMO:
            settled.add((k, alive))
        return True

    if covered(0, (1 << search.rules) - 1):
        return
    witness = search.witness(point)
    message = f"no rule matches {_shown(witness)}"
    if complete:
        found.errors.append(Problem(("rules",), f"the table is complete, but {message}"))
    else:
        found.warnings.append({"kind": "gap", "message": message, "rules": [], "witness": witness})


def _overlaps(found: Found, search: _Search, policy: str, outputs: list[Any] | None) -> None:
    search.reset()
    seen: set[tuple[int, int]] = set()
    pairs: set[tuple[int, int]] = set()
    point: list[int] = []

    def explore(k: int, alive: int) -> None:
        if alive & (alive - 1) == 0 or (k, alive) in seen or len(pairs) >= MAX_REPORTED:
            return  # fewer than two rules left, or this set has been explored
        rest = alive & search.rest_sure[k]
        if k == len(search.axes) or (outputs is None and rest & (rest - 1)):
            # Two rules that hold everything from here overlap at any point below.
            _report_overlap(found, search, point, rest, outputs, pairs)
            return
        sure = search.axes[k].sure
        for s in search.stretches(k, alive):
            if alive & sure[s]:
                point.append(s)
                explore(k + 1, alive & sure[s])
                point.pop()
        if len(seen) < MAX_MEMO:
            seen.add((k, alive))

    explore(0, (1 << search.rules) - 1)


def _report_overlap(
    found: Found, search: _Search, point: list[int], alive: int, outputs: list[Any] | None, pairs: set[Any]
) -> None:
    rules = list(_bits(alive))
    pair = None
    if outputs is None:
        pair = (rules[0], rules[1])
    else:
        pair = next(((rules[0], r) for r in rules[1:] if outputs[r] != outputs[rules[0]]), None)
    if pair is None or pair in pairs:
        return
    pairs.add(pair)
    witness = search.witness(point)
    a, b = pair[0] + 1, pair[1] + 1
    what = "both match" if outputs is None else "both match, with different outputs,"
    message = f"rules {a} and {b} overlap under hit policy {'unique' if outputs is None else 'any'}: {what}"
    found.errors.append(Problem(("rules", b - 1, "when"), f"{message} {_shown(witness)}"))
    found.overlaps.append({"kind": "overlap", "message": message, "rules": [a, b], "witness": witness})


def _unreachable(found: Found, search: _Search) -> None:
    search.reset()
    reported = 0
    for r in range(search.rules):
        covering = _covering(search, r)
        if covering is not None and reported == MAX_REPORTED:
            message = (
                f"more rules are never chosen, from rule {r + 1} on; only the first {MAX_REPORTED} are listed"
            )
            found.warnings.append({"kind": "unreachable", "message": message, "rules": [], "witness": None})
            return
        if covering is not None:
            reported += 1
            earlier = ", ".join(str(c + 1) for c in covering[:10]) + (" …" if len(covering) > 10 else "")
            message = (
                f"rule {r + 1} is never chosen: every input it matches, an earlier rule ({earlier}) matches"
            )
            found.warnings.append(
                {
                    "kind": "unreachable",
                    "message": message,
                    "rules": [r + 1, *(c + 1 for c in covering)],
                    "witness": None,
                }
            )


def _covering(search: _Search, r: int) -> list[int] | None:
    """The earlier rules that together match every point rule ``r`` may match (the first of them where
    several do), or None if some point is left to it."""
    settled: set[tuple[int, int]] = set()
    used = 0

    def covered(k: int, alive: int) -> bool:
        nonlocal used
        rest = alive & search.rest_sure[k]
        if rest:  # the first of them is the rule chosen (at the last input, every alive rule is)
            used |= rest & -rest
            return True
        if (k, alive) in settled:
            return True
        sure = search.axes[k].sure
        for s in search.stretches(k, alive, search.axes[k].spans[r]):
            if not (alive & sure[s] and covered(k + 1, alive & sure[s])):
                return False
        if len(settled) < MAX_MEMO:
            settled.add((k, alive))
        return True

    earlier = (1 << r) - 1
    if not earlier or not covered(0, earlier):
        return None
    return list(_bits(used))


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _shown(witness: dict[str, Any]) -> str:
    return ", ".join(f"{name} = {json.dumps(value, ensure_ascii=False)}" for name, value in witness.items())

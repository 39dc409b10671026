"""A definition as a Mermaid flowchart, for the API and ``keel definitions graph``, and as the same
boxes and links in plain values, for the console's drawing.

The output is deterministic (same definition, same text), so it can be compared and cached.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from domain.definitions.model import (
    ActivityStep,
    DecideStep,
    Definition,
    EndStep,
    FailStep,
    ForeachStep,
    ParallelStep,
    Step,
    SwitchStep,
    TaskStep,
    TryStep,
    WaitStep,
)

LABEL_LENGTH = 40
START, FINISH = "start", "finish"


@dataclass(frozen=True)
class _Edge:
    source: str
    label: str | None = None
    dashed: bool = False


@dataclass(frozen=True)
class Box:
    """A node: ``step`` is the step it draws (None for start, end and a parallel's join)."""

    id: str
    lines: tuple[str, ...]
    shape: str  # circle | round | rhombus | rect
    step: str | None = None


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    label: str | None = None
    dashed: bool = False


_SHAPES = {"circle": '(("{}"))', "round": '("{}")', "rhombus": '{{"{}"}}', "rect": '["{}"]'}


@dataclass
class _Chart:
    nodes: list[str] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # prefix:step id -> node id
    used: set[str] = field(default_factory=lambda: {START, FINISH})
    depth: int = 1
    boxes: list[Box] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def node(self, text: str) -> None:
        self.nodes.append("    " * self.depth + text)

    def box(self, box: Box) -> None:
        label = "<br/>".join(_escape(line) for line in box.lines)
        self.node(box.id + _SHAPES[box.shape].format(label))
        self.boxes.append(box)

    def connect(self, pending: Sequence[_Edge], target: str) -> None:
        for edge in pending:
            arrow = "-.->" if edge.dashed else "-->"
            label = f'|"{_escape(edge.label)}"|' if edge.label else ""
            self.edges.append(f"    {edge.source} {arrow}{label} {target}")
            self.links.append(Link(edge.source, target, edge.label, edge.dashed))

    def node_id(self, step_id: str, prefix: str = "s") -> str:
        """Mermaid-safe and unique: a step id's dashes become underscores; the prefix keeps clear of
        keywords such as ``end``."""
        key = f"{prefix}:{step_id}"
        if key not in self.ids:
            base = f"{prefix}_" + re.sub(r"[^A-Za-z0-9_]", "_", step_id)
            candidate, n = base, 1
            while candidate in self.used:
                n += 1
                candidate = f"{base}_{n}"
            self.ids[key] = candidate
            self.used.add(candidate)
        return self.ids[key]


def mermaid(definition: Definition) -> str:
    return flowchart(definition)[0]


def flowchart(definition: Definition) -> tuple[str, list[Box], list[Link]]:
    """The Mermaid text, and the same flowchart's boxes (in the order they are met) and links, to lay
    out and draw: charted once."""
    chart = _charted(definition)
    text = "\n".join(["flowchart TD", *chart.nodes, *chart.edges]) + "\n"
    return text, chart.boxes, chart.links


def _charted(definition: Definition) -> _Chart:
    chart = _Chart()
    chart.box(Box(START, ("start",), "circle"))
    exits = _sequence(chart, definition.steps, [_Edge(START)])
    chart.box(Box(FINISH, ("end",), "circle"))
    chart.connect(exits, FINISH)
    return chart


def _sequence(chart: _Chart, steps: Sequence[Step], entries: list[_Edge]) -> list[_Edge]:
    """Draws ``steps`` one after the other; returns the edges still to connect to whatever comes next."""
    pending = entries
    for step in steps:
        pending = _step(chart, step, pending)
    return pending


def _step(chart: _Chart, step: Step, entries: list[_Edge]) -> list[_Edge]:
    node = chart.node_id(step.id)
    detail = _detail(step)
    lines = (_shorten(f"{step.id}: {step.type}"), *([_shorten(detail)] if detail else []))
    shape = {"switch": "rhombus", "task": "round"}.get(step.type, "rect")
    box = Box(node, lines, shape, step.id)
    if not isinstance(step, ForeachStep):
        chart.box(box)
    chart.connect(entries, node)
    return _continuations(chart, step, node, box)


def _detail(step: Step) -> str | None:
    if isinstance(step, TaskStep):
        return ", ".join(step.assignee) if isinstance(step.assignee, list) else step.assignee
    if isinstance(step, ActivityStep):
        return step.call
    if isinstance(step, DecideStep):  # the table, and its version when the step pins one
        return step.decision + (f" v{step.version}" if step.version is not None else "")
    return None


def _continuations(chart: _Chart, step: Step, node: str, box: Box) -> list[_Edge]:
    if isinstance(step, SwitchStep):
        exits: list[_Edge] = []
        for case in step.cases:
            exits += _sequence(chart, case.steps, [_Edge(node, _when_text(case.when))])
        return exits + _sequence(chart, step.default, [_Edge(node, "default")])
    if isinstance(step, ParallelStep):
        return _parallel(chart, step, node)
    if isinstance(step, ForeachStep):
        return _foreach(chart, step, node, box)
    if isinstance(step, TryStep):
        exits = _sequence(chart, step.steps, [_Edge(node)])
        for catch in step.catch:
            caught = _Edge(node, ", ".join(catch.errors) or "any error", dashed=True)
            exits += _sequence(chart, catch.steps, [caught])
        return exits
    if isinstance(step, TaskStep | WaitStep):
        return [_Edge(node), *_on_timeout(chart, step, node)]
    if isinstance(step, EndStep | FailStep):
        reason = step.error if isinstance(step, FailStep) else None
        if step.when is None:
            chart.connect([_Edge(node, reason)], FINISH)
            return []
        chart.connect([_Edge(node, _when_text(step.when))], FINISH)
    return [_Edge(node)]


def _parallel(chart: _Chart, step: ParallelStep, node: str) -> list[_Edge]:
    exits: list[_Edge] = []
    for branch in step.branches:
        exits += _sequence(chart, branch.steps, [_Edge(node, branch.id)])
    join = chart.node_id(step.id, prefix="j")
    chart.box(Box(join, (str(step.join),), "circle"))
    chart.connect(exits, join)
    return [_Edge(join)]


def _foreach(chart: _Chart, step: ForeachStep, node: str, box: Box) -> list[_Edge]:
    chart.box(Box(node, box.lines, "rect", step.id))
    chart.node(f'subgraph {chart.node_id(step.id, prefix="g")} ["for each {_escape(step.as_)}"]')
    chart.depth += 1
    exits = _sequence(chart, step.steps, [_Edge(node, f"each {step.as_}")])
    chart.depth -= 1
    chart.node("end")
    return exits


def _on_timeout(chart: _Chart, step: TaskStep | WaitStep, node: str) -> list[_Edge]:
    if isinstance(step, TaskStep):
        if step.on_timeout is None:
            return []
        steps: Sequence[Step] = step.on_timeout.steps
    elif step.timeout is None:
        return []
    else:
        steps = step.on_timeout
    return _sequence(chart, steps, [_Edge(node, "timeout", dashed=True)])


def _when_text(when: str) -> str:
    text = when.strip()
    if text.startswith("{{") and text.endswith("}}") and text.count("{{") == 1:
        text = text[2:-2].strip()
    return _shorten(text)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def _escape(text: str) -> str:
    """Mermaid entity codes: quotes would end the label, < and > read as HTML, | ends an edge label."""
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;")):
        text = text.replace(char, code)
    return text

"""A definition as a Mermaid flowchart, for the API and ``keel definitions graph``.

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


@dataclass
class _Chart:
    nodes: list[str] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # prefix:step id -> node id
    used: set[str] = field(default_factory=lambda: {START, FINISH})
    depth: int = 1

    def node(self, text: str) -> None:
        self.nodes.append("    " * self.depth + text)

    def connect(self, pending: Sequence[_Edge], target: str) -> None:
        for edge in pending:
            arrow = "-.->" if edge.dashed else "-->"
            label = f'|"{_escape(edge.label)}"|' if edge.label else ""
            self.edges.append(f"    {edge.source} {arrow}{label} {target}")

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
    chart = _Chart()
    chart.node(f'{START}(("start"))')
    exits = _sequence(chart, definition.steps, [_Edge(START)])
    chart.node(f'{FINISH}(("end"))')
    chart.connect(exits, FINISH)
    return "\n".join(["flowchart TD", *chart.nodes, *chart.edges]) + "\n"


def _sequence(chart: _Chart, steps: Sequence[Step], entries: list[_Edge]) -> list[_Edge]:
    """Draws ``steps`` one after the other; returns the edges still to connect to whatever comes next."""
    pending = entries
    for step in steps:
        pending = _step(chart, step, pending)
    return pending


def _step(chart: _Chart, step: Step, entries: list[_Edge]) -> list[_Edge]:
    node = chart.node_id(step.id)
    label = _escape(_shorten(f"{step.id}: {step.type}"))
    detail = _detail(step)
    if detail:
        label += "<br/>" + _escape(_shorten(detail))
    shape = {"switch": '{{"{}"}}', "task": '("{}")'}.get(step.type, '["{}"]')
    if not isinstance(step, ForeachStep):
        chart.node(node + shape.format(label))
    chart.connect(entries, node)
    return _continuations(chart, step, node, label)


def _detail(step: Step) -> str | None:
    if isinstance(step, TaskStep):
        return ", ".join(step.assignee) if isinstance(step.assignee, list) else step.assignee
    if isinstance(step, ActivityStep):
        return step.call
    if isinstance(step, DecideStep):  # the table, and its version when the step pins one
        return step.decision + (f" v{step.version}" if step.version is not None else "")
    return None


def _continuations(chart: _Chart, step: Step, node: str, label: str) -> list[_Edge]:
    if isinstance(step, SwitchStep):
        exits: list[_Edge] = []
        for case in step.cases:
            exits += _sequence(chart, case.steps, [_Edge(node, _when_text(case.when))])
        return exits + _sequence(chart, step.default, [_Edge(node, "default")])
    if isinstance(step, ParallelStep):
        return _parallel(chart, step, node)
    if isinstance(step, ForeachStep):
        return _foreach(chart, step, node, label)
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
    chart.node(f'{join}(("{step.join}"))')
    chart.connect(exits, join)
    return [_Edge(join)]


def _foreach(chart: _Chart, step: ForeachStep, node: str, label: str) -> list[_Edge]:
    chart.node(f'{node}["{label}"]')
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

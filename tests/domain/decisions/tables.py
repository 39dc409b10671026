"""Decision tables written for the tests, as YAML text, and helpers to read their problems."""

from __future__ import annotations

from typing import Any

import pytest

from domain.decisions import checks
from domain.decisions.errors import DecisionInvalid
from domain.decisions.evaluate import compile_rules
from domain.decisions.parser import parse
from domain.decisions.schemas import DecisionTable


def table(
    inputs: dict[str, str],
    rules: list[tuple[dict[str, str], Any]],
    *,
    policy: str = "first",
    output_type: str = "number",
    values: list[Any] | None = None,
    extra: str = "",
) -> str:
    """A table whose inputs read their own name from the context and whose one output is ``y``; each
    rule is (cells, y). Cells are written single-quoted, as they appear in the source."""
    lines = [f"name: t\nversion: 1\nhit_policy: {policy}\n{extra}inputs:"]
    lines += [f"  - {{name: {name}, expression: {name}, type: {kind}}}" for name, kind in inputs.items()]
    shown = f", values: {values!r}" if values is not None else ""
    lines.append(f"outputs:\n  - {{name: y, type: {output_type}{shown}}}\nrules:")
    for cells, y in rules:
        when = ", ".join(f"{name}: '{cell}'" for name, cell in cells.items())
        lines.append(f"  - when: {{{when}}}\n    then: {{y: {y}}}")
    return "\n".join(lines) + "\n"


def problems(source: str | bytes) -> list[dict[str, Any]]:
    with pytest.raises(DecisionInvalid) as caught:
        parse(source)
    assert caught.value.code == "validation_failed"
    return caught.value.details["fields"]


def position(source: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based line and column of the ``nth`` occurrence of ``needle`` in ``source``."""
    at = -1
    for _ in range(nth + 1):
        at = source.index(needle, at + 1)
    before = source[:at]
    return before.count("\n") + 1, at - (before.rfind("\n") + 1) + 1


def run_checks(data: dict[str, Any]) -> checks.Found:
    """The static checks of a table given as data (no parse, so errors come back as data too)."""
    model = DecisionTable.model_validate(data)
    cells, cell_problems = compile_rules(model)
    assert not cell_problems
    return checks.run(model, cells)


def data(
    inputs: dict[str, str], rules: list[tuple[dict[str, str], Any]], policy: str = "first", **more: Any
) -> dict[str, Any]:
    return {
        "name": "t",
        "version": 1,
        "hit_policy": policy,
        "inputs": [{"name": n, "expression": n, "type": k} for n, k in inputs.items()],
        "outputs": [{"name": "y", "type": "number"}],
        "rules": [{"when": cells, "then": {"y": y}} for cells, y in rules],
        **more,
    }

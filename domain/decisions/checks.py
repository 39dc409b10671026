"""Static checks of a decision table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.decisions.cells import Cell
from domain.decisions.schemas import DecisionTable
from domain.definitions.parser import Problem


@dataclass
class Found:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


def run(table: DecisionTable, cells: Sequence[Sequence[Cell]]) -> Found:
    return Found()

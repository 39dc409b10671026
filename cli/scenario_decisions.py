"""The decision tables a scenario's decide steps evaluate, offline: the tables in ``decisions/`` beside
the definition, then the ones shipped with Keel. They are pinned as the API pins them when a process
starts, and evaluated for real unless the scenario answers ``decisions.evaluate`` itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from temporalio.exceptions import ApplicationError

from activities.decisions import FINAL, KEPT, final_error
from cli.scenario_format import ScenarioInvalid
from domain.decisions.errors import DecisionInvalid
from domain.decisions.parser import ParsedDecision, parse
from domain.decisions.references import decide_steps, pin_from
from domain.decisions.schemas import DecisionTable
from domain.decisions.service import shipped
from domain.definitions.model import Definition
from domain.errors import ValidationFailed

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ScenarioTables:
    """The tables a scenario may evaluate by (name, version), and the versions its run pins."""

    tables: Mapping[tuple[str, int], ParsedDecision]
    pins: dict[str, int]

    def evaluate(self, call: Any) -> dict[str, Any]:
        """What the ``decisions.evaluate`` activity answers for ``call`` (a ``DecisionCall`` as a mapping),
        its failures the same non-retryable errors."""
        parsed = self.tables.get((str(call["decision"]), int(call["version"])))
        if parsed is None:  # pinned, so only a scenario that answers for a table it lacks gets here
            raise ApplicationError(f"decision {call['decision']} is not here", type="UnknownDecision")
        try:
            answer = parsed.compiled.evaluate(call["context"])
        except tuple(FINAL) as exc:
            raise final_error(exc) from exc
        return {key: answer.get(key) for key in KEPT}


def scenario_tables(definition_path: Path, definitions: Iterable[Definition]) -> ScenarioTables:
    """The tables for the decide steps of ``definitions`` (a definition and its subprocesses), pinned;
    ScenarioInvalid when a table file is broken or a step's table is not there."""
    definitions = list(definitions)
    if not any(True for d in definitions for _ in decide_steps(d)):
        return ScenarioTables({}, {})
    tables: dict[tuple[str, int], ParsedDecision] = {}
    beside = definition_path.parent / "decisions"  # first: they may stand in for shipped ones
    for path in sorted(beside.iterdir()) if beside.is_dir() else []:
        if path.suffix not in SUFFIXES:
            continue
        try:
            parsed = parse(path.read_bytes())
        except DecisionInvalid as exc:
            raise ScenarioInvalid(f"{path}: {exc}") from None
        tables.setdefault((parsed.table.name, parsed.table.version), parsed)
    for name, versions in shipped().items():
        for version, parsed in versions.items():
            tables.setdefault((name, version), parsed)

    def find(name: str, version: int | None) -> DecisionTable | None:
        versions = {v: p for (n, v), p in tables.items() if n == name}
        chosen = version if version is not None else max(versions, default=None)
        return versions[chosen].table if chosen in versions else None

    try:
        pins = pin_from(find, definitions)
    except ValidationFailed as exc:
        problems = "; ".join(f.message for f in exc.fields)
        raise ScenarioInvalid(f"{definition_path}: {exc.message} {problems}") from None
    return ScenarioTables(tables, pins)

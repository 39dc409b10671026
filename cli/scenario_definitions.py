"""The definitions a scenario runs: its file, the definitions beside it that it may start as
subprocesses, and the activity names they may call."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import yaml

from cli.scenario_format import ScenarioInvalid
from domain.definitions.model import Definition
from domain.definitions.parser import ParsedDefinition, parse
from domain.definitions.validate import KnownDefinitions, subprocess_refs

DEFINITION_SUFFIXES = (".yaml", ".yml")
CODE_WORKFLOWS = ("approval",)


def definition_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in DEFINITION_SUFFIXES)


def _name_and_version(path: Path) -> tuple[str, int] | None:
    """A file's declared name and version, read leniently: a broken sibling is reported on its own."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    version = data.get("version")
    return data["name"], version if isinstance(version, int) else 0


def sibling_definitions(folder: Path) -> dict[tuple[str, int], Path]:
    """The definitions in ``folder`` by (name, version): what a subprocess step of a file there may start."""
    found: dict[tuple[str, int], Path] = {}
    for path in definition_files(folder):
        ident = _name_and_version(path)
        if ident is not None:
            found.setdefault(ident, path)
    return found


def known_definitions(siblings: Collection[tuple[str, int]]) -> KnownDefinitions:
    def known(name: str, version: int | None) -> bool:
        return any(n == name and (version is None or v == version) for n, v in siblings)

    return known


def activity_names() -> frozenset[str]:
    from activities import activity_names as registered  # the activity modules are only needed here

    return registered()


def load_definition(path: Path, *, known_activities: Collection[str] | None = None) -> ParsedDefinition:
    """Parse and validate ``path`` as the API would; raises DefinitionInvalid or OSError."""
    source = path.read_bytes()
    return parse(
        source,
        known_activities=activity_names() if known_activities is None else known_activities,
        known_definitions=known_definitions(sibling_definitions(path.parent)),
        known_workflows=CODE_WORKFLOWS,
    )


def resolve_subdefinitions(path: Path, root: Definition) -> dict[str, Definition]:
    """Every definition ``root`` may start (transitively), from the files next to ``path``, keyed as the
    interpreter looks them up (``name@version``, or ``name@latest`` when the step names no version)."""
    siblings = sibling_definitions(path.parent)
    names = activity_names()
    out: dict[str, Definition] = {}
    pending = [root]
    while pending:
        for name, version in sorted(subprocess_refs(pending.pop()), key=str):
            key = f"{name}@{version}" if version is not None else f"{name}@latest"
            versions = {v: p for (n, v), p in siblings.items() if n == name}
            if key in out or (name in CODE_WORKFLOWS and not versions):
                continue  # without a definition of that name the interpreter starts the code workflow
            chosen = version if version is not None else max(versions, default=None)
            if chosen not in versions:
                raise ScenarioInvalid(f"{path}: the subprocess definition {key} is not in {path.parent}")
            out[key] = load_definition(versions[chosen], known_activities=names).definition
            pending.append(out[key])
    return out

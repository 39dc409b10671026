"""Process definitions: the shipped catalogue (``definitions/*.yaml``) and each tenant's published ones."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from db.models import Process, ProcessDefinition
from domain.context import TenantContext
from domain.definitions.errors import DefinitionInvalid, LocatedFieldError
from domain.definitions.model import Definition
from domain.definitions.parser import ParsedDefinition, parse
from domain.definitions.schemas import DslRun
from domain.definitions.validate import subprocess_refs
from domain.errors import Conflict, NotFound
from domain.outputs import from_row
from domain.processes import schemas as processes_schemas
from domain.published import publish_version
from domain.queries import live

log = logging.getLogger("keel.definitions")
CODE_WORKFLOWS = tuple(processes_schemas.CODE_WORKFLOWS)


@dataclass
class Catalog:
    """What every definition is checked against: the registered activities and the shipped definitions."""

    activities: frozenset[str]
    shipped_dir: Path
    _shipped: dict[str, dict[int, ParsedDefinition]] | None = field(default=None, repr=False)

    @property
    def shipped(self) -> dict[str, dict[int, ParsedDefinition]]:
        if self._shipped is None:
            self._shipped = self._load_shipped()
        return self._shipped

    def _load_shipped(self) -> dict[str, dict[int, ParsedDefinition]]:
        files = sorted(self.shipped_dir.glob("*.yaml")) if self.shipped_dir.is_dir() else []
        texts = {path: path.read_text() for path in files}
        # The names first, so shipped definitions may start each other as subprocesses.
        names = {str((yaml.safe_load(t) or {}).get("name")) for t in texts.values()}
        out: dict[str, dict[int, ParsedDefinition]] = {}
        for path, text in texts.items():
            try:
                parsed = parse(
                    text,
                    known_activities=self.activities,
                    known_definitions=lambda n, v: n in names,
                    known_workflows=CODE_WORKFLOWS,
                )
            except DefinitionInvalid as exc:  # one broken file must not take the others down
                log.error("shipped definition %s is invalid: %s", path.name, exc)
                continue
            out.setdefault(parsed.definition.name, {})[parsed.definition.version] = parsed
        return out


@dataclass(frozen=True)
class Resolved:
    parsed: ParsedDefinition
    origin: str  # shipped | tenant

    @property
    def definition(self) -> Definition:
        return self.parsed.definition


def _tenant_rows(session: Session, ctx: TenantContext, name: str | None = None) -> list[ProcessDefinition]:
    stmt = live(ctx, ProcessDefinition)
    if name:
        stmt = stmt.where(ProcessDefinition.name == name)
    return list(session.scalars(stmt.order_by(ProcessDefinition.name, ProcessDefinition.version)))


def _from_row(catalog: Catalog, row: ProcessDefinition) -> ParsedDefinition:
    return _parse_stored(row.source, catalog.activities | _activities_of(row.document))


@lru_cache(maxsize=512)
def _parse_stored(source: str, activities: frozenset[str]) -> ParsedDefinition:
    """A published version never changes, so its parsed form is cached by its source.

    Stored documents were validated when published: references are not checked again.
    """
    return parse(
        source,
        known_activities=activities,
        known_definitions=lambda n, v: True,
        known_workflows=CODE_WORKFLOWS,
    )


def _activities_of(document: dict[str, Any]) -> frozenset[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("call"), str):
                found.add(value["call"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(document)
    return frozenset(found)


def known(session: Session, ctx: TenantContext, catalog: Catalog) -> Any:
    """The callback the parser uses to check subprocess references."""

    def exists(name: str, version: int | None) -> bool:
        if name in catalog.shipped:
            return version is None or version in catalog.shipped[name]
        rows = _tenant_rows(session, ctx, name)
        return bool(rows) and (version is None or any(r.version == version for r in rows))

    return exists


def validate_source(
    session: Session, ctx: TenantContext, catalog: Catalog, source: str | bytes
) -> ParsedDefinition:
    return parse(
        source,
        known_activities=catalog.activities,
        known_definitions=known(session, ctx, catalog),
        known_workflows=CODE_WORKFLOWS,
    )


def publish(
    session: Session, ctx: TenantContext, catalog: Catalog, source: str | bytes
) -> tuple[ProcessDefinition, bool]:
    """Publish a version; returns (row, created). The same content again is not an error; other content is."""
    ctx.require("definitions:write")
    parsed = validate_source(session, ctx, catalog, source)
    d = parsed.definition
    if d.name in catalog.shipped or d.name in CODE_WORKFLOWS:
        raise Conflict(f"'{d.name}' is a definition shipped with Keel; choose another name.")
    _check_cycles(session, ctx, catalog, d)
    return publish_version(
        session, ctx, ProcessDefinition, parsed, "definition", d.name, d.version, description=d.description
    )


def _check_cycles(session: Session, ctx: TenantContext, catalog: Catalog, root: Definition) -> None:
    """A subprocess chain that comes back to the definition being published is refused."""
    stack: list[tuple[Definition, list[str]]] = [(root, [root.name])]
    while stack:
        definition, trail = stack.pop()
        for name, version in sorted(subprocess_refs(definition), key=lambda r: (r[0], r[1] or 0)):
            if name == root.name:
                raise DefinitionInvalid(
                    [LocatedFieldError("/steps", f"cycle: {' -> '.join([*trail, name])}")]
                )
            if name in trail:
                continue
            try:
                child = resolve(session, ctx, catalog, name, version).definition
            except NotFound:
                continue
            stack.append((child, [*trail, name]))


def resolve(
    session: Session, ctx: TenantContext, catalog: Catalog, name: str, version: int | None
) -> Resolved:
    """A definition by name and version (the latest when no version is given)."""
    if name in catalog.shipped:
        versions = catalog.shipped[name]
        chosen = version if version is not None else max(versions)
        if chosen not in versions:
            raise NotFound(f"definition {name} version", chosen)
        return Resolved(versions[chosen], "shipped")
    rows = _tenant_rows(session, ctx, name)
    if version is not None:
        rows = [r for r in rows if r.version == version]
    if not rows:
        raise NotFound(f"definition {name}" + (f" version {version}" if version is not None else ""))
    return Resolved(_from_row(catalog, rows[-1]), "tenant")


def bundle(session: Session, ctx: TenantContext, catalog: Catalog, root: Definition) -> dict[str, Definition]:
    """Every definition a process may start as a subprocess, keyed as the interpreter looks them up."""
    out: dict[str, Definition] = {}
    pending = [root]
    while pending:
        for step_name, version in subprocess_refs(pending.pop()):
            key = f"{step_name}@{version}" if version else f"{step_name}@latest"
            if key in out:
                continue
            if step_name in CODE_WORKFLOWS and step_name not in catalog.shipped:
                continue  # no definition of that name ships: the interpreter starts the code workflow
            out[key] = resolve(session, ctx, catalog, step_name, version).definition
            pending.append(out[key])
    return out


def run_of(
    ctx: TenantContext,
    process: Process,
    definition: Definition,
    subdefinitions: dict[str, Definition] | None = None,
    decisions: dict[str, int] | None = None,
) -> DslRun:
    """The interpreter's input for a recorded process: who, which row, its key and input as recorded,
    and what was pinned at its start: the subprocess definitions, the decision table versions
    (``domain.decisions.references.pin``)."""
    return from_row(
        DslRun,
        process,
        tenant_domain=ctx.tenant_domain,
        process_id=process.id,
        definition=definition,
        subdefinitions=subdefinitions or {},
        decisions=decisions or {},
    )


def listing(session: Session, ctx: TenantContext, catalog: Catalog) -> list[dict[str, Any]]:
    ctx.require("definitions:read")
    items: dict[str, dict[str, Any]] = {}
    for name, versions in catalog.shipped.items():
        latest = versions[max(versions)]
        items[name] = {
            "name": name,
            "origin": "shipped",
            "versions": sorted(versions),
            "latest_version": max(versions),
            "description": latest.definition.description,
            "sha256": latest.sha256,
        }
    for row in _tenant_rows(session, ctx):
        entry = items.setdefault(row.name, {"name": row.name, "origin": "tenant", "versions": []})
        entry["versions"].append(row.version)
        entry.update(latest_version=row.version, description=row.description, sha256=row.sha256)
    return [items[k] for k in sorted(items)]

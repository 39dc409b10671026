"""Decision tables: the shipped ones (``definitions/decisions/*.yaml``, seen by every tenant) and each
tenant's published versions; resolving a name and version, evaluating, publishing and listing.

A published version never changes, so what is derived from it is cached by its sha256 in bounded LRU
maps: its compiled form (evaluation reads one short row, then runs the compiled table), its parsed
form with the static checks' warnings, and its Markdown and HTML renderings.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models.decisions import Decision
from domain import cursors
from domain.context import TenantContext
from domain.decisions.errors import DecisionInvalid
from domain.decisions.evaluate import CompiledTable, compile_table
from domain.decisions.parser import ParsedDecision, parse
from domain.decisions.render import html, markdown
from domain.decisions.schemas import DecisionTable
from domain.errors import Conflict, NotFound
from domain.notifications.template_engine import Lru
from domain.pagination import clamp_limit
from domain.published import publish_version
from domain.queries import mine

log = logging.getLogger("keel.decisions")
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "definitions" / "decisions"
READ, WRITE = "decisions:read", "decisions:write"
Origin = Literal["shipped", "tenant"]
V = TypeVar("V")

# Enough for every version a busy API process evaluates; a miss costs one row read and a compile.
_COMPILED = Lru(1024)
# The parsed form (static checks included) and the renderings are for reading a version: fewer.
_PARSED = Lru(256)
_RENDERED = Lru(256)


def _cached(cache: Lru, key: str, make: Callable[[], V]) -> V:
    """``cache[key]``, made (outside the cache's lock) and kept when missing."""
    found: V | None = cache.get(key)
    if found is None:
        found = make()
        cache.put(key, found)
    return found


@dataclass(frozen=True)
class ResolvedDecision:
    parsed: ParsedDecision
    origin: Origin


class DecisionSummary(BaseModel):
    name: str
    origin: Origin = Field(description="shipped (in definitions/decisions/) or tenant (published here)")
    latest_version: int
    versions: list[int]
    description: str | None = None
    hit_policy: str


class DecisionWarning(BaseModel):
    kind: str = Field(
        description="gap, unreachable, overlap, or analysis_truncated (a check ran out of budget)"
    )
    message: str
    rules: list[int] = Field(description="1-based rule numbers")
    witness: dict[str, Any] | None = Field(default=None, description="input values that show it")


class DecisionVersion(BaseModel):
    name: str
    version: int
    origin: Origin
    sha256: str
    description: str | None
    hit_policy: str
    source: str = Field(description="the YAML as published")
    document: dict[str, Any] = Field(description="the table in its canonical form")
    warnings: list[DecisionWarning] = Field(
        description="gaps, unreachable rules and overlaps that are no error"
    )
    markdown: str
    html: str = Field(description="a self-contained <table>, every text escaped")


class Validation(BaseModel):
    valid: bool
    name: str
    version: int
    sha256: str
    warnings: list[DecisionWarning]


# -- shipped and stored tables ----------------------------------------------------------------------------


@functools.cache
def shipped(folder: Path = SHIPPED_DIR) -> dict[str, dict[int, ParsedDecision]]:
    """The tables shipped with Keel: name -> version -> parsed; a broken file is logged and left out."""
    out: dict[str, dict[int, ParsedDecision]] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            parsed = parse(path.read_bytes())
        except DecisionInvalid as exc:
            log.error("shipped decision %s is invalid: %s", path.name, exc)
            continue
        out.setdefault(parsed.table.name, {})[parsed.table.version] = parsed
    return out


def _shipped_version(name: str, version: int | None) -> ParsedDecision:
    versions = shipped()[name]
    chosen = version if version is not None else max(versions)
    if chosen not in versions:
        raise NotFound(f"decision {name} version", chosen)
    return versions[chosen]


def _row_key(session: Session, ctx: TenantContext, name: str, version: int | None) -> tuple[str, int]:
    """(sha256, version) of the tenant's ``name`` at ``version`` (the latest when None): one short row.
    Another tenant's table is as unknown as a missing one (the query and row-level security)."""
    stmt = select(Decision.sha256, Decision.version).where(*mine(ctx, Decision), Decision.name == name)
    if version is not None:
        stmt = stmt.where(Decision.version == version)
    found = session.execute(stmt.order_by(Decision.version.desc()).limit(1)).first()
    if found is None:
        raise NotFound(f"decision {name}" + (f" version {version}" if version is not None else ""))
    return found.sha256, found.version


def _column(session: Session, ctx: TenantContext, name: str, version: int, column: Any) -> Any:
    stmt = select(column).where(*mine(ctx, Decision), Decision.name == name, Decision.version == version)
    return session.scalar(stmt)


def resolve(session: Session, ctx: TenantContext, name: str, version: int | None = None) -> ResolvedDecision:
    """A table by name and version (the latest when None): shipped, else the tenant's; ``NotFound`` for
    a name or version the tenant does not have."""
    if name in shipped():
        return ResolvedDecision(_shipped_version(name, version), "shipped")
    sha256, chosen = _row_key(session, ctx, name, version)

    def load() -> ParsedDecision:
        return parse(_column(session, ctx, name, chosen, Decision.source))

    return ResolvedDecision(_cached(_PARSED, sha256, load), "tenant")


def compiled(session: Session, ctx: TenantContext, name: str, version: int | None = None) -> CompiledTable:
    """The compiled table of ``name`` at ``version`` (the latest when None), compiled once per process."""
    if name in shipped():
        return _shipped_version(name, version).compiled
    sha256, chosen = _row_key(session, ctx, name, version)

    def load() -> CompiledTable:
        # The stored document passed every check when it was published: only the model is rebuilt.
        document = _column(session, ctx, name, chosen, Decision.document)
        return compile_table(DecisionTable.model_validate(document))

    return _cached(_COMPILED, sha256, load)


# -- use cases ----------------------------------------------------------------------------------------------


def evaluate(
    session: Session,
    ctx: TenantContext,
    name: str,
    context: Mapping[str, Any],
    version: int | None = None,
) -> dict[str, Any]:
    """The table's answer for ``context``: outputs, matched rules, the explanation of every rule."""
    ctx.require(READ)
    return compiled(session, ctx, name, version).evaluate(context)


def _warnings(parsed: ParsedDecision) -> list[DecisionWarning]:
    return [DecisionWarning.model_validate(w) for w in parsed.warnings]


def described(parsed: ParsedDecision, origin: Origin) -> DecisionVersion:
    """A version as read: its source, document, warnings and renderings (rendered once per process)."""
    t = parsed.table
    as_markdown, as_html = _cached(_RENDERED, parsed.sha256, lambda: (markdown(t), html(t)))
    return DecisionVersion(
        **t.model_dump(include={"name", "version", "description", "hit_policy"}),
        origin=origin,
        sha256=parsed.sha256,
        source=parsed.source,
        document=parsed.data,
        warnings=_warnings(parsed),
        markdown=as_markdown,
        html=as_html,
    )


def version_detail(session: Session, ctx: TenantContext, name: str, version: int) -> DecisionVersion:
    ctx.require(READ)
    resolved = resolve(session, ctx, name, version)
    return described(resolved.parsed, resolved.origin)


def validate(ctx: TenantContext, source: str | bytes) -> Validation:
    """Every check publishing makes of the table itself; nothing is stored."""
    ctx.require(READ)
    parsed = parse(source)
    t = parsed.table
    return Validation(
        valid=True, name=t.name, version=t.version, sha256=parsed.sha256, warnings=_warnings(parsed)
    )


def publish(session: Session, ctx: TenantContext, source: str | bytes) -> tuple[ParsedDecision, bool]:
    """Publish a version; returns it and whether it is new. The same content again is not an error;
    other content under a published version is a 409, as is a shipped table's name."""
    ctx.require(WRITE)
    parsed = parse(source)
    t = parsed.table
    if t.name in shipped():
        raise Conflict(f"'{t.name}' is a decision shipped with Keel; choose another name.")
    fields = {"description": t.description, "hit_policy": t.hit_policy}
    try:
        with session.begin_nested():
            _, is_new = publish_version(
                session, ctx, Decision, parsed, "decision", t.name, t.version, **fields
            )
    except IntegrityError:
        # Published at the same moment by another request: now it is there, answered as any other time.
        _, is_new = publish_version(session, ctx, Decision, parsed, "decision", t.name, t.version, **fields)
    return parsed, is_new


def listing(
    session: Session, ctx: TenantContext, *, limit: int | None = None, cursor: str | None = None
) -> tuple[list[DecisionSummary], str | None]:
    """Shipped and tenant tables by name, with their versions, a page at a time."""
    ctx.require(READ)
    size = clamp_limit(limit)
    after = cursors.unseal("decisions", cursor).decode() if cursor else ""
    names = select(Decision.name).where(*mine(ctx, Decision), Decision.name > after).distinct()
    page_names = list(session.scalars(names.order_by(Decision.name).limit(size + 1)))
    found: dict[str, DecisionSummary] = {}
    for name, versions in shipped().items():
        if name > after:
            latest = versions[max(versions)].table
            found[name] = DecisionSummary(
                name=name,
                origin="shipped",
                latest_version=latest.version,
                versions=sorted(versions),
                description=latest.description,
                hit_policy=latest.hit_policy,
            )
    rows = select(Decision.name, Decision.version, Decision.description, Decision.hit_policy).where(
        *mine(ctx, Decision), Decision.name.in_(page_names)
    )
    for row in session.execute(rows.order_by(Decision.name, Decision.version)):
        if row.name in shipped():
            continue  # a shipped table of that name came later: the shipped one is what the tenant sees
        entry = found.setdefault(
            row.name,
            DecisionSummary(
                name=row.name, origin="tenant", latest_version=row.version, versions=[], hit_policy=""
            ),
        )
        entry.versions.append(row.version)
        entry.latest_version, entry.description, entry.hit_policy = (
            row.version,
            row.description,
            row.hit_policy,
        )
    ordered = [found[n] for n in sorted(found)]
    page = ordered[:size]
    more = len(ordered) > size
    return page, (cursors.seal("decisions", page[-1].name.encode()) if more else None)

"""Merging duplicates into one surviving record, in one transaction.

The survivor takes attributes from the merged records by a strategy, every edge of a merged record is
repointed to the survivor (dropping those that would duplicate an edge, loop onto the survivor or break
a cardinality), and each merged record is soft-deleted with ``merged_into`` naming the survivor.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Entity, EntityType, Relationship, RelationType
from domain.audit import service as audit
from domain.context import TenantContext
from domain.entities import history, validation
from domain.entities import service as records
from domain.entities.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.entities.relation_schemas import MergeIn, MergeStrategy
from domain.entities.relation_types import ONE_SOURCE, ONE_TARGET
from domain.entities.relationships import integrity_conflict
from domain.events import service as events
from domain.preconditions import check_if_match
from domain.queries import live

STRATEGIES: dict[str, str] = {
    "keep_target": "the survivor keeps its values; attributes it lacks (absent or null) are filled from the "
    "merged records, the first in `from` order that has one",
    "prefer_source": "the merged records' non-null values win, the first in `from` order first; the "
    "survivor's value stays where none of them has one",
    "fill_empty": "like keep_target, but an empty string, list or object on the survivor is filled too",
}


def _absent(value: Any) -> bool:
    return value is None


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or (isinstance(value, str) and not value.strip())


def merge_attributes(
    target: dict[str, Any], sources: list[dict[str, Any]], strategy: MergeStrategy
) -> dict[str, Any]:
    """The survivor's attributes after the merge (see STRATEGIES)."""
    merged = dict(target)
    if strategy == "prefer_source":
        for src in reversed(sources):  # the first source is applied last, so it wins
            merged.update({k: v for k, v in src.items() if v is not None})
        return merged
    missing: Callable[[Any], bool] = _empty if strategy == "fill_empty" else _absent
    for src in sources:
        for key, value in src.items():
            if missing(merged.get(key)) and not missing(value):
                merged[key] = value
    return merged


@dataclass(frozen=True)
class MergeResult:
    survivor: Entity
    merged: list[uuid.UUID]
    repointed: int
    dropped: int


def _load(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    survivor_id: uuid.UUID,
    source_ids: list[uuid.UUID],
) -> tuple[Entity, list[Entity]]:
    """Every record locked (in id order, so two merges cannot deadlock) and checked before any write."""
    wanted = [survivor_id, *source_ids]
    rows = session.scalars(
        live(ctx, Entity, deleted=True)
        .where(Entity.type_id == etype.id, Entity.id.in_(wanted))
        .order_by(Entity.id)
        .with_for_update()
    ).all()
    by_id = {e.id: e for e in rows}
    for i, ident in enumerate(wanted):
        entity = by_id.get(ident)
        if entity is None:
            err = NotFound(etype.name, ident)
            err.details = {"field": "id" if i == 0 else f"/from/{i - 1}"}
            raise err
        if entity.deleted_at is not None:
            where = "merged into " + str(entity.merged_into) if entity.merged_into else "deleted"
            raise Conflict(
                f"The {etype.name} {ident} is already {where}.",
                {"id": str(ident), "merged_into": str(entity.merged_into) if entity.merged_into else None},
            )
    return by_id[survivor_id], [by_id[i] for i in source_ids]


def _check_input(survivor_id: uuid.UUID, source_ids: list[uuid.UUID]) -> None:
    bad = []
    seen: set[uuid.UUID] = set()
    for i, ident in enumerate(source_ids):
        if ident == survivor_id:
            bad.append(FieldError(f"/from/{i}", "a record cannot be merged into itself"))
        elif ident in seen:
            bad.append(FieldError(f"/from/{i}", "is listed twice"))
        seen.add(ident)
    if bad:
        raise ValidationFailed(bad, "The merge is not valid.")


def _repoint(
    session: Session, ctx: TenantContext, survivor: Entity, sources: list[Entity]
) -> tuple[list[Relationship], list[Relationship]]:
    """Edges of the merged records moved to the survivor; the survivor's own edges win any clash, then
    the merged records' in ``from`` order. Hidden edges (an end deleted) move too: they still count."""
    order = {s.id: i for i, s in enumerate(sources)}
    ids = [survivor.id, *order]
    edges = session.scalars(
        live(ctx, Relationship)
        .where(or_(Relationship.source_id.in_(ids), Relationship.target_id.in_(ids)))
        .with_for_update()
    ).all()

    def rank(e: Relationship) -> tuple[int, Any, str]:
        moved = [order[x] for x in (e.source_id, e.target_id) if x in order]
        return (1 + min(moved) if moved else 0, e.created_at, str(e.id))

    def end(x: uuid.UUID) -> uuid.UUID:
        return survivor.id if x in order else x

    edge_keys: set[tuple[uuid.UUID, uuid.UUID, uuid.UUID]] = set()
    one_source: set[tuple[uuid.UUID, uuid.UUID]] = set()
    one_target: set[tuple[uuid.UUID, uuid.UUID]] = set()
    kept, dropped = [], []
    for e in sorted(edges, key=rank):
        s, t = end(e.source_id), end(e.target_id)
        clash = (
            s == t
            or (e.relation_type_id, s, t) in edge_keys
            or (e.cardinality in ONE_SOURCE and (e.relation_type_id, t) in one_source)
            or (e.cardinality in ONE_TARGET and (e.relation_type_id, s) in one_target)
        )
        if clash:
            dropped.append(e)
            continue
        edge_keys.add((e.relation_type_id, s, t))
        one_source.add((e.relation_type_id, t))
        one_target.add((e.relation_type_id, s))
        if (s, t) != (e.source_id, e.target_id):
            kept.append(e)
    now = datetime.now(UTC)
    for e in dropped:  # first, so the moved edges never meet them in the unique indexes
        e.deleted_at = now
    session.flush()
    for e in kept:
        e.source_id, e.target_id = end(e.source_id), end(e.target_id)
    return kept, dropped


def _edge_trail(
    session: Session,
    ctx: TenantContext,
    survivor: Entity,
    moved: list[Relationship],
    dropped: list[Relationship],
) -> None:
    rows = session.execute(
        select(RelationType.id, RelationType.name).where(
            RelationType.id.in_({e.relation_type_id for e in [*moved, *dropped]})
        )
    )
    names = {ident: name for ident, name in rows}
    for e in moved:
        changes = {
            "relation_type": names[e.relation_type_id],
            "source_id": e.source_id,
            "target_id": e.target_id,
        }
        audit.record(session, ctx, "relationship.repointed", "relationship", e.id, changes, flush=False)
    for e in dropped:
        payload = {
            "id": str(e.id),
            "relation_type": names[e.relation_type_id],
            "source_id": str(e.source_id),
            "target_id": str(e.target_id),
            "reason": f"merge into {survivor.id}",
        }
        audit.record(session, ctx, "relationship.deleted", "relationship", e.id, payload, flush=False)
        events.emit(session, ctx, "relationship.deleted", payload, flush=False)


def merge(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    survivor_id: uuid.UUID,
    data: MergeIn,
    *,
    if_match: str | None = None,
) -> MergeResult:
    """Merge ``data.from_`` into the survivor. Every check runs before the first write; any error rolls
    the whole merge back with the caller's transaction."""
    ctx.require("entities:write")
    source_ids = list(data.from_)
    _check_input(survivor_id, source_ids)
    survivor, sources = _load(session, ctx, etype, survivor_id, source_ids)
    check_if_match(if_match, records.etag_of(survivor))
    attributes = merge_attributes(survivor.attributes, [s.attributes for s in sources], data.strategy)
    validation.raise_if_invalid(etype, attributes, survivor.status)

    note = f"merged into {survivor.id}"
    for src in sources:  # first: frees their unique values, which the survivor may take over
        records.delete(session, ctx, etype, src.id, note=note)
        src.merged_into = survivor.id
    try:
        moved, dropped = _repoint(session, ctx, survivor, sources)
        session.flush()
    except IntegrityError as exc:  # a concurrent edge write despite the locks
        raise integrity_conflict(exc, RelationType(name="relationship", cardinality="")) from None
    _edge_trail(session, ctx, survivor, moved, dropped)

    before = history.state_of(survivor)
    old_keys = validation.unique_values(etype, survivor.attributes)
    new_keys = validation.unique_values(etype, attributes)
    records.check_keys(session, ctx, etype, new_keys, survivor.id)
    records.set_attributes(session, ctx, etype, survivor, attributes, old_keys, new_keys)
    names = ", ".join(str(s.id) for s in sources)
    records.record_write(
        session, ctx, etype, survivor, "merged", before, note=f"merged from {names} ({data.strategy})"
    )
    return MergeResult(survivor, source_ids, len(moved), len(dropped))

"""Typed, directed edges between two live records of a tenant, and the neighbourhood around a record.

An edge is hidden while either end is soft-deleted (every read joins both ends on ``deleted_at IS
NULL``); deleting a record touches no edge row, so restoring it brings its edges back. Hidden edges
still count for cardinality, so a restore can never break it. Removing an edge soft-deletes its row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from db.base import utcnow
from db.models import Entity, EntityType, Relationship, RelationType
from domain.audit import service as audit
from domain.context import TenantContext
from domain.entities import bounded, relation_types, safeschema
from domain.entities.relation_schemas import (
    Direction,
    EndRef,
    Neighbourhood,
    Node,
    RelationshipIn,
    RelationshipOut,
)
from domain.entities.relation_types import CardinalityViolation
from domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.events import service as events
from domain.pagination import clamp_limit, decode_cursor, encode_cursor
from domain.queries import live, mine
from domain.unique import add_unique

MAX_DEPTH = 3
MAX_NODES = 500
WALK_TIMEOUT_MS = 5000
SUMMARY_FIELDS = 5


def not_found(what: str, ident: object, field: str) -> NotFound:
    err = NotFound(what, ident)
    err.details = {"field": field}
    return err


def live_entity(
    session: Session,
    ctx: TenantContext,
    entity_id: uuid.UUID,
    *,
    etype: EntityType | None = None,
    role: str = "entity",
    lock: bool = False,
) -> Entity:
    """A live record of the tenant (of ``etype`` when given), else a 404 naming ``role``.

    ``lock`` takes a share lock, so a concurrent delete waits until the edge is written."""
    stmt = live(ctx, Entity).where(Entity.id == entity_id)
    if etype is not None:
        stmt = stmt.where(Entity.type_id == etype.id)
    if lock:
        stmt = stmt.with_for_update(read=True)
    row = session.scalar(stmt)
    if row is None:
        label = f"{role} {etype.name}" if etype is not None else f"{role} entity"
        raise not_found(label.strip(), entity_id, "target_id" if role == "target" else "id")
    return row


def attribute_errors(schema: dict[str, Any] | None, attributes: dict[str, Any]) -> list[FieldError]:
    """Each way ``attributes`` breaks ``schema``, at its JSON pointer under ``/attributes``."""
    if schema is None:
        return []
    out = []
    try:
        validator = safeschema.validator(schema)
    except safeschema.UnsafeSchema as exc:
        return [FieldError("/attributes", f"this relation type's schema must be updated first: {exc}")]
    for err in validator.iter_errors(attributes):
        base = "/attributes" + "".join(f"/{p}" for p in err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict):
            missing = [p for p in err.validator_value if p not in err.instance]
            out += [FieldError(f"{base}/{p}", "is required") for p in missing]
        else:
            out.append(FieldError(base, err.message))
    return sorted(out, key=lambda e: e.field)


def _type_names(session: Session, ctx: TenantContext, type_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = set(type_ids)
    rows = session.execute(
        select(EntityType.id, EntityType.name).where(
            *mine(ctx, EntityType, deleted=True), EntityType.id.in_(ids)
        )
    )
    return {i: n for i, n in rows}


def _check_ends(
    session: Session, ctx: TenantContext, rt: RelationType, source: Entity, target: Entity
) -> tuple[str, str]:
    names = _type_names(session, ctx, [source.type_id, target.type_id])
    s_name, t_name = names[source.type_id], names[target.type_id]
    bad = []
    if rt.source_types and s_name not in rt.source_types:
        bad.append(
            FieldError(
                "/source", f"a {s_name} cannot be the source of {rt.name!r} (allowed: {rt.source_types})"
            )
        )
    if rt.target_types and t_name not in rt.target_types:
        bad.append(
            FieldError(
                "/target_id", f"a {t_name} cannot be the target of {rt.name!r} (allowed: {rt.target_types})"
            )
        )
    if source.id == target.id:
        # Merges drop self-loops too: an edge relates two records, never one with itself.
        bad.append(FieldError("/target_id", "a record cannot be related to itself"))
    if bad:
        raise ValidationFailed(bad)
    return s_name, t_name


def integrity_conflict(exc: IntegrityError, rt: RelationType) -> Conflict:
    """The unique index a write hit, as the error a user understands."""
    constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
    if constraint == "uq_relationships_edge":
        return Conflict(f"This {rt.name!r} relationship already exists.")
    if constraint == "uq_relationships_one_source":
        return CardinalityViolation(
            f"The target already has a source for {rt.name!r} ({rt.cardinality}).",
            {"relation_type": rt.name, "cardinality": rt.cardinality, "side": "target"},
        )
    if constraint == "uq_relationships_one_target":
        return CardinalityViolation(
            f"The source already has a target for {rt.name!r} ({rt.cardinality}).",
            {"relation_type": rt.name, "cardinality": rt.cardinality, "side": "source"},
        )
    raise exc


def to_out(edge: Relationship, rt_name: str, source_type: str, target_type: str) -> RelationshipOut:
    return RelationshipOut(
        id=edge.id,
        relation_type=rt_name,
        source=EndRef(id=edge.source_id, type=source_type),
        target=EndRef(id=edge.target_id, type=target_type),
        attributes=edge.attributes,
        created_at=edge.created_at,
        created_by=edge.created_by,
    )


def _payload(out: RelationshipOut) -> dict[str, Any]:
    return {
        "id": str(out.id),
        "relation_type": out.relation_type,
        "source_type": out.source.type,
        "source_id": str(out.source.id),
        "target_type": out.target.type,
        "target_id": str(out.target.id),
    }


def relate(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    source_id: uuid.UUID,
    relation_type: str,
    data: RelationshipIn,
) -> RelationshipOut:
    """A new edge source → target. 404 naming the missing end, 422 on types/attributes, 409 on cardinality."""
    ctx.require("entities:write")
    rt = relation_types.get(session, ctx, relation_type)
    source = live_entity(session, ctx, source_id, etype=etype, role="source", lock=True)
    target = live_entity(session, ctx, data.target_id, role="target", lock=True)
    s_name, t_name = _check_ends(session, ctx, rt, source, target)
    if bad := attribute_errors(rt.attributes_schema, data.attributes):
        raise ValidationFailed(bad)
    edge = Relationship.new(
        ctx,
        relation_type_id=rt.id,
        cardinality=rt.cardinality,
        source_id=source.id,
        target_id=target.id,
        attributes=data.attributes,
        created_by=ctx.user_id,
    )
    add_unique(session, edge, lambda exc: integrity_conflict(exc, rt))
    out = to_out(edge, rt.name, s_name, t_name)
    audit.record(
        session,
        ctx,
        "relationship.created",
        "relationship",
        edge.id,
        _payload(out) | {"attributes": data.attributes},
    )
    events.emit(session, ctx, "relationship.created", _payload(out))
    return out


def unrelate(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    source_id: uuid.UUID,
    relation_type: str,
    target_id: uuid.UUID,
) -> RelationshipOut:
    """Remove the visible edge source → target (its row is soft-deleted)."""
    ctx.require("entities:write")
    rt = relation_types.get(session, ctx, relation_type)
    source = live_entity(session, ctx, source_id, etype=etype, role="source")
    target = live_entity(session, ctx, target_id, role="target")
    edge = session.scalar(
        live(ctx, Relationship)
        .where(
            Relationship.relation_type_id == rt.id,
            Relationship.source_id == source.id,
            Relationship.target_id == target.id,
        )
        .with_for_update()
    )
    if edge is None:
        raise NotFound(f"{rt.name!r} relationship from {source.id} to", target.id)
    edge.deleted_at = utcnow()
    session.flush()
    names = _type_names(session, ctx, [source.type_id, target.type_id])
    out = to_out(edge, rt.name, names[source.type_id], names[target.type_id])
    audit.record(session, ctx, "relationship.deleted", "relationship", edge.id, _payload(out))
    events.emit(session, ctx, "relationship.deleted", _payload(out))
    return out


def _visible_edges(ctx: TenantContext) -> tuple[Any, Any, Any, Any, Any]:
    """A select of visible edges with their relation type and both ends' type names."""
    src, tgt = aliased(Entity), aliased(Entity)
    st, tt = aliased(EntityType), aliased(EntityType)
    stmt = (
        select(Relationship, RelationType.name, st.name, tt.name)
        .join(RelationType, RelationType.id == Relationship.relation_type_id)
        .join(src, src.id == Relationship.source_id)
        .join(tgt, tgt.id == Relationship.target_id)
        .join(st, st.id == src.type_id)
        .join(tt, tt.id == tgt.type_id)
        .where(
            *mine(ctx, Relationship),
            src.deleted_at.is_(None),
            tgt.deleted_at.is_(None),
        )
    )
    return stmt, src, tgt, st, tt


@dataclass(frozen=True)
class EdgesOf:
    """A record's visible edges in one direction, of one relation type (None: of every type)."""

    etype: EntityType
    entity_id: uuid.UUID
    relation_type: str | None
    direction: Direction = "out"


def _start_of(session: Session, ctx: TenantContext, of: EdgesOf) -> tuple[Entity, RelationType | None]:
    """The live record the edges are read from, and their relation type (None: every type)."""
    rt = relation_types.get(session, ctx, of.relation_type) if of.relation_type else None
    return live_entity(session, ctx, of.entity_id, etype=of.etype), rt


def list_edges(
    session: Session, ctx: TenantContext, of: EdgesOf, *, limit: int | None = None, cursor: str | None = None
) -> tuple[list[RelationshipOut], str | None]:
    """A record's visible edges, newest first."""
    ctx.require("entities:read")
    entity, rt = _start_of(session, ctx, of)
    stmt, _, _, _, _ = _visible_edges(ctx)
    ends = {
        "out": Relationship.source_id == entity.id,
        "in": Relationship.target_id == entity.id,
        "both": or_(Relationship.source_id == entity.id, Relationship.target_id == entity.id),
    }
    stmt = stmt.where(ends[of.direction])
    if rt is not None:
        stmt = stmt.where(Relationship.relation_type_id == rt.id)
    size = clamp_limit(limit)
    if cursor is not None:  # an empty cursor was never issued either
        created, ident = decode_cursor(cursor, "relationships")
        stmt = stmt.where(
            or_(
                Relationship.created_at < created,
                and_(Relationship.created_at == created, Relationship.id < ident),
            )
        )
    rows = session.execute(
        stmt.order_by(Relationship.created_at.desc(), Relationship.id.desc()).limit(size + 1)
    ).all()
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = encode_cursor([rows[-1][0].created_at, rows[-1][0].id], "relationships")
    return [to_out(e, r, s, t) for e, r, s, t in rows], next_cursor


_STEP = {
    "out": ("r.source_id = w.node_id", "r.target_id"),
    "in": ("r.target_id = w.node_id", "r.source_id"),
    "both": (
        "(r.source_id = w.node_id OR r.target_id = w.node_id)",
        "CASE WHEN r.source_id = w.node_id THEN r.target_id ELSE r.source_id END",
    ),
}


def _walk_sql(direction: Direction) -> str:
    # UNION (not UNION ALL) keeps each (node, depth) once, so cycles cost at most MAX_DEPTH rows a node.
    join, step = _STEP[direction]
    return f"""
        WITH RECURSIVE walk(node_id, depth) AS (
            SELECT CAST(:start AS uuid), 0
          UNION
            SELECT {step}, w.depth + 1
            FROM walk w
            JOIN relationships r ON {join}
            JOIN entities s ON s.id = r.source_id AND s.deleted_at IS NULL
            JOIN entities t ON t.id = r.target_id AND t.deleted_at IS NULL
            WHERE w.depth < :depth AND r.tenant_id = :tenant AND r.deleted_at IS NULL
              AND (CAST(:rt AS uuid) IS NULL OR r.relation_type_id = CAST(:rt AS uuid))
        )
        SELECT node_id, min(depth) AS depth FROM walk
        GROUP BY node_id ORDER BY min(depth), node_id LIMIT :cap
    """  # noqa: S608 - only fixed fragments are formatted in


def _summary(etype: EntityType, attributes: dict[str, Any]) -> dict[str, Any]:
    fields = [*((etype.search or {}).get("fields") or []), *((etype.dedup or {}).get("fields") or [])]
    keys = list(dict.fromkeys(f for f in fields if f in attributes)) or list(attributes)[:SUMMARY_FIELDS]
    return {k: attributes[k] for k in keys}


def neighbourhood(session: Session, ctx: TenantContext, of: EdgesOf, *, depth: int = 1) -> Neighbourhood:
    """Records within ``depth`` edges (at most 3) along visible edges, and the edges walked."""
    ctx.require("entities:read")
    if not 1 <= depth <= MAX_DEPTH:
        raise ValidationFailed.one("depth", f"must be between 1 and {MAX_DEPTH}")
    start, rt = _start_of(session, ctx, of)
    params = {
        "start": str(start.id),
        "depth": depth,
        "tenant": str(ctx.tenant_id),  # tenant: the recursive walk is raw SQL, filtered by hand
        "rt": str(rt.id) if rt else None,
        "cap": MAX_NODES + 1,
    }
    # The walk reads every edge within the depth before the node cap applies: bounded in time.
    seconds = WALK_TIMEOUT_MS / 1000
    too_slow = f"The walk took longer than {seconds:g} s; ask for a smaller depth or one relation type."
    with bounded.statement_timeout(session, WALK_TIMEOUT_MS, too_slow):
        found = session.execute(text(_walk_sql(of.direction)), params).all()
    truncated = len(found) > MAX_NODES
    depths: dict[uuid.UUID, int] = {row.node_id: row.depth for row in found[:MAX_NODES]}
    records = session.execute(
        select(Entity, EntityType)
        .join(EntityType, EntityType.id == Entity.type_id)
        .where(*mine(ctx, Entity, deleted=True), Entity.id.in_(list(depths)))
    ).all()
    nodes = sorted(
        (
            Node(id=e.id, type=t.name, depth=depths[e.id], attributes=_summary(t, e.attributes))
            for e, t in records
        ),
        key=lambda n: (n.depth, str(n.id)),
    )
    stmt, _, _, _, _ = _visible_edges(ctx)
    stmt = stmt.where(Relationship.source_id.in_(list(depths)), Relationship.target_id.in_(list(depths)))
    if rt is not None:
        stmt = stmt.where(Relationship.relation_type_id == rt.id)
    edges = []
    for e, r, s, t in session.execute(stmt.order_by(Relationship.created_at, Relationship.id)):
        # An edge was walked if the end it was walked from lies inside the depth limit.
        near = {
            "out": depths[e.source_id],
            "in": depths[e.target_id],
            "both": min(depths[e.source_id], depths[e.target_id]),
        }[of.direction]
        if near < depth:
            edges.append(to_out(e, r, s, t))
    return Neighbourhood(nodes=nodes, edges=edges, truncated=truncated)

"""Relation types: the kinds of directed edge a tenant allows, which entity types they join, how many."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session, aliased

from db.models import Entity, EntityType, Relationship, RelationType
from domain.audit import service as audit
from domain.context import TenantContext
from domain.entities import safeschema
from domain.entities.relation_schemas import RelationTypeIn, RelationTypeUpdate
from domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.queries import live, mine

FIELDS = ["name", "label", "source_types", "target_types", "cardinality", "attributes_schema"]
# Cardinalities that allow a target at most one source / a source at most one target.
ONE_SOURCE = ("one_to_one", "one_to_many")
ONE_TARGET = ("one_to_one",)


class CardinalityViolation(Conflict):
    code = "cardinality_violation"


def get(session: Session, ctx: TenantContext, name: str) -> RelationType:
    row = session.scalar(live(ctx, RelationType).where(RelationType.name == name))
    if row is None:
        raise NotFound("relation type", name)
    return row


def list_all(session: Session, ctx: TenantContext) -> list[RelationType]:
    ctx.require("entity_types:read")
    return list(session.scalars(live(ctx, RelationType).order_by(RelationType.name)))


def _check(session: Session, ctx: TenantContext, data: RelationTypeIn | RelationTypeUpdate) -> None:
    """Every end names an entity type of the tenant; the attributes schema is a valid JSON Schema."""
    names = set(data.source_types) | set(data.target_types)
    known = set(
        session.scalars(select(EntityType.name).where(*mine(ctx, EntityType), EntityType.name.in_(names)))
    )
    bad = [
        FieldError(f"/{side}/{i}", f"no entity type named {name!r}")
        for side, listed in (("source_types", data.source_types), ("target_types", data.target_types))
        for i, name in enumerate(listed)
        if name not in known
    ]
    if data.attributes_schema is not None:
        bad.extend(safeschema.problems_of(data.attributes_schema, "/attributes_schema"))
    if bad:
        raise ValidationFailed(bad)


def create(session: Session, ctx: TenantContext, data: RelationTypeIn) -> RelationType:
    ctx.require("entity_types:write")
    _check(session, ctx, data)
    exists = session.scalar(
        select(RelationType.id).where(*mine(ctx, RelationType, deleted=True), RelationType.name == data.name)
    )
    if exists:
        raise Conflict(f"A relation type named {data.name!r} already exists.")
    row = RelationType.new(
        ctx,
        name=data.name,
        label=data.label,
        source_types=list(dict.fromkeys(data.source_types)),
        target_types=list(dict.fromkeys(data.target_types)),
        cardinality=data.cardinality,
        attributes_schema=data.attributes_schema,
        created_by=ctx.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(session, ctx, "relation_type.created", "relation_type", row.id, audit.diff(None, _snap(row)))
    return row


def _snap(row: RelationType) -> dict[str, Any]:
    return audit.snapshot(row, FIELDS)


def _live_edges(rt: RelationType) -> Any:
    """Edge rows of the type that still count (including those hidden by a deleted end)."""
    return and_(Relationship.relation_type_id == rt.id, Relationship.deleted_at.is_(None))


def _count(session: Session, stmt: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _breaking_ends(session: Session, rt: RelationType, data: RelationTypeUpdate) -> list[FieldError]:
    """Existing edges whose ends the new source/target lists would no longer allow."""
    out = []
    for side, column in (("source_types", Relationship.source_id), ("target_types", Relationship.target_id)):
        allowed: list[str] = getattr(data, side)
        if not allowed:
            continue
        end = aliased(Entity)
        etype = aliased(EntityType)
        stmt = (
            select(Relationship.id)
            .join(end, end.id == column)
            .join(etype, etype.id == end.type_id)
            .where(_live_edges(rt), etype.name.not_in(allowed))
        )
        if n := _count(session, stmt):
            out.append(FieldError(f"/{side}", f"{n} existing relationship(s) have an end of another type"))
    return out


def _over_cardinality(session: Session, rt: RelationType, cardinality: str) -> int:
    """How many ends already hold more edges than the new cardinality allows."""
    n = 0
    if cardinality in ONE_SOURCE:
        stmt = (
            select(Relationship.target_id)
            .where(_live_edges(rt))
            .group_by(Relationship.target_id)
            .having(func.count() > 1)
        )
        n += _count(session, stmt)
    if cardinality in ONE_TARGET:
        stmt = (
            select(Relationship.source_id)
            .where(_live_edges(rt))
            .group_by(Relationship.source_id)
            .having(func.count() > 1)
        )
        n += _count(session, stmt)
    return n


def _breaking_attributes(session: Session, rt: RelationType, schema: dict[str, Any] | None) -> int:
    if schema is None or schema == rt.attributes_schema:
        return 0
    validator = safeschema.validator(schema)
    rows = session.scalars(
        select(Relationship.attributes).where(_live_edges(rt)).execution_options(yield_per=500)
    )
    return sum(1 for attrs in rows if not validator.is_valid(attrs))


def update_type(session: Session, ctx: TenantContext, name: str, data: RelationTypeUpdate) -> RelationType:
    """Replace a relation type; refused (409, with the count) when existing edges would break it."""
    ctx.require("entity_types:write")
    if data.name is not None and data.name != name:
        raise ValidationFailed.one("/name", "a relation type cannot be renamed")
    rt = get(session, ctx, name)
    session.refresh(rt, with_for_update=True)
    _check(session, ctx, data)
    broken = _breaking_ends(session, rt, data)
    if n := _breaking_attributes(session, rt, data.attributes_schema):
        broken.append(FieldError("/attributes_schema", f"{n} existing relationship(s) do not match it"))
    if broken:
        raise Conflict(
            "Existing relationships would no longer fit this relation type.", {"fields": _fields(broken)}
        )
    if data.cardinality != rt.cardinality:
        if n := _over_cardinality(session, rt, data.cardinality):
            raise CardinalityViolation(
                f"{n} record(s) already hold more {name!r} relationships than {data.cardinality} allows.",
                {"count": n},
            )
        session.execute(
            update(Relationship)
            .where(*mine(ctx, Relationship, deleted=True), Relationship.relation_type_id == rt.id)
            .values(cardinality=data.cardinality)
        )
    before = _snap(rt)
    rt.label = data.label
    rt.source_types = list(dict.fromkeys(data.source_types))
    rt.target_types = list(dict.fromkeys(data.target_types))
    rt.cardinality = data.cardinality
    rt.attributes_schema = data.attributes_schema
    session.flush()
    audit.record(session, ctx, "relation_type.updated", "relation_type", rt.id, audit.diff(before, _snap(rt)))
    return rt


def _fields(errors: list[FieldError]) -> list[dict[str, str]]:
    return [{"field": e.field, "message": e.message} for e in errors]


def delete(session: Session, ctx: TenantContext, name: str) -> RelationType:
    """Removed only when no edge uses it (hidden ones included), so no edge loses its meaning."""
    ctx.require("entity_types:write")
    rt = get(session, ctx, name)
    session.refresh(rt, with_for_update=True)
    if n := _count(session, select(Relationship.id).where(_live_edges(rt))):
        raise Conflict(f"{n} relationship(s) use {name!r}; delete them first.", {"count": n})
    before = _snap(rt)
    session.delete(rt)  # removed edges (deleted_at set) go with it
    session.flush()
    audit.record(session, ctx, "relation_type.deleted", "relation_type", rt.id, audit.diff(before, None))
    return rt

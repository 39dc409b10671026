"""Entity types: a tenant's own kinds of records, defined by a JSON Schema and changed in versions.

A schema change that would make a live record invalid is refused with the count of records that would
break; otherwise the type moves to a new version and records keep the version they were written with.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from adapters import cache
from db.models import Entity, EntityKey, EntityType, EntityTypeVersion
from domain.audit import service as audit
from domain.context import TenantContext
from domain.entities import attribute_precheck, validation
from domain.entities.errors import Conflict, FieldError, NotFound, ValidationFailed, conflict
from domain.entities.schemas import EntityTypeIn, EntityTypeUpdate
from domain.events import service as events
from domain.outputs import plain_columns
from domain.pagination import live_page
from domain.queries import live

DEFINITION = ["schema", "unique", "dedup", "search", "statuses"]
FIELDS = ["name", "label", "description", "version", *DEFINITION]
COLUMNS = ["id", "tenant_id", "name", "label", "description", "version", *DEFINITION]
COLUMNS += ["index_collection", "created_by", "created_at", "updated_at"]
CHECK_BATCH = 2000
EXAMPLES = 5


def _key(ctx: TenantContext, name: str) -> str:
    return f"{ctx.tenant_id}:{name}"


def _encode(etype: EntityType) -> dict[str, Any]:
    return plain_columns(etype, COLUMNS)


def _decode(data: dict[str, Any]) -> EntityType:
    """A detached copy for reading: the cache never hands out an object a session tracks."""
    values = dict(data)
    for key in ("id", "tenant_id", "created_by"):
        if isinstance(values.get(key), str):
            values[key] = uuid.UUID(values[key])
    for key in ("created_at", "updated_at"):
        if isinstance(values.get(key), str):
            values[key] = datetime.fromisoformat(values[key])
    return EntityType(**values)


def _load(session: Session, ctx: TenantContext, name: str) -> EntityType | None:
    return session.scalar(live(ctx, EntityType).where(EntityType.name == name))


def get_type(session: Session, ctx: TenantContext, name: str) -> EntityType:
    """The type by name (cache-aside; writes invalidate). Unknown → 404 naming the type."""

    def load() -> EntityType | None:
        row = _load(session, ctx, name)
        return _decode(_encode(row)) if row is not None else None

    found = cache.get_or_load("entity_type", _key(ctx, name), load, encode=_encode, decode=_decode)
    if found is None:
        raise NotFound("entity type", name)
    return found


def _lock(session: Session, ctx: TenantContext, name: str) -> EntityType:
    etype = session.scalar(live(ctx, EntityType).where(EntityType.name == name).with_for_update())
    if etype is None:
        raise NotFound("entity type", name)
    return etype


def list_types(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[EntityType], str | None]:
    ctx.require("entity_types:read")
    return live_page(session, ctx, EntityType, limit=limit, cursor=cursor)


def read_type(session: Session, ctx: TenantContext, name: str) -> EntityType:
    ctx.require("entity_types:read")
    return get_type(session, ctx, name)


def _check_definition(data: EntityTypeIn | EntityTypeUpdate) -> None:
    schema = data.attributes_schema
    errors = validation.check_schema(schema)
    if not errors:
        props = validation.properties_of(schema)
        named: list[tuple[str, list[str]]] = [("/unique", data.unique)]
        if data.dedup:
            named.append(("/dedup/fields", data.dedup.fields))
        if data.search:
            named += [
                ("/search/fields", data.search.fields),
                ("/search/facets", data.search.facets),
                ("/search/sortable", data.search.sortable),
            ]
        for where, names in named:
            errors += [
                FieldError(f"{where}/{i}", f"'{n}' is not an attribute in the schema")
                for i, n in enumerate(names)
                if n not in props
            ]
    if errors:
        raise ValidationFailed(errors, "The entity type is not valid.")


def _definition(data: EntityTypeIn | EntityTypeUpdate) -> dict[str, Any]:
    return {
        "schema": data.attributes_schema,
        "unique": list(dict.fromkeys(data.unique)),
        "dedup": data.dedup.model_dump() if data.dedup else None,
        "search": data.search.model_dump() if data.search else None,
        "statuses": data.statuses,
    }


def _snapshot_version(session: Session, ctx: TenantContext, etype: EntityType) -> None:
    session.add(
        EntityTypeVersion.new(
            ctx,
            entity_type_id=etype.id,
            version=etype.version,
            created_by=ctx.user_id,
            **{k: getattr(etype, k) for k in DEFINITION},
        )
    )


def create_type(session: Session, ctx: TenantContext, data: EntityTypeIn) -> EntityType:
    ctx.require("entity_types:write")
    _check_definition(data)
    if _load(session, ctx, data.name) is not None:
        raise Conflict(f"An entity type named '{data.name}' already exists.", {"name": data.name})
    etype = EntityType.new(
        ctx,
        name=data.name,
        label=data.label,
        description=data.description,
        version=1,
        created_by=ctx.user_id,
        **_definition(data),
    )
    session.add(etype)
    session.flush()
    _snapshot_version(session, ctx, etype)
    audit.record(
        session, ctx, "entity_type.created", "entity_type", etype.id, audit.diff(None, _fields(etype))
    )
    events.emit(session, ctx, "entity_type.changed", {"type": etype.name, "version": 1})
    cache.invalidate("entity_type", _key(ctx, etype.name), session=session)
    return etype


def _fields(etype: EntityType) -> dict[str, Any]:
    return audit.snapshot(etype, FIELDS)


def _live_records(session: Session, etype: EntityType) -> Iterator[list[Entity]]:
    """The type's live records in id order, a batch at a time (a type can hold millions)."""
    last = None
    while True:
        stmt = select(Entity).where(Entity.type_id == etype.id, Entity.deleted_at.is_(None))
        if last is not None:
            stmt = stmt.where(Entity.id > last)
        batch = list(session.scalars(stmt.order_by(Entity.id).limit(CHECK_BATCH)))
        if not batch:
            return
        yield batch
        last = batch[-1].id
        for record in batch:  # seen: let them go, or the session would hold the whole type
            if record not in session.dirty:
                session.expunge(record)


def _breaking_records(session: Session, candidate: EntityType) -> tuple[int, list[dict[str, Any]]]:
    count, examples = 0, list[dict[str, Any]]()
    valid = attribute_precheck.for_type(candidate)  # microseconds a record: a type can hold millions
    statuses = set(candidate.statuses or [])
    for batch in _live_records(session, candidate):
        for record in batch:
            if valid(record.attributes) and (
                not statuses or record.status is None or record.status in statuses
            ):
                continue
            errors = validation.check(candidate, record.attributes, record.status)
            if errors:
                count += 1
                if len(examples) < EXAMPLES:
                    examples.append(
                        {
                            "id": str(record.id),
                            "fields": [{"field": e.field, "message": e.message} for e in errors],
                        }
                    )
    return count, examples


def _duplicate_unique_values(session: Session, etype: EntityType, new_unique: list[str]) -> dict[str, int]:
    """For each newly unique attribute: how many live records share a value with another."""
    clashes = {}
    for name in new_unique:
        value = func.lower(Entity.attributes[name].astext)
        groups = (
            select(func.count().label("n"))
            .where(Entity.type_id == etype.id, Entity.deleted_at.is_(None), Entity.attributes.has_key(name))
            .group_by(value)
            .having(func.count() > 1)
            .subquery()
        )
        dupes = session.scalar(select(func.coalesce(func.sum(groups.c.n), 0)))
        if dupes:
            clashes[name] = int(dupes)
    return clashes


def update_type(session: Session, ctx: TenantContext, name: str, data: EntityTypeUpdate) -> EntityType:
    """A new version, refused (409 ``schema_incompatible``) if a live record would not validate."""
    ctx.require("entity_types:write")
    _check_definition(data)
    etype = _lock(session, ctx, name)
    before = _fields(etype)
    new = _definition(data)
    changed = any(getattr(etype, k) != v for k, v in new.items())
    etype.label, etype.description = data.label, data.description
    if changed:
        # Check the records against the candidate definition before touching anything.
        candidate = EntityType(id=etype.id, name=etype.name, version=etype.version + 1, **new)
        broken, examples = _breaking_records(session, candidate)
        if broken:
            raise conflict(
                "schema_incompatible",
                f"{broken} existing {name} record(s) would not be valid under the new schema.",
                {"invalid_records": broken, "examples": examples},
            )
        added_unique = [u for u in new["unique"] if u not in (etype.unique or [])]
        clashes = _duplicate_unique_values(session, etype, added_unique)
        if clashes:
            raise conflict(
                "unique_violation",
                "Existing records share values of attributes you want unique.",
                {"duplicates": clashes},
            )
        old_dedup, old_unique = etype.dedup, etype.unique
        for key, value in new.items():
            setattr(etype, key, value)
        etype.version += 1
        session.flush()
        _snapshot_version(session, ctx, etype)
        if new["unique"] != old_unique:
            _rebuild_keys(session, ctx, etype)
        if new["dedup"] != old_dedup:
            _rebuild_dedup_text(session, etype)
    session.flush()
    audit.record(
        session, ctx, "entity_type.updated", "entity_type", etype.id, audit.diff(before, _fields(etype))
    )
    if changed:
        events.emit(session, ctx, "entity_type.changed", {"type": etype.name, "version": etype.version})
    cache.invalidate("entity_type", _key(ctx, name), session=session)
    return etype


def _rebuild_keys(session: Session, ctx: TenantContext, etype: EntityType) -> None:
    session.execute(sql_delete(EntityKey).where(EntityKey.type_id == etype.id))
    rows = []
    for batch in _live_records(session, etype):
        for record in batch:
            for field, value in validation.unique_values(etype, record.attributes).items():
                rows.append(
                    {
                        "tenant_id": ctx.tenant_id,
                        "type_id": etype.id,
                        "field": field,
                        "value": value,
                        "entity_id": record.id,
                    }
                )
    if rows:
        session.execute(insert(EntityKey), rows)


def _rebuild_dedup_text(session: Session, etype: EntityType) -> None:
    for batch in _live_records(session, etype):
        for record in batch:
            session.execute(
                update(Entity)
                .where(Entity.id == record.id)
                .values(dedup_text=validation.dedup_text(etype, record.attributes))
                .execution_options(synchronize_session=False)
            )


def list_versions(session: Session, ctx: TenantContext, name: str) -> list[EntityTypeVersion]:
    ctx.require("entity_types:read")
    etype = get_type(session, ctx, name)
    return list(
        session.scalars(
            select(EntityTypeVersion)
            .where(EntityTypeVersion.entity_type_id == etype.id)
            .order_by(EntityTypeVersion.version.desc())
        )
    )

"""Records of a tenant-defined type: create, read, replace, merge-patch, soft delete, restore, revert.

Every write validates against the type's schema, keeps the unique-attribute keys, bumps the record's
version and stores it in history, the audit trail and the event outbox, all in the caller's transaction.
"""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import insert, select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Entity, EntityKey, EntityType
from domain.audit import service as audit
from domain.context import TenantContext
from domain.entities import history, validation
from domain.entities.errors import Conflict, NotFound, ValidationFailed, conflict
from domain.entities.schemas import EntityIn
from domain.errors import PermissionDenied
from domain.events import service as events
from domain.preconditions import check_if_match
from domain.queries import find, live, mine

ON_DUPLICATE = ("reject", "allow")


def etag_of(entity: Entity) -> str:
    return '"' + hashlib.sha256(f"{entity.id}:{entity.version}".encode()).hexdigest()[:32] + '"'


def to_out(entity: Entity, etype: EntityType) -> dict[str, Any]:
    """The JSON shape of a record in every response."""
    return {
        "id": str(entity.id),
        "type": etype.name,
        "external_id": entity.external_id,
        "status": entity.status,
        "attributes": entity.attributes,
        "version": entity.version,
        "schema_version": entity.schema_version,
        "created_at": entity.created_at.isoformat(),
        "updated_at": entity.updated_at.isoformat(),
        "deleted_at": entity.deleted_at.isoformat() if entity.deleted_at else None,
        "created_by": str(entity.created_by) if entity.created_by else None,
        "updated_by": str(entity.updated_by) if entity.updated_by else None,
        "merged_into": str(entity.merged_into) if entity.merged_into else None,
    }


def _fetch(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity_id: uuid.UUID,
    *,
    include_deleted: bool = False,
    for_update: bool = False,
) -> Entity:
    # By primary key only, the type checked here: with the type in the WHERE clause, stale
    # statistics after a bulk load can make PostgreSQL scan a (tenant, type, …) index instead.
    entity = find(session, ctx, Entity, entity_id, deleted=True, for_update=for_update)
    if (
        entity is None
        or entity.type_id != etype.id
        or (entity.deleted_at is not None and not include_deleted)
    ):
        raise NotFound(etype.name, entity_id)
    return entity


def _locked(
    session: Session, ctx: TenantContext, etype: EntityType, entity_id: uuid.UUID, if_match: str | None
) -> Entity:
    """The live record locked for a write, if it is still the version ``if_match`` names (or a 412)."""
    entity = _fetch(session, ctx, etype, entity_id, for_update=True)
    check_if_match(if_match, etag_of(entity))
    return entity


def get(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity_id: uuid.UUID,
    *,
    include_deleted: bool = False,
) -> Entity:
    """One record of the type; another tenant's or another type's id is a 404 like a missing one."""
    ctx.require("entities:read")
    if include_deleted and not ctx.is_admin:
        raise PermissionDenied("Only administrators may read deleted records (include_deleted=true).")
    return _fetch(session, ctx, etype, entity_id, include_deleted=include_deleted)


def by_external_id(session: Session, ctx: TenantContext, etype: EntityType, external_id: str) -> Entity:
    ctx.require("entities:read")
    entity = session.scalar(
        live(ctx, Entity).where(Entity.type_id == etype.id, Entity.external_id == external_id)
    )
    if entity is None:
        raise NotFound(f"{etype.name} with external_id", external_id)
    return entity


def check_keys(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    values: dict[str, str],
    entity_id: uuid.UUID,
) -> None:
    if not values:
        return
    taken = session.execute(
        select(EntityKey.field, EntityKey.entity_id).where(
            *mine(ctx, EntityKey, deleted=True),
            EntityKey.type_id == etype.id,
            tuple_(EntityKey.field, EntityKey.value).in_(list(values.items())),
            EntityKey.entity_id != entity_id,
        )
    ).all()
    if taken:
        raise conflict(
            "unique_violation",
            f"Another {etype.name} already has this {', '.join(sorted(f for f, _ in taken))}.",
            {"fields": [{"field": f"/attributes/{f}", "entity_id": str(e)} for f, e in taken]},
        )


def set_keys(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity_id: uuid.UUID,
    old: dict[str, str],
    new: dict[str, str],
) -> None:
    """Only the keys whose value changed are rewritten (delete first: the same value may come back)."""
    gone = [f for f in old if old[f] != new.get(f)]
    added = [{"field": f, "value": v} for f, v in new.items() if old.get(f) != v]
    if gone:
        session.execute(
            sql_delete(EntityKey).where(EntityKey.entity_id == entity_id, EntityKey.field.in_(gone))
        )
    if added:
        session.execute(
            insert(EntityKey),
            [
                {"id": uuid.uuid4(), "tenant_id": ctx.tenant_id, "type_id": etype.id, "entity_id": entity_id}
                | a
                for a in added
            ],
        )


def set_attributes(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity: Entity,
    attributes: dict[str, Any],
    old_keys: dict[str, str],
    new_keys: dict[str, str],
) -> None:
    """The record's next version holds ``attributes``, read under the type's current schema, and its
    unique keys move from ``old_keys`` to ``new_keys`` (checked by the caller)."""
    entity.attributes = attributes
    entity.schema_version = etype.version
    entity.dedup_text = validation.dedup_text(etype, attributes)
    entity.version += 1
    entity.updated_by = ctx.actor_id
    entity.updated_at = datetime.now(UTC)
    set_keys(session, ctx, etype, entity.id, old_keys, new_keys)


def _check_external_id(
    session: Session, ctx: TenantContext, etype: EntityType, external_id: str | None, entity_id: uuid.UUID
) -> None:
    if external_id is None:
        return
    other = session.scalar(
        select(Entity.id).where(
            *mine(ctx, Entity, deleted=True),
            Entity.type_id == etype.id,
            Entity.external_id == external_id,
            Entity.id != entity_id,
        )
    )
    if other is not None:
        raise conflict(
            "external_id_taken",
            f"Another {etype.name} already has external_id '{external_id}'.",
            {"field": "/external_id", "entity_id": str(other)},
        )


def _flush(session: Session, etype: EntityType) -> None:
    """A concurrent writer can still take a key between our check and our insert: that is a 409 too."""
    try:
        session.flush()
    except IntegrityError as exc:
        raise conflict(
            "unique_violation", f"Another {etype.name} took a unique value or external_id at the same time."
        ) from exc


def record_write(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity: Entity,
    operation: str,
    before: history.State | None,
    *,
    note: str | None = None,
    emit: bool = True,
) -> None:
    """History, audit and the outbox event for a write, then one flush for all of it."""
    history.record(session, ctx, entity, operation, before, note)
    audit.record(
        session,
        ctx,
        f"entity.{operation}",
        etype.name,
        entity.id,
        history.diff(before, history.state_of(entity)),
        flush=False,
    )
    if emit:
        event = {"reverted": "updated"}.get(operation, operation)
        events.emit(
            session,
            ctx,
            f"entity.{event}",
            {"type": etype.name, "id": str(entity.id), "version": entity.version},
            flush=False,
        )
    _flush(session, etype)


def create(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    data: EntityIn,
    *,
    on_duplicate: str = "reject",
    emit: bool = True,
) -> Entity:
    """A new record; 409 ``duplicate_candidates`` when similar records exist (unless allowed)."""
    ctx.require("entities:write")
    if on_duplicate not in ON_DUPLICATE:
        raise ValidationFailed.one("on_duplicate", "must be reject or allow")
    status = validation.default_status(etype, data.status)
    validation.raise_if_invalid(etype, data.attributes, status)
    entity_id = uuid.uuid4()
    keys = validation.unique_values(etype, data.attributes)
    _check_external_id(session, ctx, etype, data.external_id, entity_id)
    if etype.dedup and on_duplicate == "reject":
        from domain.entities import dedup  # the dedup module imports this one's helpers

        found = dedup.candidates(session, ctx, etype, data.attributes)
        if found:
            raise conflict(
                "duplicate_candidates",
                f"{len(found)} similar {etype.name} record(s) exist; "
                "send ?on_duplicate=allow to create anyway.",
                {"candidates": [c.to_json() for c in found]},
            )
    now = datetime.now(UTC)
    entity = Entity.new(
        ctx,
        id=entity_id,
        type_id=etype.id,
        external_id=data.external_id,
        status=status,
        attributes=data.attributes,
        version=1,
        schema_version=etype.version,
        dedup_text=validation.dedup_text(etype, data.attributes),
        merged_into=None,
        created_by=ctx.actor_id,
        updated_by=ctx.actor_id,
        created_at=now,
        updated_at=now,
        deleted_at=None,
    )
    _insert_created(session, ctx, etype, entity, keys, emit=emit)
    return entity


# A create in one round trip: the record, its first version, the audit row and the event as
# data-modifying CTEs; the unique keys are the main statement, whose RETURNING tells whether another
# record holds one of the values (ON CONFLICT DO NOTHING returns fewer rows). Plain SQL: compiling
# the equivalent SQLAlchemy construct on every call cost more than the statement itself.
_CREATE = text("""
    WITH new_entity AS (
        INSERT INTO entities (id, tenant_id, type_id, external_id, status, attributes, version,
                              schema_version, dedup_text, created_by, updated_by, created_at, updated_at)
        VALUES (CAST(:id AS uuid), CAST(:tenant AS uuid), CAST(:type AS uuid), :external_id, :status,
                CAST(:attributes AS jsonb), 1, :schema_version, :dedup_text, CAST(:actor AS uuid),
                CAST(:actor AS uuid), :now, :now)
    ), new_version AS (
        INSERT INTO entity_versions (id, tenant_id, entity_id, version, operation, attributes, status,
                                     external_id, diff, actor_id, actor_type, created_at, updated_at)
        VALUES (gen_random_uuid(), CAST(:tenant AS uuid), CAST(:id AS uuid), 1, 'created',
                CAST(:attributes AS jsonb), :status, :external_id, CAST(:diff AS jsonb), CAST(:actor AS uuid),
                :actor_type, :now, :now)
    ), new_audit AS (
        INSERT INTO audit_log (id, tenant_id, actor_id, actor_type, action, entity_type, entity_id, changes,
                               ip_address, user_agent, correlation_id, created_at, updated_at)
        VALUES (gen_random_uuid(), CAST(:tenant AS uuid), CAST(:actor AS uuid), :actor_type,
                'entity.created', :type_name, :id, CAST(:diff AS jsonb), CAST(:ip AS inet), :user_agent,
                :correlation_id, :now, :now)
    ), new_event AS (
        INSERT INTO outbox_events (id, tenant_id, type, payload, processes_signalled, created_at, updated_at)
        SELECT gen_random_uuid(), CAST(:tenant AS uuid), 'entity.created', CAST(:payload AS jsonb), false,
               :now, :now
        WHERE :emit
    )
    INSERT INTO entity_keys (id, tenant_id, type_id, field, value, entity_id, created_at, updated_at)
    SELECT gen_random_uuid(), CAST(:tenant AS uuid), CAST(:type AS uuid), k.field, k.value, CAST(:id AS uuid),
           :now, :now
    FROM unnest(CAST(:key_fields AS text[]), CAST(:key_values AS text[])) AS k(field, value)
    ON CONFLICT DO NOTHING
    RETURNING field
""")


def _insert_created(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity: Entity,
    keys: dict[str, str],
    *,
    emit: bool,
) -> None:
    """Writes a new record (see ``_CREATE``). The returned entity is not tracked by the session."""
    actor = ctx.actor_id
    params = {
        "id": str(entity.id),
        "tenant": str(ctx.tenant_id),
        "type": str(etype.id),
        "type_name": etype.name,
        "external_id": entity.external_id,
        "status": entity.status,
        "attributes": json.dumps(entity.attributes, ensure_ascii=False),
        "schema_version": entity.schema_version,
        "dedup_text": entity.dedup_text,
        "actor": str(actor) if actor else None,
        "actor_type": ctx.actor_type,
        "now": entity.created_at,
        "diff": json.dumps(history.diff(None, history.state_of(entity)), ensure_ascii=False),
        "ip": ctx.ip,
        "user_agent": ctx.user_agent,
        "correlation_id": ctx.correlation_id,
        "payload": json.dumps({"type": etype.name, "id": str(entity.id), "version": 1}),
        "emit": emit,
        "key_fields": list(keys),
        "key_values": list(keys.values()),
    }
    try:
        written = session.execute(_CREATE, params).all()
    except IntegrityError as exc:  # the external_id was taken since the check
        raise conflict(
            "external_id_taken", f"Another {etype.name} took external_id '{entity.external_id}' meanwhile."
        ) from exc
    if len(written) < len(keys):
        # The caller's transaction (or savepoint) rolls the record back with the error.
        check_keys(session, ctx, etype, keys, entity.id)
        raise conflict("unique_violation", f"Another {etype.name} took a unique value at the same time.")


def _change(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity: Entity,
    attributes: dict[str, Any],
    status: str | None,
    external_id: str | None,
    operation: str,
    *,
    note: str | None = None,
    emit: bool = True,
) -> Entity:
    validation.raise_if_invalid(etype, attributes, status)
    before = history.state_of(entity)
    old_keys = validation.unique_values(etype, entity.attributes)
    new_keys = validation.unique_values(etype, attributes)
    check_keys(session, ctx, etype, new_keys, entity.id)
    _check_external_id(session, ctx, etype, external_id, entity.id)
    if before == {"attributes": attributes, "status": status, "external_id": external_id}:
        return entity  # nothing changed: no new version
    entity.status = status
    entity.external_id = external_id
    set_attributes(session, ctx, etype, entity, attributes, old_keys, new_keys)
    record_write(session, ctx, etype, entity, operation, before, note=note, emit=emit)
    return entity


def replace(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity_id: uuid.UUID,
    data: EntityIn,
    *,
    if_match: str | None = None,
    emit: bool = True,
) -> Entity:
    """PUT: the whole record. Omitted status keeps the current one; omitted external_id clears it."""
    ctx.require("entities:write")
    entity = _locked(session, ctx, etype, entity_id, if_match)
    status = data.status if data.status is not None else entity.status
    return _change(
        session, ctx, etype, entity, data.attributes, status, data.external_id, "updated", emit=emit
    )


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge recursively, null removes a member, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patch(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity_id: uuid.UUID,
    body: Any,
    *,
    if_match: str | None = None,
) -> Entity:
    """PATCH with an RFC 7396 merge patch of the record (``attributes``, ``status``, ``external_id``)."""
    ctx.require("entities:write")
    if not isinstance(body, dict):
        raise ValidationFailed.one("body", "must be a JSON object (an RFC 7396 merge patch)")
    unknown = sorted(set(body) - {"attributes", "status", "external_id"})
    if unknown:
        raise ValidationFailed.one(f"/{unknown[0]}", "is not a member of a record")
    entity = _locked(session, ctx, etype, entity_id, if_match)
    patched = merge_patch(history.state_of(entity), body)
    attributes = patched.get("attributes") or {}
    status = patched.get("status")
    external_id = patched.get("external_id")
    if external_id is not None and (not isinstance(external_id, str) or not 0 < len(external_id) <= 255):
        raise ValidationFailed.one("/external_id", "must be a string of 1 to 255 characters")
    if status is not None and not isinstance(status, str):
        raise ValidationFailed.one("/status", "must be a string")
    return _change(session, ctx, etype, entity, attributes, status, external_id, "updated")


def delete(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity_id: uuid.UUID,
    *,
    if_match: str | None = None,
    note: str | None = None,
    emit: bool = True,
) -> Entity:
    """Soft delete: the record and its edges disappear from reads; its unique values are freed."""
    ctx.require("entities:write")
    entity = _locked(session, ctx, etype, entity_id, if_match)
    before = history.state_of(entity)
    entity.deleted_at = datetime.now(UTC)
    entity.version += 1
    entity.updated_by = ctx.actor_id
    entity.updated_at = entity.deleted_at
    session.execute(sql_delete(EntityKey).where(EntityKey.entity_id == entity.id))
    record_write(session, ctx, etype, entity, "deleted", before, note=note, emit=emit)
    return entity


def restore(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity_id: uuid.UUID,
    *,
    if_match: str | None = None,
) -> Entity:
    """Back from a soft delete, unless another record took one of its unique values meanwhile (409)."""
    ctx.require("entities:write")
    entity = _fetch(session, ctx, etype, entity_id, include_deleted=True, for_update=True)
    if entity.deleted_at is None:
        raise Conflict(f"The {etype.name} is not deleted.", {"id": str(entity.id)})
    check_if_match(if_match, etag_of(entity))
    keys = validation.unique_values(etype, entity.attributes)
    check_keys(session, ctx, etype, keys, entity.id)
    before = history.state_of(entity)
    entity.deleted_at = None
    entity.merged_into = None
    entity.version += 1
    entity.updated_by = ctx.actor_id
    entity.updated_at = datetime.now(UTC)
    set_keys(session, ctx, etype, entity.id, {}, keys)
    record_write(session, ctx, etype, entity, "restored", before)
    return entity


def revert(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    entity_id: uuid.UUID,
    version: int,
    *,
    if_match: str | None = None,
) -> Entity:
    """The record as it was at ``version``, as a new version (valid under today's schema, or 422)."""
    ctx.require("entities:write")
    entity = _locked(session, ctx, etype, entity_id, if_match)
    old = history.get_version(session, ctx, entity.id, version)
    return _change(
        session,
        ctx,
        etype,
        entity,
        old.attributes,
        old.status,
        old.external_id,
        "reverted",
        note=f"reverted to version {version}",
    )

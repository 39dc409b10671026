"""Record history: each change stores the whole record as it became, the diff and who made it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from db.models import Entity, EntityVersion
from domain import cursors
from domain.audit import service as audit
from domain.context import TenantContext
from domain.entities.errors import NotFound, ValidationFailed
from domain.pagination import clamp_limit
from domain.queries import live

State = dict[str, Any]


def state_of(entity: Entity) -> State:
    return {"attributes": entity.attributes, "status": entity.status, "external_id": entity.external_id}


def diff(before: State | None, after: State) -> dict[str, Any]:
    """``{"attributes.city": [old, new], "status": [old, new]}`` for what changed."""

    def flat(s: State | None) -> dict[str, Any]:
        if s is None:
            return {}
        out = {f"attributes.{k}": v for k, v in (s.get("attributes") or {}).items()}
        out |= {k: s.get(k) for k in ("status", "external_id") if s.get(k) is not None}
        return out

    return audit.diff(flat(before), flat(after))


def version_values(
    ctx: TenantContext, entity: Entity, operation: str, before: State | None, note: str | None = None
) -> dict[str, Any]:
    """The version row for the entity's current state, as column values."""
    return {
        "id": uuid.uuid4(),
        "tenant_id": ctx.tenant_id,
        "entity_id": entity.id,
        "version": entity.version,
        "operation": operation,
        "attributes": entity.attributes,
        "status": entity.status,
        "external_id": entity.external_id,
        "diff": diff(before, state_of(entity)),
        "actor_id": ctx.actor_id,
        "actor_type": ctx.actor_type,
        "note": note,
        "created_at": entity.updated_at,
        "updated_at": entity.updated_at,
    }


def record(
    session: Session,
    ctx: TenantContext,
    entity: Entity,
    operation: str,
    before: State | None,
    note: str | None = None,
) -> EntityVersion:
    """Adds the version row for the entity's current state (flushed with the caller's next flush)."""
    row = EntityVersion(**version_values(ctx, entity, operation, before, note))
    session.add(row)
    return row


def list_history(
    session: Session,
    ctx: TenantContext,
    entity_id: uuid.UUID,
    *,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[EntityVersion], str | None]:
    """Newest first, a page at a time: a record changed a million times has a million versions."""
    size = clamp_limit(limit)
    stmt = live(ctx, EntityVersion, deleted=True).where(EntityVersion.entity_id == entity_id)
    if cursor is not None:
        stmt = stmt.where(EntityVersion.version < _before(cursor))
    rows = list(session.scalars(stmt.order_by(EntityVersion.version.desc()).limit(size + 1)))
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, cursors.seal(_CURSOR, str(rows[-1].version).encode())


_CURSOR = "entity_versions"


def _before(cursor: str) -> int:
    try:
        return int(cursors.unseal(_CURSOR, cursor))
    except ValueError as exc:
        raise ValidationFailed.one("cursor", "is not a cursor this list returned") from exc


def get_version(session: Session, ctx: TenantContext, entity_id: uuid.UUID, version: int) -> EntityVersion:
    row = session.scalar(
        live(ctx, EntityVersion, deleted=True).where(
            EntityVersion.entity_id == entity_id, EntityVersion.version == version
        )
    )
    if row is None:
        raise NotFound("version", version)
    return row

"""The audit trail: every mutation records who, what, the diff, from where, in the same transaction."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from db.models import AuditLog
from domain.context import TenantContext
from domain.outputs import plain, plain_columns
from domain.pagination import paginate
from domain.queries import live

# Never copied into a diff, whatever the entity.
SECRET_FIELDS = frozenset({"password", "password_hash", "key_hash", "secret", "token"})


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return plain_columns(obj, [f for f in fields if f not in SECRET_FIELDS])


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """``{field: [old, new]}`` for every field that changed; secrets are named, never shown."""
    before, after = before or {}, after or {}
    out: dict[str, Any] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            out[key] = ["[redacted]", "[redacted]"] if key in SECRET_FIELDS else [plain(old), plain(new)]
    return out


def values(
    ctx: TenantContext, action: str, entity_type: str, entity_id: object, changes: dict[str, Any] | None
) -> dict[str, Any]:
    """An audit row as column values (for callers that insert it with their own statement)."""
    return {
        "id": uuid.uuid4(),
        "tenant_id": ctx.tenant_id,
        "actor_id": ctx.actor_id,
        "actor_type": ctx.actor_type,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "changes": plain(changes or {}),
        "ip_address": ctx.ip,
        "user_agent": ctx.user_agent,
        "correlation_id": ctx.correlation_id,
    }


def record(
    session: Session,
    ctx: TenantContext,
    action: str,
    entity_type: str,
    entity_id: object,
    changes: dict[str, Any] | None = None,
    *,
    flush: bool = True,
) -> AuditLog:
    row = AuditLog(**values(ctx, action, entity_type, entity_id, changes))
    session.add(row)
    if flush:  # callers that write several rows flush once at the end
        session.flush()
    return row


def list_entries(
    session: Session,
    ctx: TenantContext,
    *,
    entity_type: str | None,
    entity_id: str | None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[AuditLog], str | None]:
    ctx.require("audit:read")
    stmt = live(ctx, AuditLog, deleted=True)
    if entity_type:
        stmt = stmt.where(AuditLog.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditLog.entity_id == entity_id)
    return paginate(session, stmt, AuditLog, limit, cursor)

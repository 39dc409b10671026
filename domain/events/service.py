"""Domain events: written to the outbox in the caller's transaction, published later."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from db.models import OutboxEvent
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.events import patterns
from domain.events.catalogue import check_emitted, is_reserved, namespace
from domain.pagination import paginate
from domain.queries import live, mine


def emit(
    session: Session,
    ctx: TenantContext,
    event_type: str,
    payload: dict[str, Any],
    *,
    process_id: uuid.UUID | None = None,
    dedup_key: str | None = None,
    flush: bool = True,
    by_tenant: bool = False,
) -> OutboxEvent:
    """Idempotent on ``dedup_key``: emitting the same key again returns the first event.

    A name in a Keel namespace must be in the catalogue (:class:`UnknownEventType` otherwise);
    an event the tenant chose (``by_tenant``: a definition's ``emit`` step) may not be in one at all.
    """
    if by_tenant and is_reserved(event_type):
        message = f"'{namespace(event_type)}.' is a namespace of Keel's own events (/api/v1/event-types)"
        raise ValidationFailed.one("event", message)
    check_emitted(event_type)
    if dedup_key:
        existing = session.scalar(
            live(ctx, OutboxEvent, deleted=True).where(OutboxEvent.dedup_key == dedup_key)
        )
        if existing:
            return existing
    event = OutboxEvent(
        tenant_id=ctx.tenant_id, type=event_type, payload=payload, process_id=process_id, dedup_key=dedup_key
    )
    session.add(event)
    if flush:
        session.flush()
    return event


def list_events(
    session: Session,
    ctx: TenantContext,
    *,
    event_type: str | None,
    since: datetime | None,
    process_id: uuid.UUID | None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[OutboxEvent], str | None]:
    """A tenant's events, newest first. ``type`` is what a subscription takes: an exact type,
    ``task.*`` (anything under ``task.``) or ``*`` (everything)."""
    ctx.require("events:read")
    if event_type is not None and not patterns.valid(event_type):
        raise ValidationFailed.one("type", patterns.PATTERN_HELP)
    stmt = live(ctx, OutboxEvent, deleted=True)
    if event_type and event_type != "*":
        if event_type.endswith(".*"):
            stmt = stmt.where(OutboxEvent.type.startswith(event_type[:-1], autoescape=True))
        else:
            stmt = stmt.where(OutboxEvent.type == event_type)
    if since:
        stmt = stmt.where(OutboxEvent.created_at >= since)
    if process_id:
        stmt = stmt.where(OutboxEvent.process_id == process_id)
    return paginate(session, stmt, OutboxEvent, limit, cursor)


def next_unpublished(session: Session, ctx: TenantContext, limit: int) -> list[OutboxEvent]:
    """The tenant's oldest events not yet handed out, locked against a concurrent dispatcher."""
    return list(
        session.scalars(
            live(ctx, OutboxEvent, deleted=True)
            .where(OutboxEvent.published_at.is_(None))
            .order_by(OutboxEvent.created_at, OutboxEvent.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def mark_published(
    session: Session, ctx: TenantContext, event_ids: list[uuid.UUID], signalled: list[uuid.UUID]
) -> int:
    """Events handed out (idempotent: published events keep their first publication time)."""
    if not event_ids:
        return 0
    now = datetime.now(UTC)
    result = session.execute(
        update(OutboxEvent)
        .where(
            *mine(ctx, OutboxEvent, deleted=True),
            OutboxEvent.id.in_(event_ids),
            OutboxEvent.published_at.is_(None),
        )
        .values(published_at=now)
    )
    if signalled:
        session.execute(
            update(OutboxEvent)
            .where(*mine(ctx, OutboxEvent, deleted=True), OutboxEvent.id.in_(signalled))
            .values(processes_signalled=True)
        )
    return int(getattr(result, "rowcount", 0) or 0)

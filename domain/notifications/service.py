"""The in-app inbox: a user's notifications and marking them read.

Processes notify the users behind assignee strings through ``domain.deliveries.service.notify``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Notification
from domain.context import TenantContext
from domain.errors import NotFound
from domain.pagination import paginate


def inbox(
    session: Session, ctx: TenantContext, *, unread: bool, limit: int | None, cursor: str | None
) -> tuple[list[Notification], str | None, int]:
    """The caller's in-app notifications, newest first, and how many are unread."""
    mine = select(Notification).where(
        Notification.tenant_id == ctx.tenant_id,
        Notification.user_id == ctx.user_id,
        Notification.deleted_at.is_(None),
    )
    unread_count = session.scalar(
        select(func.count()).select_from(mine.where(Notification.read_at.is_(None)).subquery())
    )
    stmt = mine.where(Notification.read_at.is_(None)) if unread else mine
    rows, next_cursor = paginate(session, stmt, Notification, limit, cursor)
    return rows, next_cursor, int(unread_count or 0)


def mark_read(session: Session, ctx: TenantContext, notification_id: uuid.UUID) -> Notification:
    """Idempotent: reading a read notification changes nothing. Another user's is a 404."""
    row = session.scalar(
        select(Notification).where(
            Notification.id == notification_id,
            Notification.tenant_id == ctx.tenant_id,
            Notification.user_id == ctx.user_id,
            Notification.deleted_at.is_(None),
        )
    )
    if row is None:
        raise NotFound("notification", notification_id)
    if row.read_at is None:
        row.read_at = datetime.now(UTC)
        session.flush()
    return row

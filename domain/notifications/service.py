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
from domain.queries import live


def inbox(
    session: Session, ctx: TenantContext, *, unread: bool, limit: int | None, cursor: str | None
) -> tuple[list[Notification], str | None, int]:
    """The caller's in-app notifications, newest first, and how many are unread."""
    own = live(ctx, Notification).where(Notification.user_id == ctx.user_id)
    unread_count = session.scalar(
        select(func.count()).select_from(own.where(Notification.read_at.is_(None)).subquery())
    )
    stmt = own.where(Notification.read_at.is_(None)) if unread else own
    rows, next_cursor = paginate(session, stmt, Notification, limit, cursor)
    return rows, next_cursor, int(unread_count or 0)


def mark_read(session: Session, ctx: TenantContext, notification_id: uuid.UUID) -> Notification:
    """Idempotent: reading a read notification changes nothing. Another user's is a 404."""
    row = session.scalar(
        live(ctx, Notification).where(Notification.id == notification_id, Notification.user_id == ctx.user_id)
    )
    if row is None:
        raise NotFound("notification", notification_id)
    if row.read_at is None:
        row.read_at = datetime.now(UTC)
        session.flush()
    return row

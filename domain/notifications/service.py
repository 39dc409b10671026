"""The in-app inbox, and how processes notify the users behind assignee strings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Notification, User
from domain.context import TenantContext
from domain.errors import NotFound
from domain.identity import service as identity
from domain.pagination import paginate


def recipients(session: Session, ctx: TenantContext, assignee: str) -> list[User]:
    """The active users an assignee string designates: ``user:<email>`` or every holder of ``role:<name>``."""
    kind, _, name = assignee.partition(":")
    if kind == "user":
        user = identity.find_user_by_email(session, ctx, name.lower())
        return [user] if user else []
    if kind == "role":
        return identity.users_with_role(session, ctx, name)
    return []


def notify(
    session: Session,
    ctx: TenantContext,
    to: list[str],
    *,
    kind: str,
    title: str,
    body: str = "",
    data: dict[str, Any] | None = None,
    category: str = "approvals",
    dedup_prefix: str | None = None,
) -> int:
    """Notify the users the assignee strings designate (in-app now, email through the delivery
    workflow); returns how many users were notified."""
    from domain.deliveries import service as deliveries  # deliveries resolve recipients through here

    return len(
        deliveries.notify_assignees(
            session,
            ctx,
            to,
            kind=kind,
            title=title,
            body=body,
            data=data,
            category=category,
            dedup_prefix=dedup_prefix,
        )
    )


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

"""In-app notifications: rows in the recipients' inbox. Email, SMS and push build on this later."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.models import Notification, User
from domain.context import TenantContext
from domain.identity import service as identity


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
) -> int:
    """One in-app notification per distinct recipient; returns how many were written."""
    seen: set[object] = set()
    for assignee in to:
        for user in recipients(session, ctx, assignee):
            if user.id in seen:
                continue
            seen.add(user.id)
            session.add(
                Notification(
                    tenant_id=ctx.tenant_id,
                    user_id=user.id,
                    kind=kind,
                    title=title[:255],
                    body=body,
                    data=data or {},
                )
            )
    session.flush()
    return len(seen)

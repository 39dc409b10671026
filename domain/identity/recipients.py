"""Who an assignee string designates: the users behind ``user:<email>`` and ``role:<name>``.

It lives with identity (users and roles), so that notifications and deliveries both read it without
importing each other.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import User
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

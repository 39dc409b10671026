"""Changing one's password, and resetting a forgotten one by email.

A reset token (emailed by the API through the notification path) is
``keel_pr_<tenant id>.<reset id>.<secret>``: the tenant part lets the confirmation find its row under
the tenant's row-level security without a lookup function; the row keeps only the token's SHA-256
(256 random bits: a fast hash is safe). A token works once, for 30 minutes, and a newer request
replaces the older ones. Setting a password ends every sign-in session of the user; API keys are
separate credentials and keep working (revoke them with DELETE /api-keys/{id}).
"""

from __future__ import annotations

import secrets as random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from db.models import PasswordReset, User
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import BadRequest, Gone, Unauthenticated, ValidationFailed
from domain.identity import secrets, sessions
from domain.identity.schemas import PASSWORD_MIN
from domain.queries import get_or_404, live, mine, touch

RESET_PREFIX = "keel_pr_"
RESET_MINUTES = 30
INVALID = "The reset token is not valid."
SPENT = "The reset token was used already, replaced by a newer one, or has expired: ask for a new one."


def check_policy(password: str, email: str, field: str = "new_password") -> None:
    """At least ``PASSWORD_MIN`` characters, and not the account's email."""
    if len(password) < PASSWORD_MIN:
        raise ValidationFailed.one(field, f"must be at least {PASSWORD_MIN} characters")
    if password.strip().lower() == email.strip().lower():
        raise ValidationFailed.one(field, "must not be your email address")


def change(session: Session, ctx: TenantContext, current: str, new: str) -> int:
    """Set the caller's password after checking the current one; ends every sign-in session of the
    user, this one included (the answer says so); how many ended."""
    if ctx.user_id is None:
        raise Unauthenticated("A password belongs to a user.")
    user = get_or_404(session, ctx, User, ctx.user_id, "user", for_update=True)
    if not secrets.verify_password(user.password_hash, current):
        raise ValidationFailed.one("current_password", "is not your current password")
    check_policy(new, user.email)
    if secrets.verify_password(user.password_hash, new):
        raise ValidationFailed.one("new_password", "must differ from the current password")
    _set(session, ctx, user, new, "user.password_changed")
    return sessions.revoke_all(session, ctx, user.id, "password_changed")


def _set(session: Session, ctx: TenantContext, user: User, password: str, action: str) -> None:
    user.password_hash = secrets.hash_password(password)
    touch(session, user)
    audit.record(session, ctx, action, "user", user.id, {"password": [None, "set"]})


# -- reset by email --------------------------------------------------------------------------------
def issue_reset(session: Session, ctx: TenantContext, user_id: uuid.UUID, *, ip: str | None) -> str:
    """Write a reset token for the user (earlier ones stop working) and answer it, for the caller to
    email in the same transaction."""
    now = datetime.now(UTC)
    _spend_all(session, ctx, user_id, now)
    row = PasswordReset.new(
        ctx,
        id=uuid.uuid4(),
        user_id=user_id,
        expires_at=now + timedelta(minutes=RESET_MINUTES),
        requested_ip=(ip or "")[:64] or None,
    )
    token = f"{RESET_PREFIX}{ctx.tenant_id.hex}.{row.id.hex}.{random.token_urlsafe(32)}"
    row.token_hash = secrets.digest(token)
    session.add(row)
    session.flush()
    audit.record(session, ctx, "user.password_reset_requested", "user", user_id, {"ip": [None, ip]})
    return token


def _spend_all(session: Session, ctx: TenantContext, user_id: uuid.UUID, now: datetime) -> None:
    session.execute(
        update(PasswordReset)
        .where(*mine(ctx, PasswordReset), PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )


def parse_reset(token: str) -> tuple[uuid.UUID, uuid.UUID]:
    """(tenant id, reset id) of a well-formed token; 400 otherwise."""
    parts = token.removeprefix(RESET_PREFIX).split(".")
    if not token.startswith(RESET_PREFIX) or len(parts) != 3 or not parts[2]:
        raise BadRequest(INVALID)
    try:
        return uuid.UUID(hex=parts[0]), uuid.UUID(hex=parts[1])
    except ValueError as exc:
        raise BadRequest(INVALID) from exc


def confirm_reset(
    session: Session, ctx: TenantContext, reset_id: uuid.UUID, token: str, password: str
) -> int:
    """Set the password the token was issued for and end every session of the user; how many ended.
    An unknown token is a 400; a spent or expired one a 410; a weak password a 422 that spends nothing."""
    row = session.scalar(live(ctx, PasswordReset).where(PasswordReset.id == reset_id).with_for_update())
    if row is None or not random.compare_digest(secrets.digest(token), row.token_hash):
        raise BadRequest(INVALID)
    now = datetime.now(UTC)
    if row.used_at is not None or row.expires_at <= now:
        raise Gone(SPENT)
    user = session.scalar(live(ctx, User).where(User.id == row.user_id, User.is_active).with_for_update())
    if user is None:
        raise Gone(SPENT)
    check_policy(password, user.email)
    _set(session, ctx, user, password, "user.password_reset")
    _spend_all(session, ctx, user.id, now)
    return sessions.revoke_all(session, ctx, user.id, "password_reset")

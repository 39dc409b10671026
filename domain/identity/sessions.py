"""Sign-in sessions: short access tokens plus a refresh token rotated on every use.

A session starts at each sign-in with a password (and the second factor, when the user has one).
Its refresh token is ``keel_rt_<session id>.<generation>.<secret>``; the row keeps the SHA-256 of the
current one. Refreshing answers a new access token and the next refresh token (generation + 1); an
older generation presented again means the token was copied: the whole session (the family) is
revoked, and every access token it issued stops working. Access tokens name their session (``sid``),
so logging out or revoking a session ends them everywhere at once (``forget_principals``).
"""

from __future__ import annotations

import secrets as random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from db.models import AuthSession
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import NotFound, Unauthenticated
from domain.identity import secrets
from domain.identity.revocation import forget_principals
from domain.queries import get_or_404, live, mine

REFRESH_PREFIX = "keel_rt_"
INVALID = "The refresh token is not valid."


@dataclass(frozen=True)
class Started:
    session_id: uuid.UUID
    refresh_token: str


@dataclass(frozen=True)
class Refreshed:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    session_id: uuid.UUID
    refresh_token: str | None  # None: the token was reused and the session is now revoked


def _token(session_id: uuid.UUID, generation: int) -> str:
    return f"{REFRESH_PREFIX}{session_id.hex}.{generation}.{random.token_urlsafe(32)}"


def _parse(plaintext: str) -> tuple[uuid.UUID, int]:
    body = plaintext.removeprefix(REFRESH_PREFIX)
    parts = body.split(".")
    if not plaintext.startswith(REFRESH_PREFIX) or len(parts) != 3 or len(plaintext) > 200:
        raise Unauthenticated(INVALID)
    try:
        return uuid.UUID(hex=parts[0]), int(parts[1])
    except ValueError as exc:
        raise Unauthenticated(INVALID) from exc


def start(
    session: Session,
    ctx: TenantContext,
    user_id: uuid.UUID,
    *,
    ttl_seconds: int,
    mfa: bool,
    ip: str | None,
    user_agent: str | None,
) -> Started:
    """A new session for the user (the caller's transaction is the tenant's)."""
    now = datetime.now(UTC)
    row = AuthSession.new(
        ctx,
        id=uuid.uuid4(),
        user_id=user_id,
        generation=0,
        expires_at=now + timedelta(seconds=ttl_seconds),
        last_used_at=now,
        ip=(ip or "")[:64] or None,
        user_agent=(user_agent or "")[:300] or None,
        mfa=mfa,
    )
    plaintext = _token(row.id, 0)
    row.refresh_hash = secrets.digest(plaintext)
    session.add(row)
    session.flush()
    change = {"user_id": [None, str(user_id)], "mfa": [None, mfa]}
    audit.record(session, ctx, "session.started", "session", row.id, change)
    return Started(row.id, plaintext)


def refresh(session: Session, plaintext: str, *, ip: str | None) -> Refreshed:
    """Rotate the refresh token. ``session`` is tenant-less: the session is found first (through
    ``keel_find_session``), then the tenant's scope is set for the rest of the transaction."""
    session_id, generation = _parse(plaintext)
    found = session.execute(text("SELECT * FROM keel_find_session(:i)"), {"i": session_id}).mappings().first()
    now = datetime.now(UTC)
    if found is None or found["revoked_at"] is not None or found["expires_at"] <= now:
        raise Unauthenticated(INVALID)
    tenant_id = found["tenant_id"]
    session.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
    ctx = TenantContext.system(tenant_id, correlation_id=f"session:{session_id}")
    row = session.scalar(select(AuthSession).where(AuthSession.id == session_id).with_for_update())
    if row is None or row.revoked_at is not None:
        raise Unauthenticated(INVALID)
    if generation < row.generation:
        # An earlier token of this family again: it was copied. End the family (committed by the
        # caller even though the answer is a 401).
        _revoke(session, ctx, row, "reuse")
        return Refreshed(tenant_id, row.user_id, row.id, None)
    if generation != row.generation or not random.compare_digest(secrets.digest(plaintext), row.refresh_hash):
        raise Unauthenticated(INVALID)
    row.generation += 1
    fresh = _token(row.id, row.generation)
    row.refresh_hash = secrets.digest(fresh)
    row.last_used_at = now
    if ip:
        row.ip = ip[:64]
    session.flush()
    return Refreshed(tenant_id, row.user_id, row.id, fresh)


def _revoke(session: Session, ctx: TenantContext, row: AuthSession, reason: str) -> None:
    if row.revoked_at is not None:
        return
    row.revoked_at, row.revoked_reason = datetime.now(UTC), reason
    session.flush()
    forget_principals(session)
    action = "session.reused" if reason == "reuse" else "session.revoked"
    change = {"reason": [None, reason], "user_id": [None, str(row.user_id)]}
    audit.record(session, ctx, action, "session", row.id, change)


def active(session: Session, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool:
    """Whether the session still stands (tokens that name it are honoured)."""
    revoked_or_ended = session.scalar(
        select(AuthSession.id).where(
            *mine(TenantContext.system(tenant_id), AuthSession),
            AuthSession.id == session_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > datetime.now(UTC),
        )
    )
    return revoked_or_ended is not None


def session_out(row: AuthSession, current: uuid.UUID | None) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "created_at": row.created_at.isoformat(),
        "last_used_at": row.last_used_at.isoformat(),
        "expires_at": row.expires_at.isoformat(),
        "ip": row.ip,
        "user_agent": row.user_agent,
        "mfa": row.mfa,
        "current": row.id == current,
    }


def list_mine(session: Session, ctx: TenantContext) -> list[AuthSession]:
    """The caller's standing sessions, newest first."""
    if ctx.user_id is None:
        return []
    stmt = live(ctx, AuthSession).where(
        AuthSession.user_id == ctx.user_id,
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > datetime.now(UTC),
    )
    return list(session.scalars(stmt.order_by(AuthSession.created_at.desc(), AuthSession.id)))


def revoke_mine(session: Session, ctx: TenantContext, session_id: uuid.UUID, reason: str = "revoked") -> None:
    """End one of the caller's sessions (another user's is a 404)."""
    row = get_or_404(session, ctx, AuthSession, session_id, "session", for_update=True)
    if row.user_id != ctx.user_id or row.revoked_at is not None:
        raise NotFound("session", session_id)
    _revoke(session, ctx, row, reason)


def revoke_all(session: Session, ctx: TenantContext, user_id: uuid.UUID, reason: str) -> int:
    """End every standing session of the user; how many there were."""
    ended = (
        session.execute(
            update(AuthSession)
            .where(*mine(ctx, AuthSession), AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC), revoked_reason=reason)
            .returning(AuthSession.id)
        )
        .scalars()
        .all()
    )
    if ended:
        forget_principals(session)
        change = {"sessions": [len(ended), 0], "reason": [None, reason]}
        audit.record(session, ctx, "user.sessions_revoked", "user", user_id, change)
    return len(ended)

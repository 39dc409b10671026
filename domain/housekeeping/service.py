"""What each housekeeping job deletes, one batch of one tenant per call (the caller repeats a purge
until it deletes less than a batch). Every statement is scoped to the caller's tenant, as RLS is.

- idempotency-keys: stored responses past their replay window.
- outbox-retention: published outbox events past ``outbox_days`` whose webhook deliveries are all
  settled and untouched as long (their delivery history goes with them); development outbox
  messages past ``dev_outbox_days``.
- expired-tokens: password reset tokens a day past their expiry; sign-in sessions ended (revoked or
  expired) more than ``session_days`` ago. Rate counters are purged by the limiter itself.
- booking-holds: only holds no booking process is left to expire (see ``orphaned_holds``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from db.models import (
    AuthSession,
    Booking,
    DevOutboxMessage,
    IdempotencyRecord,
    OutboxEvent,
    PasswordReset,
    Tenant,
    WebhookDelivery,
)
from domain.context import TenantContext
from domain.housekeeping.schemas import (
    BATCH,
    IDEMPOTENCY_TTL,
    ORPHANED_HOLD_AFTER,
    RESET_TOKEN_KEPT,
    Job,
    Retention,
)
from domain.queries import mine

Purge = Callable[[Session, TenantContext, datetime, Retention], int]


def tenant_ids(session: Session) -> list[uuid.UUID]:
    """Every tenant. Needs the owner's connection: under RLS the application role sees none."""
    return list(session.scalars(select(Tenant.id).order_by(Tenant.id)))


def _delete_batch(
    session: Session, ctx: TenantContext, model: Any, key: Any, *where: ColumnElement[bool]
) -> int:
    """Delete up to a batch of the tenant's rows matching ``where`` (soft-deleted ones included)."""
    scope = mine(ctx, model, deleted=True)
    chosen = select(key).where(*scope, *where).limit(BATCH)
    result = session.execute(delete(model).where(*scope, key.in_(chosen)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def idempotency_records(session: Session, ctx: TenantContext, now: datetime, _r: Retention) -> int:
    cutoff = now - IDEMPOTENCY_TTL
    return _delete_batch(
        session, ctx, IdempotencyRecord, IdempotencyRecord.key, IdempotencyRecord.created_at < cutoff
    )


def outbox_events(session: Session, ctx: TenantContext, now: datetime, r: Retention) -> int:
    cutoff = now - timedelta(days=r.outbox_days)
    unsettled = exists().where(
        *mine(ctx, WebhookDelivery, deleted=True),
        WebhookDelivery.event_id == OutboxEvent.id,
        or_(WebhookDelivery.status == "pending", WebhookDelivery.updated_at >= cutoff),
    )
    return _delete_batch(
        session, ctx, OutboxEvent, OutboxEvent.id, OutboxEvent.published_at < cutoff, ~unsettled
    )


def dev_outbox(session: Session, ctx: TenantContext, now: datetime, r: Retention) -> int:
    cutoff = now - timedelta(days=r.dev_outbox_days)
    return _delete_batch(
        session, ctx, DevOutboxMessage, DevOutboxMessage.id, DevOutboxMessage.created_at < cutoff
    )


def password_resets(session: Session, ctx: TenantContext, now: datetime, _r: Retention) -> int:
    cutoff = now - RESET_TOKEN_KEPT
    return _delete_batch(session, ctx, PasswordReset, PasswordReset.id, PasswordReset.expires_at < cutoff)


def auth_sessions(session: Session, ctx: TenantContext, now: datetime, r: Retention) -> int:
    # Ended when revoked or expired, whichever came first (LEAST ignores a NULL revoked_at).
    ended = func.least(AuthSession.expires_at, AuthSession.revoked_at)
    cutoff = now - timedelta(days=r.session_days)
    return _delete_batch(session, ctx, AuthSession, AuthSession.id, ended < cutoff)


PURGES: dict[Job, dict[str, Purge]] = {
    "idempotency-keys": {"idempotency_records": idempotency_records},
    "outbox-retention": {"outbox_events": outbox_events, "dev_outbox": dev_outbox},
    "expired-tokens": {"password_resets": password_resets, "auth_sessions": auth_sessions},
}


def orphaned_holds(session: Session, ctx: TenantContext, now: datetime) -> list[uuid.UUID]:
    """Bookings still held well after their hold ended. Each booking's process expires its own hold
    at ``hold_expires_at``; one still held ``ORPHANED_HOLD_AFTER`` later has no process (the API
    stopped between committing it and starting the process), so nothing else would free it."""
    return list(
        session.scalars(
            select(Booking.id)
            .where(
                *mine(ctx, Booking),
                Booking.status == "held",
                Booking.hold_expires_at < now - ORPHANED_HOLD_AFTER,
            )
            .order_by(Booking.hold_expires_at)
            .limit(BATCH)
        )
    )

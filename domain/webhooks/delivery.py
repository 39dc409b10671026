"""One delivery attempt's database side: what to send, and what the answer means for the delivery."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from db.models import OutboxEvent, Webhook, WebhookDelivery, WebhookDeliveryAttempt
from domain.context import TenantContext
from domain.queries import find
from domain.webhooks import signing
from domain.webhooks.schemas import event_body
from keel.crypto import SecretBox

MAX_ERROR = 500


MAX_BODY = 4096  # of a request or response kept per attempt


@dataclass(frozen=True)
class Prepared:
    url: str
    secrets: list[str]  # two during a rotation's overlap: both sign
    msg_id: str
    body: bytes


@dataclass(frozen=True)
class Exchange:
    """One attempt's request and what came back, as recorded and shown at .../attempts."""

    started_at: datetime
    latency_ms: int | None
    url: str
    request_headers: dict[str, str]
    request_body: bytes
    response_status: int | None
    response_headers: dict[str, str] | None
    response_body: bytes | None
    error: str | None


def _text(body: bytes | None) -> str | None:
    return None if body is None else body[:MAX_BODY].decode("utf-8", "replace")


def signing_secrets(hook: Webhook, box: SecretBox, now: datetime) -> list[str]:
    """The secrets a delivery is signed with now: the current one, and the previous one while its
    overlap lasts."""
    out = [box.open(hook.secret)]
    expires = hook.previous_secret_expires_at
    if hook.previous_secret and expires is not None and expires > now:
        out.append(box.open(hook.previous_secret))
    return out


def prepare(session: Session, ctx: TenantContext, delivery_id: uuid.UUID, box: SecretBox) -> Prepared | None:
    """What to POST, or None when the delivery must stop (done already, or its webhook is gone)."""
    row = find(session, ctx, WebhookDelivery, delivery_id, deleted=True)
    if row is None or row.status != "pending":
        return None
    hook = session.get(Webhook, row.webhook_id)
    event = session.get(OutboxEvent, row.event_id)
    if hook is None or event is None or hook.deleted_at is not None or not hook.active:
        deleted = hook is None or hook.deleted_at is not None
        reason = "deleted" if deleted or hook is None else f"disabled ({hook.disabled_reason or 'no reason'})"
        now = datetime.now(UTC)
        row.status, row.completed_at, row.next_attempt_at = "disabled", now, None
        row.last_error = f"not sent: the webhook was {reason}"
        session.flush()
        return None
    body = event_body(event.id, event.type, event.created_at, event.payload or {})
    secrets = signing_secrets(hook, box, datetime.now(UTC))
    return Prepared(hook.url, secrets, signing.message_id(row.id), body)


def record_attempt(
    session: Session,
    ctx: TenantContext,
    delivery_id: uuid.UUID,
    *,
    status_code: int | None,
    error: str | None,
    final: bool,
    next_delay: float | None,
    exchange: Exchange | None = None,
) -> str:
    """Apply one attempt's answer (and keep its request and response); returns the outcome:
    succeeded, gone, retry or failed."""
    row = find(session, ctx, WebhookDelivery, delivery_id, deleted=True, for_update=True)
    if row is None:
        return "failed"
    now = datetime.now(UTC)
    row.attempts += 1
    row.last_status_code, row.last_attempt_at = status_code, now
    row.last_error = error[:MAX_ERROR] if error else None
    if exchange is not None:
        session.add(
            WebhookDeliveryAttempt.new(
                ctx,
                delivery_id=row.id,
                number=row.attempts,
                started_at=exchange.started_at,
                latency_ms=exchange.latency_ms,
                request_url=exchange.url[:2048],
                request_headers=exchange.request_headers,
                request_body=_text(exchange.request_body) or "",
                response_status=exchange.response_status,
                response_headers=exchange.response_headers,
                response_body=_text(exchange.response_body),
                error=exchange.error[:MAX_ERROR] if exchange.error else None,
            )
        )
    if status_code is not None and 200 <= status_code < 300:
        row.status, row.completed_at, row.next_attempt_at = "succeeded", now, None
        outcome = "succeeded"
    elif status_code == 410:
        row.status, row.completed_at, row.next_attempt_at = "disabled", now, None
        hook = session.get(Webhook, row.webhook_id)
        if hook is not None and hook.active:
            hook.active, hook.disabled_at = False, now
            hook.disabled_reason = "the endpoint answered 410 Gone"
        outcome = "gone"
    elif final:
        row.status, row.completed_at, row.next_attempt_at = "failed", now, None
        outcome = "failed"
    else:
        row.next_attempt_at = now + timedelta(seconds=next_delay or 0)
        outcome = "retry"
    session.flush()
    return outcome

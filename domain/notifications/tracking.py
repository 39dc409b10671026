"""Delivery tracking: provider callbacks move a message's status forward; hard bounces suppress.

Statuses only move forward (queued < sending < sent < delivered < opened). ``bounced`` and ``failed``
are terminal and win over anything short of ``opened``; nothing moves a terminal status back.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models import Delivery, DeliveryMessage, DevOutboxMessage, ProviderEvent, Suppression
from domain.context import TenantContext
from domain.errors import NotFound, ValidationFailed
from domain.events import service as events
from domain.pagination import paginate
from domain.queries import find, mine

PROGRESS = {"queued": 0, "sending": 1, "sent": 2, "delivered": 3, "opened": 4}
FAILED = frozenset({"bounced", "failed"})
# Never sent: the address bounced before, or the recipient's preferences ruled the channel out.
SKIPPED = frozenset({"suppressed", "suppressed-by-preference", "cancelled"})
FINAL = FAILED | SKIPPED  # a callback never changes these
REACHED = frozenset({"delivered", "opened"})
# Twilio errors meaning the number can never receive SMS: unreachable, unknown, landline.
TWILIO_HARD_ERRORS = frozenset({"30003", "30005", "30006"})


# -- suppressions -------------------------------------------------------------------------------
def normal_address(channel: str, address: str) -> str:
    address = address.strip()
    return address.lower() if channel == "email" else address


def is_suppressed(session: Session, ctx: TenantContext, channel: str, address: str) -> bool:
    found = session.scalar(
        select(Suppression.id).where(
            *mine(ctx, Suppression),
            Suppression.channel == channel,
            Suppression.address == normal_address(channel, address),
        )
    )
    return found is not None


def suppress(session: Session, ctx: TenantContext, channel: str, address: str, reason: str) -> None:
    """Idempotent: suppressing a suppressed address keeps the first reason."""
    session.execute(
        insert(Suppression)
        .values(
            id=uuid.uuid4(),
            tenant_id=ctx.tenant_id,
            channel=channel,
            address=normal_address(channel, address),
            reason=reason,
        )
        .on_conflict_do_update(
            index_elements=[Suppression.tenant_id, Suppression.channel, Suppression.address],
            set_={"deleted_at": None},
        )
    )


# -- provider events -> statuses ----------------------------------------------------------------
def sendgrid_status(event: Mapping[str, Any]) -> tuple[str, str | None] | None:
    """The status and reason a SendGrid event means, or None for events that change nothing."""
    kind = event.get("event")
    detail = event.get("reason") or event.get("response")
    if kind in ("processed", "deferred"):
        return "sent", None
    if kind == "delivered":
        return "delivered", None
    if kind == "open":
        return "opened", None
    if kind == "bounce":
        status = "bounced" if event.get("type", "bounce") == "bounce" else "failed"
        return status, f"{event.get('type', 'bounce')}: {detail}" if detail else str(
            event.get("type", "bounce")
        )
    if kind == "dropped":
        return "failed", f"dropped: {detail}" if detail else "dropped"
    if kind == "spamreport":
        return "delivered", "spam report"  # it arrived; the address is suppressed all the same
    return None


def twilio_status(form: Mapping[str, str]) -> tuple[str, str | None] | None:
    """The status and reason of a Twilio status callback, or None for statuses Keel does not track."""
    kind = form.get("MessageStatus", "")
    if kind in ("accepted", "scheduled", "queued", "sending", "sent"):
        return "sent", None
    if kind == "delivered":
        return "delivered", None
    if kind == "read":
        return "opened", None
    if kind in ("undelivered", "failed"):
        code = form.get("ErrorCode")
        reason = f"{kind}: error {code}" if code else kind
        if form.get("ErrorMessage"):
            reason += f" ({form['ErrorMessage']})"
        return ("bounced" if code in TWILIO_HARD_ERRORS else "failed"), reason
    return None


def is_hard_bounce(provider: str, payload: Mapping[str, Any]) -> bool:
    """True when the address itself is bad: never send to it again on this channel."""
    if provider == "sendgrid":
        kind = payload.get("event")
        return kind in ("dropped", "spamreport") or (
            kind == "bounce" and payload.get("type", "bounce") == "bounce"
        )
    if provider == "twilio":
        return payload.get("MessageStatus") in ("undelivered", "failed") and (
            str(payload.get("ErrorCode")) in TWILIO_HARD_ERRORS
        )
    return False


def _advances(current: str, new: str) -> bool:
    if current in FINAL or current == new:
        return False
    if new in FAILED:
        return current != "opened"  # a late bounce of a message already read is noise
    return PROGRESS.get(new, -1) > PROGRESS.get(current, -1)


def _find_message(
    session: Session, ctx: TenantContext, message_id: uuid.UUID | None, provider_message_id: str | None
) -> DeliveryMessage:
    base = select(DeliveryMessage).where(*mine(ctx, DeliveryMessage))
    found = None
    if message_id is not None:
        found = session.scalar(base.where(DeliveryMessage.id == message_id).with_for_update())
    if found is None and provider_message_id:
        found = session.scalar(
            base.where(DeliveryMessage.provider_message_id == provider_message_id).with_for_update()
        )
    if found is None:
        raise NotFound("delivery message", message_id or provider_message_id)
    return found


def apply_provider_event(
    session: Session,
    ctx: TenantContext,
    *,
    provider: str,
    event_id: str,
    message_id: uuid.UUID | None,
    provider_message_id: str | None,
    status: str,
    reason: str | None,
    occurred_at: datetime,
    payload: dict[str, Any],
) -> bool:
    """Apply one provider callback once. False when this event was already applied.

    Raises NotFound when the tenant has no such message (the caller ignores the event).
    """
    if status not in PROGRESS and status not in FAILED:
        raise ValidationFailed.one("status", f"{status!r} is not a delivery status")
    message = _find_message(session, ctx, message_id, provider_message_id)
    recorded = session.scalar(
        insert(ProviderEvent)
        .values(
            id=uuid.uuid4(), tenant_id=ctx.tenant_id, provider=provider, event_id=event_id, payload=payload
        )
        .on_conflict_do_nothing(
            index_elements=[ProviderEvent.tenant_id, ProviderEvent.provider, ProviderEvent.event_id]
        )
        .returning(ProviderEvent.id)
    )
    if recorded is None:
        return False
    if message.provider_message_id is None and provider_message_id:
        message.provider_message_id = provider_message_id
    if status in REACHED and message.delivered_at is None:
        message.delivered_at = occurred_at  # an open proves delivery even when that event is lost
    if status == "opened" and message.opened_at is None:
        message.opened_at = occurred_at
    if status == "sent" and message.sent_at is None:
        message.sent_at = occurred_at
    changed = _advances(message.status, status)
    if changed:
        message.status = status
        if status in FAILED:
            message.status_reason = reason
    address = message.address or _payload_address(provider, payload)
    if address and is_hard_bounce(provider, payload):
        suppress(session, ctx, message.channel, address, f"{provider}: {reason or status}")
    session.flush()
    if changed:
        _roll_up(session, ctx, message)
    return True


def _payload_address(provider: str, payload: Mapping[str, Any]) -> str | None:
    value = payload.get("email") if provider == "sendgrid" else payload.get("To")
    return value if isinstance(value, str) else None


def mask(address: str) -> str:
    """``a***@example.com``, ``+44******7890``: enough to recognise, not enough to harvest."""
    if "@" in address:
        local, _, domain = address.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if len(address) > 7:
        return address[:3] + "*" * (len(address) - 7) + address[-4:]
    return "***"


def _roll_up(session: Session, ctx: TenantContext, changed: DeliveryMessage) -> None:
    """The delivery's status from its messages; emits notification.delivered / .failed once each."""
    delivery = find(session, ctx, Delivery, changed.delivery_id, deleted=True, for_update=True)
    if delivery is None or delivery.status in ("cancelled", "delivered"):
        return
    messages = list(
        session.scalars(
            select(DeliveryMessage).where(
                *mine(ctx, DeliveryMessage, deleted=True), DeliveryMessage.delivery_id == delivery.id
            )
        )
    )
    live = [m for m in messages if m.status not in SKIPPED]
    if not live:
        return
    if delivery.strategy == "fallback":
        # One channel reaching the recipient is success; failure only once every channel was tried.
        reached = any(m.status in REACHED for m in live)
        failed = len(messages) >= len(delivery.channels) and all(m.status in FAILED for m in live)
    else:
        reached = all(m.status in REACHED for m in live)
        failed = all(m.status in FAILED for m in live)
    status = "delivered" if reached else "failed" if failed else None
    if status is None or delivery.status == status:
        return
    delivery.status = status
    events.emit(
        session,
        ctx,
        f"notification.{status}",
        {
            "delivery_id": str(delivery.id),
            "channel": changed.channel,
            "status": status,
            "recipient": mask(changed.address or ""),
        },
        dedup_key=f"notification:{delivery.id}:{status}",
    )
    session.flush()


# -- the local dev outbox -----------------------------------------------------------------------
def dev_outbox(
    session: Session,
    ctx: TenantContext,
    *,
    to: str | None,
    channel: str | None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[DevOutboxMessage], str | None]:
    """What the local outbox adapter stored for this tenant, newest first."""
    ctx.require("notifications:read")
    stmt = select(DevOutboxMessage).where(*mine(ctx, DevOutboxMessage))
    if to:
        stmt = stmt.where(DevOutboxMessage.to == to)
    if channel:
        stmt = stmt.where(DevOutboxMessage.channel == channel)
    return paginate(session, stmt, DevOutboxMessage, limit, cursor)

"""Dead letters replayed in bulk, a test delivery on demand, and each delivery's recorded attempts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import WebhookDelivery, WebhookDeliveryAttempt
from domain.context import TenantContext
from domain.errors import Conflict
from domain.events import patterns
from domain.events import service as events
from domain.queries import get_or_404, live, mine
from domain.webhooks import dispatch
from domain.webhooks.errors import ValidationFailed
from domain.webhooks.schemas import ReplayFilter
from domain.webhooks.service import Replay, get_webhook, replay_delivery

TEST_EVENT = "webhook.test"


def replay_many(
    session: Session, ctx: TenantContext, webhook_id: uuid.UUID, data: ReplayFilter
) -> list[Replay]:
    """Every delivery of the subscription in ``data.status`` that the filter selects (oldest first),
    back to pending; the caller starts their workflows after the commit."""
    ctx.require("webhooks:write")
    hook = get_webhook(session, ctx, webhook_id)
    if not hook.active:
        raise Conflict(
            f"The webhook is disabled ({hook.disabled_reason or 'no reason given'}); "
            "re-enable it (PATCH active: true) before replaying.",
            {"webhook_active": False},
        )
    stmt = select(WebhookDelivery.id).where(
        *mine(ctx, WebhookDelivery, deleted=True),
        WebhookDelivery.webhook_id == hook.id,
        WebhookDelivery.status == data.status,
    )
    if data.event_type is not None:
        if not patterns.valid(data.event_type):
            raise ValidationFailed.one("event_type", patterns.PATTERN_HELP)
        if data.event_type.endswith(".*"):
            stmt = stmt.where(WebhookDelivery.event_type.startswith(data.event_type[:-1], autoescape=True))
        elif data.event_type != "*":
            stmt = stmt.where(WebhookDelivery.event_type == data.event_type)
    if data.since is not None:
        stmt = stmt.where(WebhookDelivery.created_at >= data.since)
    if data.until is not None:
        stmt = stmt.where(WebhookDelivery.created_at < data.until)
    if data.delivery_ids is not None:
        stmt = stmt.where(WebhookDelivery.id.in_(data.delivery_ids))
    oldest_first = stmt.order_by(WebhookDelivery.created_at, WebhookDelivery.id)
    ids = list(session.scalars(oldest_first.limit(data.limit)))
    return [replay_delivery(session, ctx, delivery_id) for delivery_id in ids]


def create_test_delivery(session: Session, ctx: TenantContext, webhook_id: uuid.UUID) -> WebhookDelivery:
    """A ``webhook.test`` event for this subscription only: recorded as already handed out (so the
    dispatcher gives it to no other subscription) with one pending delivery."""
    ctx.require("webhooks:write")
    hook = get_webhook(session, ctx, webhook_id)
    if not hook.active:
        raise Conflict(
            f"The webhook is disabled ({hook.disabled_reason or 'no reason given'}); re-enable it first.",
            {"webhook_active": False},
        )
    now = datetime.now(UTC)
    payload = {"webhook_id": str(hook.id), "message": "A test delivery from Keel: the endpoint is reachable."}
    event = events.emit(session, ctx, TEST_EVENT, payload, flush=False)
    event.published_at, event.processes_signalled = now, True
    session.flush()
    row = WebhookDelivery(**dispatch.new_delivery(ctx, hook, event, now))
    session.add(row)
    session.flush()
    row.workflow_id = f"webhook-delivery-{row.id}"
    session.flush()
    return row


def get_delivery(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> WebhookDelivery:
    ctx.require("webhooks:read")
    row = get_or_404(session, ctx, WebhookDelivery, delivery_id, "webhook delivery", deleted=True)
    get_webhook(session, ctx, row.webhook_id)  # a deleted subscription's deliveries are gone too
    return row


def list_attempts(
    session: Session, ctx: TenantContext, delivery_id: uuid.UUID
) -> list[WebhookDeliveryAttempt]:
    """A delivery's attempts, first to last (request and response of each)."""
    row = get_delivery(session, ctx, delivery_id)
    return list(
        session.scalars(
            live(ctx, WebhookDeliveryAttempt, deleted=True)
            .where(WebhookDeliveryAttempt.delivery_id == row.id)
            .order_by(WebhookDeliveryAttempt.number)
        )
    )

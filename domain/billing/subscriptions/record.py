"""A subscription's change recorded: its version bumped, its audit row and its event, in the caller's
transaction. Kept apart from ``service.py`` so the invoices' dunning steps can move a subscription
without importing the subscription's invoicing (which imports theirs)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.base import utcnow
from db.models.subscriptions import Subscription
from domain.audit import service as audit
from domain.billing.subscriptions.views import event_payload
from domain.context import TenantContext
from domain.events import service as events

FIELDS = [
    "status",
    "customer_id",
    "collection",
    "currency",
    "interval",
    "interval_count",
    "trial_end",
    "current_period_start",
    "current_period_end",
    "cancel_at_period_end",
    "canceled_at",
    "paused_at",
]


def changed(
    session: Session,
    ctx: TenantContext,
    sub: Subscription,
    action: str,
    before: dict[str, object] | None,
    event: str | None,
) -> None:
    sub.version += 1
    sub.updated_at = utcnow()
    session.flush()
    audit.record(
        session, ctx, action, "subscription", sub.id, audit.diff(before, audit.snapshot(sub, FIELDS))
    )
    if event is not None:
        key = f"subscription:{sub.id}:{event}:{sub.version}"
        events.emit(session, ctx, f"subscription.{event}", event_payload(sub), dedup_key=key)

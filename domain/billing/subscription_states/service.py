"""A subscription's state changes recorded, and what an invoice's dunning does to the subscription it
bills (the invoices' own steps call ``overdue``, ``paid`` and ``uncollectible``):

- overdue: an active subscription becomes ``past_due`` (invoicing goes on);
- paid: a past_due subscription with no other overdue invoice is ``active`` again;
- uncollectible (dunning ended with ``mark_uncollectible``): an active or past_due subscription is
  ``suspended``: no invoice is made until it is resumed (``POST .../resume``) or canceled.

Each moves the subscription under its row lock, in the invoice's transaction, with its audit row and
event; an invoice of no subscription, or a subscription already moved on, changes nothing.

A package of its own, below both: the subscriptions invoice through the invoices, and the invoices'
dunning moves subscriptions through this, so neither package imports the other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models.invoices import Invoice
from db.models.subscriptions import Subscription
from domain.audit import service as audit
from domain.context import TenantContext
from domain.events import service as events
from domain.queries import live, mine

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


def event_payload(sub: Subscription) -> dict[str, Any]:
    return {
        "subscription_id": str(sub.id),
        "customer_id": str(sub.customer_id),
        "status": sub.status,
        "current_period_start": sub.current_period_start.isoformat(),
        "current_period_end": sub.current_period_end.isoformat(),
        "cancel_at_period_end": sub.cancel_at_period_end,
    }


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


def _move(session: Session, ctx: TenantContext, invoice: Invoice, moves: dict[str, str]) -> None:
    if invoice.subscription_id is None:
        return
    stmt = live(ctx, Subscription).where(Subscription.id == invoice.subscription_id)
    sub = session.scalar(stmt.with_for_update(key_share=True))
    if sub is None or sub.status not in moves:
        return
    to = moves[sub.status]
    if to == "active" and _other_overdue(session, ctx, sub, invoice):
        return
    before = audit.snapshot(sub, FIELDS)
    sub.status = to
    changed(session, ctx, sub, f"subscription.{to}", before, to if to != "active" else "updated")


def _other_overdue(session: Session, ctx: TenantContext, sub: Subscription, paid: Invoice) -> bool:
    today = datetime.now(UTC).date()
    found = session.scalar(
        select(Invoice.id)
        .where(
            *mine(ctx, Invoice),
            Invoice.subscription_id == sub.id,
            Invoice.id != paid.id,
            Invoice.status == "open",
            Invoice.due_on < today,
        )
        .limit(1)
    )
    return found is not None


def overdue(session: Session, ctx: TenantContext, invoice: Invoice) -> None:
    _move(session, ctx, invoice, {"active": "past_due"})


def paid(session: Session, ctx: TenantContext, invoice: Invoice) -> None:
    _move(session, ctx, invoice, {"past_due": "active"})


def uncollectible(session: Session, ctx: TenantContext, invoice: Invoice) -> None:
    _move(session, ctx, invoice, {"active": "suspended", "past_due": "suspended"})

"""Subscriptions as the API answers them and as their events carry them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.billing import Price
from db.models.invoices import Invoice
from db.models.subscriptions import Subscription, SubscriptionInvoice, SubscriptionItem
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.queries import live, mine

LATEST = 10


def items_of(session: Session, ctx: TenantContext, sub: Subscription) -> list[SubscriptionItem]:
    stmt = live(ctx, SubscriptionItem).where(SubscriptionItem.subscription_id == sub.id)
    return list(session.scalars(stmt.order_by(SubscriptionItem.created_at, SubscriptionItem.id)))


def _text(minor: int | None, currency: str) -> str | None:
    return None if minor is None else to_text(minor, currency)


def _items_out(session: Session, ctx: TenantContext, sub: Subscription) -> list[dict[str, Any]]:
    items = items_of(session, ctx, sub)
    ids = [i.price_id for i in items]
    stmt = select(Price.id, Price.unit_amount_minor).where(*mine(ctx, Price, deleted=True), Price.id.in_(ids))
    units = {price_id: unit for price_id, unit in session.execute(stmt)}
    return [
        {
            "id": str(i.id),
            "price": str(i.price_id),
            "kind": i.kind,
            "metric": i.metric_code,
            "quantity": i.quantity,
            "unit_amount": _text(units.get(i.price_id), sub.currency),
        }
        for i in items
    ]


def _invoices_out(session: Session, ctx: TenantContext, sub: Subscription) -> list[dict[str, Any]]:
    rows = session.execute(
        select(SubscriptionInvoice, Invoice)
        .join(Invoice, Invoice.id == SubscriptionInvoice.invoice_id)
        .where(
            *mine(ctx, SubscriptionInvoice),
            *mine(ctx, Invoice),
            SubscriptionInvoice.subscription_id == sub.id,
        )
        .order_by(SubscriptionInvoice.created_at.desc(), SubscriptionInvoice.id.desc())
        .limit(LATEST)
    )
    return [
        {
            "id": str(inv.id),
            "kind": link.kind,
            "period_start": link.period_start.isoformat(),
            "period_end": link.period_end.isoformat(),
            "number": inv.number,
            "status": inv.status,
            "total": to_text(inv.total_minor, inv.currency),
        }
        for link, inv in rows
    ]


def subscription_out(session: Session, ctx: TenantContext, sub: Subscription) -> dict[str, Any]:
    return {
        "id": str(sub.id),
        "customer": str(sub.customer_id),
        "status": sub.status,
        "collection": sub.collection,
        "currency": sub.currency,
        "interval": sub.interval,
        "interval_count": sub.interval_count,
        "items": _items_out(session, ctx, sub),
        "started_at": sub.started_at.isoformat(),
        "trial_end": sub.trial_end.isoformat() if sub.trial_end else None,
        "current_period_start": sub.current_period_start.isoformat(),
        "current_period_end": sub.current_period_end.isoformat(),
        "cancel_at_period_end": sub.cancel_at_period_end,
        "canceled_at": sub.canceled_at.isoformat() if sub.canceled_at else None,
        "paused_at": sub.paused_at.isoformat() if sub.paused_at else None,
        "latest_invoices": _invoices_out(session, ctx, sub),
        "created_at": sub.created_at.isoformat(),
        "updated_at": sub.updated_at.isoformat(),
    }

"""Subscriptions as the API answers them and as their events carry them."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
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


def _items(
    session: Session, ctx: TenantContext, subs: list[Subscription]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Every subscription's live items with their unit amount, in one query."""
    currency = {sub.id: sub.currency for sub in subs}
    rows = session.execute(
        select(SubscriptionItem, Price.unit_amount_minor)
        .join(Price, Price.id == SubscriptionItem.price_id)
        .where(
            *mine(ctx, SubscriptionItem),
            *mine(ctx, Price, deleted=True),
            SubscriptionItem.subscription_id.in_(list(currency)),
        )
        .order_by(SubscriptionItem.created_at, SubscriptionItem.id)
    )
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for item, unit in rows:
        out[item.subscription_id].append(
            {
                "id": str(item.id),
                "price": str(item.price_id),
                "kind": item.kind,
                "metric": item.metric_code,
                "quantity": item.quantity,
                "unit_amount": _text(unit, currency[item.subscription_id]),
            }
        )
    return out


def _invoices(
    session: Session, ctx: TenantContext, subs: list[Subscription]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Every subscription's latest invoices (at most ``LATEST`` each, newest first), in one query."""
    rank = (
        func.row_number()
        .over(
            partition_by=SubscriptionInvoice.subscription_id,
            order_by=(SubscriptionInvoice.created_at.desc(), SubscriptionInvoice.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(SubscriptionInvoice.id, rank)
        .where(*mine(ctx, SubscriptionInvoice), SubscriptionInvoice.subscription_id.in_([s.id for s in subs]))
        .subquery()
    )
    rows = session.execute(
        select(SubscriptionInvoice, Invoice)
        .join(ranked, ranked.c.id == SubscriptionInvoice.id)
        .join(Invoice, Invoice.id == SubscriptionInvoice.invoice_id)
        .where(*mine(ctx, Invoice), ranked.c.rank <= LATEST)
        .order_by(SubscriptionInvoice.created_at.desc(), SubscriptionInvoice.id.desc())
    )
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for link, inv in rows:
        out[link.subscription_id].append(
            {
                "id": str(inv.id),
                "kind": link.kind,
                "period_start": link.period_start.isoformat(),
                "period_end": link.period_end.isoformat(),
                "number": inv.number,
                "status": inv.status,
                "total": to_text(inv.total_minor, inv.currency),
            }
        )
    return out


def subscriptions_out(session: Session, ctx: TenantContext, subs: list[Subscription]) -> list[dict[str, Any]]:
    """A page of subscriptions in three queries whatever its size (the page, items, invoices)."""
    if not subs:
        return []
    items, invoices = _items(session, ctx, subs), _invoices(session, ctx, subs)
    return [
        {
            "id": str(sub.id),
            "customer": str(sub.customer_id),
            "status": sub.status,
            "collection": sub.collection,
            "currency": sub.currency,
            "interval": sub.interval,
            "interval_count": sub.interval_count,
            "items": items.get(sub.id, []),
            "started_at": sub.started_at.isoformat(),
            "trial_end": sub.trial_end.isoformat() if sub.trial_end else None,
            "current_period_start": sub.current_period_start.isoformat(),
            "current_period_end": sub.current_period_end.isoformat(),
            "cancel_at_period_end": sub.cancel_at_period_end,
            "canceled_at": sub.canceled_at.isoformat() if sub.canceled_at else None,
            "paused_at": sub.paused_at.isoformat() if sub.paused_at else None,
            "latest_invoices": invoices.get(sub.id, []),
            "created_at": sub.created_at.isoformat(),
            "updated_at": sub.updated_at.isoformat(),
        }
        for sub in subs
    ]


def subscription_out(session: Session, ctx: TenantContext, sub: Subscription) -> dict[str, Any]:
    return subscriptions_out(session, ctx, [sub])[0]

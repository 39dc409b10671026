"""The invoices a subscription produces, each once.

- licensed: at a period's start, in advance, its licensed items (unit price x quantity);
- usage: at a period's end (or when it is cut short by a cancel or a pause), in arrears, each usage
  item's metric aggregated over the period's events of this subscription, priced by its model;
- proration: at a change of items mid-period (``proration.py``).

Each is an ordinary invoice (draft, then finalized with its number and the customer's credit
applied), linked to the subscription by a ``subscription_invoices`` row whose key
(``licensed:<period start>``, ``usage:<period start>``, ``proration:<change>``) is unique: callers
hold the subscription's row lock, and the unique index is the last guard, so a retried activity or a
restarted worker never invoices twice. An invoice with nothing to charge is not made.

``charge_automatically`` makes the invoice due on issue (0 days) and charged to the customer's saved
payment method by its workflow (with retries, see ``stripe/charges.py``); ``send_invoice`` is due
after the customer's payment terms.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models.billing import Price, Product
from db.models.invoices import Invoice
from db.models.subscriptions import Subscription, SubscriptionInvoice, SubscriptionItem
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import InvoiceIn, LineIn
from domain.billing.money import to_text
from domain.billing.subscriptions.usage_price import amount_minor
from domain.billing.subscriptions.views import items_of
from domain.billing.usage import aggregate
from domain.billing.usage.metrics import find_live
from domain.context import TenantContext
from domain.errors import NotFound
from domain.queries import live, mine


@dataclass(frozen=True)
class Metered:
    item: SubscriptionItem
    price: Price
    product: Product
    quantity: Decimal
    amount_minor: int


def key_of(kind: str, start: datetime) -> str:
    return f"{kind}:{start.isoformat()}"


def _span(start: datetime, end: datetime) -> str:
    return f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"


def catalogue(
    session: Session, ctx: TenantContext, items: list[SubscriptionItem]
) -> tuple[dict[uuid.UUID, Price], dict[uuid.UUID, Product]]:
    """The items' prices and products, deleted ones included (what was sold stays billable)."""
    ids = [i.price_id for i in items]
    prices = {p.id: p for p in session.scalars(live(ctx, Price, deleted=True).where(Price.id.in_(ids)))}
    pids = [p.product_id for p in prices.values()]
    products = {
        p.id: p for p in session.scalars(live(ctx, Product, deleted=True).where(Product.id.in_(pids)))
    }
    return prices, products


def catalogue_products(
    session: Session, ctx: TenantContext, ids: list[uuid.UUID]
) -> dict[uuid.UUID, Product]:
    stmt = live(ctx, Product, deleted=True).where(Product.id.in_(ids))
    return {p.id: p for p in session.scalars(stmt)}


def already(session: Session, ctx: TenantContext, sub: Subscription, key: str) -> bool:
    return (
        session.scalar(
            select(SubscriptionInvoice.id).where(
                *mine(ctx, SubscriptionInvoice),
                SubscriptionInvoice.subscription_id == sub.id,
                SubscriptionInvoice.key == key,
            )
        )
        is not None
    )


def issue(
    session: Session,
    ctx: TenantContext,
    sub: Subscription,
    lines: list[LineIn],
    *,
    kind: str,
    key: str,
    period: tuple[datetime, datetime],
) -> Invoice:
    """A finalized invoice of ``lines`` for the subscription, linked under ``key``."""
    due_days = 0 if sub.collection == "charge_automatically" else None
    memo = f"Subscription {sub.id}: {kind} {_span(*period)}"
    body = InvoiceIn(
        customer=sub.customer_id, lines=lines, due_days=due_days, memo=memo, collection=sub.collection
    )
    draft = invoices.create(session, ctx, body)
    draft.subscription_id = sub.id
    invoice = invoices.finalize(session, ctx, draft.id)
    session.add(
        SubscriptionInvoice.new(
            ctx,
            subscription_id=sub.id,
            invoice_id=invoice.id,
            key=key,
            kind=kind,
            period_start=period[0],
            period_end=period[1],
            handed=False,
        )
    )
    session.flush()
    return invoice


def invoice_licensed(
    session: Session, ctx: TenantContext, sub: Subscription, start: datetime, end: datetime
) -> Invoice | None:
    """The period's licensed items, in advance (once per period)."""
    key = key_of("licensed", start)
    licensed = [i for i in items_of(session, ctx, sub) if i.kind == "licensed"]
    if not licensed or already(session, ctx, sub, key):
        return None
    prices, products = catalogue(session, ctx, licensed)
    lines = []
    for item in licensed:
        price = prices[item.price_id]
        name = products[price.product_id].name if price.product_id in products else "Subscription"
        assert price.unit_amount_minor is not None  # a licensed price has one (catalogue rule)
        lines.append(
            LineIn(
                description=f"{name} x {item.quantity} ({_span(start, end)})"[:500],
                unit_amount=to_text(price.unit_amount_minor, price.currency),
                quantity=str(item.quantity),
                tax_category=products[price.product_id].tax_category
                if price.product_id in products
                else None,
            )
        )
    return issue(session, ctx, sub, lines, kind="licensed", key=key, period=(start, end))


def usage_items(
    session: Session, ctx: TenantContext, sub: Subscription, start: datetime, end: datetime
) -> list[tuple[SubscriptionItem, datetime, datetime]]:
    """The usage items billed in ``[start, end)``, each with its own part of it: from when it was
    added (or the start) to when a change removed it (or the end)."""
    stmt = live(ctx, SubscriptionItem, deleted=True).where(
        SubscriptionItem.subscription_id == sub.id,
        SubscriptionItem.kind == "usage",
        or_(SubscriptionItem.deleted_at.is_(None), SubscriptionItem.deleted_at > start),
        SubscriptionItem.created_at < end,
    )
    out = []
    for item in session.scalars(stmt.order_by(SubscriptionItem.created_at, SubscriptionItem.id)):
        since = max(start, item.created_at)
        until = min(end, item.deleted_at) if item.deleted_at is not None else end
        if until > since:
            out.append((item, since, until))
    return out


def metered(
    session: Session, ctx: TenantContext, sub: Subscription, start: datetime, end: datetime
) -> list[Metered]:
    """Each usage item's quantity over its part of ``[start, end)`` (this subscription's events) and
    its cost."""
    if end <= start:
        return []
    usage = usage_items(session, ctx, sub, start, end)
    if not usage:
        return []
    prices, products = catalogue(session, ctx, [item for item, _, _ in usage])
    out = []
    for item, since, until in usage:
        price = prices[item.price_id]
        assert price.usage is not None and item.metric_code is not None
        try:
            metric = find_live(session, ctx, item.metric_code)
        except NotFound:
            continue  # a deleted metric meters nothing new
        qty = aggregate.quantity(session, ctx, metric, sub.customer_id, since, until, sub.id)
        cost = amount_minor(price.usage, price.unit_amount_minor, qty)
        out.append(Metered(item, price, products[price.product_id], qty, cost))
    return out


def invoice_usage(
    session: Session, ctx: TenantContext, sub: Subscription, start: datetime, end: datetime
) -> Invoice | None:
    """The usage of ``[start, end)``, in arrears (once per period; ``end`` is earlier than the
    period's when a cancel or a pause cut it short)."""
    key = key_of("usage", start)
    if already(session, ctx, sub, key):
        return None
    lines = [
        LineIn(
            description=f"{m.product.name}: {m.quantity.normalize():f} {m.item.metric_code} "
            f"({_span(start, end)})"[:500],
            unit_amount=to_text(m.amount_minor, sub.currency),
            quantity="1",
            tax_category=m.product.tax_category,
        )
        for m in metered(session, ctx, sub, start, end)
        if m.amount_minor > 0
    ]
    if not lines:
        return None
    return issue(session, ctx, sub, lines, kind="usage", key=key, period=(start, end))

"""A change of a subscription's items mid-period, prorated (the rule is in ``proration.py``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer, Price, Product
from db.models.subscriptions import Subscription, SubscriptionItem
from domain.audit import service as audit
from domain.billing.catalog import taxes
from domain.billing.invoices.lines import tax_of
from domain.billing.invoices.schemas import LineIn
from domain.billing.money import to_text
from domain.billing.subscriptions import billing, items
from domain.billing.subscriptions import service as subscriptions
from domain.billing.subscriptions.errors import FieldError, ValidationFailed
from domain.billing.subscriptions.proration import fraction_left, prorate
from domain.billing.subscriptions.schemas import SubscriptionPatch
from domain.billing.subscriptions.views import items_of
from domain.context import TenantContext
from domain.queries import get_or_404

CHANGEABLE = ("trialing", "active", "past_due")


def _lines(
    olds: list[SubscriptionItem],
    news: list[tuple[Price, int]],
    prices: dict[uuid.UUID, Price],
    left: int,
    total: int,
) -> tuple[list[tuple[Price, int, int]], list[tuple[Price, int, int]]]:
    """(credits, charges) as (price, quantity, prorated amount); kept items are left out."""
    kept = {(p.id, q) for p, q in news} & {(i.price_id, i.quantity) for i in olds}
    credits = []
    for item in olds:
        price = prices[item.price_id]
        if item.kind == "licensed" and (item.price_id, item.quantity) not in kept:
            assert price.unit_amount_minor is not None
            credits.append(
                (price, item.quantity, prorate(price.unit_amount_minor, item.quantity, left, total))
            )
    charges = [
        (p, q, prorate(p.unit_amount_minor, q, left, total))
        for p, q in news
        if p.usage is None and p.unit_amount_minor is not None and (p.id, q) not in kept
    ]
    return credits, charges


def _credit_gross(
    session: Session,
    ctx: TenantContext,
    customer: BillingCustomer,
    credits: list[tuple[Price, int, int]],
    products: dict[uuid.UUID, Product],
) -> int:
    seller = taxes.seller_settings(session, ctx)
    gross = 0
    for price, _, amount in credits:
        product = products.get(price.product_id)
        category = product.tax_category if product else taxes.DEFAULT_CATEGORY
        decision = taxes.resolve(session, ctx, customer, category, seller)
        net, tax = tax_of(amount, decision.percentage, decision.inclusive)
        gross += net + tax
    return gross


def change_items(
    session: Session, ctx: TenantContext, subscription_id: uuid.UUID, body: SubscriptionPatch
) -> Subscription:
    ctx.require(subscriptions.WRITE)
    sub = subscriptions.locked(session, ctx, subscription_id)
    if sub.status not in CHANGEABLE:
        raise subscriptions.Conflict(
            f"The subscription is {sub.status}: its items cannot change.", {"status": sub.status}
        )
    customer = get_or_404(session, ctx, BillingCustomer, sub.customer_id, "customer", for_update=True)
    checked = items.check(session, ctx, customer, body.items)
    if (checked.interval, checked.interval_count) != (sub.interval, sub.interval_count):
        raise ValidationFailed(
            [
                FieldError(
                    "items.0.price",
                    f"bills every {checked.interval_count} {checked.interval}, the subscription every "
                    f"{sub.interval_count} {sub.interval}",
                )
            ]
        )
    before = audit.snapshot(sub, subscriptions.FIELDS)
    olds = items_of(session, ctx, sub)
    old_view = [{"price": str(i.price_id), "quantity": i.quantity} for i in olds]
    at = subscriptions.now()
    if sub.status != "trialing":
        _prorate(session, ctx, sub, customer, olds, checked.items, at)
    # An item kept as it was stays (its usage keeps counting); the others end now and the new ones
    # start now: a usage item meters only the events of its own part of the period.
    wanted = list(checked.items)
    for item in olds:
        same = next((n for n in wanted if (n[0].id, n[1]) == (item.price_id, item.quantity)), None)
        if same is not None:
            wanted.remove(same)
        else:
            item.deleted_at = at
    session.add_all(items.build(ctx, sub.id, wanted, at))
    session.flush()
    subscriptions.changed(session, ctx, sub, "subscription.items_changed", before, "updated")
    new_view = [{"price": str(p.id), "quantity": q} for p, q in checked.items]
    audit.record(
        session, ctx, "subscription.items_replaced", "subscription", sub.id, {"items": [old_view, new_view]}
    )
    return sub


def _prorate(
    session: Session,
    ctx: TenantContext,
    sub: Subscription,
    customer: BillingCustomer,
    olds: list[SubscriptionItem],
    news: list[tuple[Price, int]],
    at: Any,
) -> None:
    # The period's licensed invoice must exist before the old items are credited against it.
    billing.invoice_licensed(session, ctx, sub, sub.current_period_start, sub.current_period_end)
    prices, products = billing.catalogue(session, ctx, olds)
    for price, _ in news:
        prices.setdefault(price.id, price)
    more = [p.product_id for p, _ in news if p.product_id not in products]
    if more:
        products.update(billing.catalogue_products(session, ctx, more))
    left, total = fraction_left(sub.current_period_start, sub.current_period_end, at)
    credits, charges = _lines(olds, news, prices, left, total)
    gross = _credit_gross(session, ctx, customer, credits, products)
    change_id = uuid.uuid4()
    if gross:
        customer.credit_minor += gross
        audit.record(
            session,
            ctx,
            "customer.credit_added",
            "customer",
            customer.id,
            {
                "credit_minor": [customer.credit_minor - gross, customer.credit_minor],
                "subscription_id": str(sub.id),
                "proration": str(change_id),
                "lines": [
                    {"price": str(p.id), "quantity": q, "credit": to_text(a, sub.currency)}
                    for p, q, a in credits
                ],
            },
        )
        session.flush()
    span = f"{at:%Y-%m-%d %H:%M:%S} to {sub.current_period_end:%Y-%m-%d %H:%M:%S} UTC"
    lines = [
        LineIn(
            description=f"Remaining time: {products[p.product_id].name} x {q} ({span})"[:500],
            unit_amount=to_text(amount, sub.currency),
            quantity="1",
            tax_category=products[p.product_id].tax_category,
        )
        for p, q, amount in charges
        if amount > 0
    ]
    if lines:
        billing.issue(
            session,
            ctx,
            sub,
            lines,
            kind="proration",
            key=f"proration:{change_id}",
            period=(at, sub.current_period_end),
        )

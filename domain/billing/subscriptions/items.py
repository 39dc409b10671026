"""A subscription's items checked against the catalogue: every price recurring, live and active, in
the customer's currency, all on one interval; whole quantities for licensed prices, 1 for usage."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer, Price
from db.models.subscriptions import SubscriptionItem
from domain.billing import money
from domain.billing.subscriptions.errors import FieldError, ValidationFailed
from domain.billing.subscriptions.schemas import ItemIn
from domain.context import TenantContext
from domain.queries import live

LINE_LIMIT = money.MAX_MINOR // 1000  # the largest line an invoice takes (``invoices/lines.py``)


@dataclass(frozen=True)
class Checked:
    """Items ready to store, with the interval they share."""

    items: list[tuple[Price, int]]
    interval: str
    interval_count: int


def _problem(price: Price | None, customer: BillingCustomer) -> str | None:
    if price is None:
        return "is not a price of this tenant"
    if price.type != "recurring" or price.interval is None:
        return "is a one-time price: a subscription takes recurring prices only"
    if not price.active:
        return "is not active"
    if price.currency != customer.currency:
        return f"is in {price.currency}, the customer is billed in {customer.currency}"
    return None


def check(session: Session, ctx: TenantContext, customer: BillingCustomer, given: list[ItemIn]) -> Checked:
    """The items as stored, or one 422 naming every bad ``items.N.<field>``."""
    ids = {item.price for item in given}
    prices = {p.id: p for p in session.scalars(live(ctx, Price).where(Price.id.in_(ids)))}
    bad: list[FieldError] = []
    seen: dict[uuid.UUID, int] = {}
    out: list[tuple[Price, int]] = []
    cadence: tuple[str, int] | None = None
    for i, item in enumerate(given):
        price = prices.get(item.price)
        problem = _problem(price, customer)
        if item.price in seen:
            problem = f"repeats items.{seen[item.price]}.price: give one item per price with its quantity"
        seen.setdefault(item.price, i)
        if problem is not None or price is None:
            bad.append(FieldError(f"items.{i}.price", problem or "is not a price of this tenant"))
            continue
        assert price.interval is not None
        if cadence is None:
            cadence = (price.interval, price.interval_count)
        elif cadence != (price.interval, price.interval_count):
            bad.append(
                FieldError(
                    f"items.{i}.price",
                    f"bills every {price.interval_count} {price.interval}, the first item every "
                    f"{cadence[1]} {cadence[0]}: all items share one interval",
                )
            )
            continue
        if price.usage is not None and item.quantity != 1:
            bad.append(FieldError(f"items.{i}.quantity", "must be 1 for a usage price (usage is metered)"))
            continue
        if price.unit_amount_minor is not None and price.unit_amount_minor * item.quantity >= LINE_LIMIT:
            bad.append(FieldError(f"items.{i}.quantity", "makes the period's amount too large to invoice"))
            continue
        out.append((price, item.quantity))
    if bad or cadence is None:
        raise ValidationFailed(bad, "; ".join(f"{f.field}: {f.message}" for f in bad))
    return Checked(out, cadence[0], cadence[1])


def build(
    ctx: TenantContext, subscription_id: uuid.UUID, items: list[tuple[Price, int]], since: datetime
) -> list[SubscriptionItem]:
    """Rows of the items, billed from ``since``: a usage item meters the events from then on."""
    return [
        SubscriptionItem.new(
            ctx,
            id=uuid.uuid4(),
            subscription_id=subscription_id,
            price_id=price.id,
            kind="usage" if price.usage is not None else "licensed",
            metric_code=price.usage["metric"] if price.usage is not None else None,
            quantity=quantity,
            created_at=since,
        )
        for price, quantity in items
    ]

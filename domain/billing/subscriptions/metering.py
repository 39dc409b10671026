"""A subscription's usage in its current period so far: per usage item, the metric's quantity over
the period's events of this subscription (from the period's start to now, or to the period's end
once it is over) and what it costs before tax, exactly as the period's usage invoice will price it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from db.base import utcnow
from domain.billing.money import to_text
from domain.billing.subscriptions import billing
from domain.billing.subscriptions import service as subscriptions
from domain.billing.usage.schemas import decimal_text
from domain.context import TenantContext


def current(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> dict[str, Any]:
    sub = subscriptions.get(session, ctx, subscription_id)
    start, end = sub.current_period_start, sub.current_period_end
    upto = min(utcnow(), end)
    if sub.status == "trialing":
        found: list[billing.Metered] = []
    else:
        found = billing.metered(session, ctx, sub, start, max(upto, start))
    return {
        "subscription": str(sub.id),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "currency": sub.currency,
        "lines": [
            {
                "item": str(m.item.id),
                "price": str(m.price.id),
                "metric": m.item.metric_code,
                "quantity": decimal_text(m.quantity),
                "amount": to_text(m.amount_minor, sub.currency),
            }
            for m in found
        ],
        "total": to_text(sum(m.amount_minor for m in found), sub.currency),
    }

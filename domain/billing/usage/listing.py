"""A customer's stored usage events, newest first, to check what was received and when.

Keyset pagination on (time, transaction id): the customer's (and metric's) events are a range of the
aggregation index, so a page costs its own rows whatever the history behind it.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.models import BillingCustomer
from db.models.usage import UsageEvent
from domain import cursors
from domain.billing.usage.errors import NotFound, ValidationFailed
from domain.context import TenantContext
from domain.pagination import clamp_limit
from domain.queries import mine

KIND = "usage_events"


def _encode(event: UsageEvent) -> str:
    payload = json.dumps([event.occurred_at.isoformat(), event.transaction_id], ensure_ascii=False)
    return cursors.seal(KIND, payload.encode())


def _decode(cursor: str) -> tuple[datetime, str]:
    try:
        at, tx = json.loads(cursors.unseal(KIND, cursor))
        return datetime.fromisoformat(at), str(tx)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed.one("cursor", "is not a cursor this list returned") from exc


def list_events(
    session: Session,
    ctx: TenantContext,
    customer_id: uuid.UUID,
    *,
    metric: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[UsageEvent], str | None]:
    """The customer's events in ``[start, end)`` (either may be open), of ``metric`` if given."""
    ctx.require("billing:read")
    size = clamp_limit(limit)
    if (
        session.scalar(
            select(BillingCustomer.id).where(*mine(ctx, BillingCustomer), BillingCustomer.id == customer_id)
        )
        is None
    ):
        raise NotFound("customer", customer_id)
    stmt = select(UsageEvent).where(*mine(ctx, UsageEvent), UsageEvent.customer_id == customer_id)
    if metric is not None:
        stmt = stmt.where(UsageEvent.metric_code == metric)
    if start is not None:
        stmt = stmt.where(UsageEvent.occurred_at >= start)
    if end is not None:
        stmt = stmt.where(UsageEvent.occurred_at < end)
    if cursor is not None:
        at, tx = _decode(cursor)
        stmt = stmt.where(
            or_(
                UsageEvent.occurred_at < at,
                and_(UsageEvent.occurred_at == at, UsageEvent.transaction_id < tx),
            )
        )
    order = (UsageEvent.occurred_at.desc(), UsageEvent.transaction_id.desc())
    rows = list(session.scalars(stmt.order_by(*order).limit(size + 1)))
    if len(rows) > size:
        return rows[:size], _encode(rows[size - 1])
    return rows, None


def event_out(event: UsageEvent) -> dict[str, Any]:
    return {
        "transaction_id": event.transaction_id,
        "customer": str(event.customer_id),
        "subscription": str(event.subscription_id) if event.subscription_id else None,
        "metric": event.metric_code,
        "timestamp": event.occurred_at.isoformat(),
        "properties": event.properties,
        "received_at": event.received_at.isoformat(),
    }

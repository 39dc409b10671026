"""Subscription rows written straight to the database, for tests that need a subscription in a given
state (started in the past, trialing, canceled) without its items, invoices or workflow."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from db.models.subscriptions import Subscription


def subscription_row(
    tenant_id: uuid.UUID, customer_id: uuid.UUID, started: datetime, period_end: datetime, **fields: Any
) -> Subscription:
    """A subscription in its first period, [``started``, ``period_end``): active, monthly and invoiced
    by email in EUR unless ``fields`` (any other column) say otherwise."""
    values: dict[str, Any] = {
        "status": "active",
        "collection": "send_invoice",
        "currency": "EUR",
        "interval": "month",
        "interval_count": 1,
        "anchor_at": started,
        "period_index": 0,
        "cancel_at_period_end": False,
        "version": 1,
    }
    return Subscription(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        customer_id=customer_id,
        started_at=started,
        current_period_start=started,
        current_period_end=period_end,
        workflow_id=f"test:subscription:{uuid.uuid4()}",
        **(values | fields),
    )

"""Subscriptions: a customer's recurring items billed period after period by one long-running
workflow each, and the invoices each period produced.

``subscription_invoices`` holds one row per (subscription, key), where the key names the period and
the kind (``licensed:<period start>``, ``usage:<period start>``, ``proration:<change id>``): its unique
index is what makes a retried activity or a restarted worker never invoice the same thing twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key

STATUSES = ("trialing", "active", "past_due", "suspended", "paused", "canceled")
COLLECTIONS = ("charge_automatically", "send_invoice")


class Subscription(Base, TenantOwned):
    """A customer's subscription: its state, its periods (anchored, see ``periods.py``) and its
    workflow. All items share the currency and the interval of the subscription."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        Index("ix_subscriptions_customer", "tenant_id", "customer_id"),
        Index("ix_subscriptions_status", "tenant_id", "status"),
    )

    customer_id: Mapped[uuid.UUID] = parent_key("customers")
    status: Mapped[str] = mapped_column(String(20))  # one of STATUSES
    collection: Mapped[str] = mapped_column(String(30))  # one of COLLECTIONS
    currency: Mapped[str] = mapped_column(String(3))
    interval: Mapped[str] = mapped_column(String(10))  # day | week | month | year
    interval_count: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    trial_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    anchor_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # period 0 starts here
    period_index: Mapped[int] = mapped_column(Integer, default=0)  # the current period's n
    current_period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    current_period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False)
    canceled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    workflow_id: Mapped[str] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class SubscriptionItem(Base, TenantOwned):
    """One price of a subscription: ``licensed`` (quantity x unit price, invoiced in advance) or
    ``usage`` (its metric's quantity over the period, invoiced in arrears). An item replaced by a
    change is soft-deleted, so past periods keep what they billed."""

    __tablename__ = "subscription_items"
    __table_args__ = (Index("ix_subscription_items_subscription", "tenant_id", "subscription_id"),)

    subscription_id: Mapped[uuid.UUID] = parent_key("subscriptions")
    price_id: Mapped[uuid.UUID] = parent_key("prices")
    kind: Mapped[str] = mapped_column(String(10))  # licensed | usage
    metric_code: Mapped[str | None] = mapped_column(String(64))  # a usage item's metric
    quantity: Mapped[int] = mapped_column(Integer, default=1)


class SubscriptionInvoice(Base, TenantOwned):
    """Which invoice billed what of a subscription: one per (subscription, key), never two."""

    __tablename__ = "subscription_invoices"
    __table_args__ = (
        Index("uq_subscription_invoices_key", "tenant_id", "subscription_id", "key", unique=True),
    )

    subscription_id: Mapped[uuid.UUID] = parent_key("subscriptions")
    invoice_id: Mapped[uuid.UUID] = parent_key("invoices")
    key: Mapped[str] = mapped_column(String(100))  # kind:period start, or proration:change id
    kind: Mapped[str] = mapped_column(String(20))  # licensed | usage | proration
    period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The invoice's own workflow (PDF, due date, dunning) was handed to the subscription's workflow
    # to start; until then the next step of that workflow picks it up.
    handed: Mapped[bool] = mapped_column(Boolean, default=False)

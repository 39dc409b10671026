"""Usage-based billing input: billable metrics (how events aggregate) and the usage events themselves.

``usage_events`` is the high-volume table: it carries no surrogate id, no ``updated_at`` and no soft
delete; its primary key is the dedup rule itself, (tenant, transaction id), and one covering index
serves the aggregation (tenant, metric, customer, time).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key

AGGREGATIONS = ("count", "sum", "max", "unique_count", "latest")


class BillableMetric(Base, TenantOwned):
    """What a usage price charges for: events of ``code`` aggregated by ``aggregation`` over ``field``
    (a key of the events' properties), counting only events whose properties match ``filters``."""

    __tablename__ = "billable_metrics"
    __table_args__ = (
        # One live metric per code; a soft-deleted one frees its code.
        Index(
            "uq_billable_metrics_tenant_code",
            "tenant_id",
            "code",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    aggregation: Mapped[str] = mapped_column(String(20))  # one of AGGREGATIONS
    field: Mapped[str | None] = mapped_column(String(64))  # None for count
    filters: Mapped[dict[str, list[str]]] = mapped_column(JSONB, default=dict)  # {property: [values]}


class UsageEvent(Base):
    """One metered fact reported by the tenant's system. ``metric_code`` is the code as sent, not a key
    to ``billable_metrics``: a deleted metric's events stay as they were."""

    __tablename__ = "usage_events"
    # One index for both reads: one customer's window is a range of it; every customer's window (an
    # invoicing run) reads the metric's part of it, which PostgreSQL 18 can skip-scan by customer.
    __table_args__ = (
        Index("ix_usage_events_aggregation", "tenant_id", "metric_code", "customer_id", "occurred_at"),
        # The analytics fold's change probe: the events received since its last fold, late ones included.
        Index("ix_usage_events_received", "tenant_id", "received_at"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    transaction_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    customer_id: Mapped[uuid.UUID] = parent_key("customers")
    # The subscription the event is billed on (checked on ingest: the tenant's, and the customer's).
    subscription_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("subscriptions.id", ondelete="SET NULL")
    )
    metric_code: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    properties: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

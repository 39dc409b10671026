"""Analytics: the tenant's own metric declarations, the rollups folded from the facts, and how far each
metric is folded.

``analytics_rollups`` holds one row per (metric, its declaration's sha256, 15-minute UTC bucket, the
values of its dimensions): count, sum, min and max of the measured field over the facts in that
bucket. Those four merge exactly into any coarser bucket, which is why a query answers from them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, PublishedVersion, TenantOwned
from db.models.invoices import Invoice, InvoicePayment
from db.models.notifications import DeliveryMessage
from db.models.processes import Process, SlaBreach, Task
from db.models.scheduling import Booking
from db.models.webhooks import WebhookDeliveryAttempt

# The tables facts come from (domain/analytics/sources.py) and the time of their facts. A fold reads
# each tenant's facts by that time, and its rows changed since the previous fold by ``updated_at``.
FACT_TABLES: tuple[tuple[Any, str], ...] = (
    (Process, "ended_at"),
    (Task, "completed_at"),
    (SlaBreach, "breached_at"),
    (Booking, "created_at"),
    (DeliveryMessage, "created_at"),
    (WebhookDeliveryAttempt, "started_at"),
    (Invoice, "paid_at"),
    (InvoicePayment, "received_at"),
)
FACT_INDEXES = [
    index
    for model, time in FACT_TABLES
    for index in (
        Index(f"ix_{model.__tablename__}_facts", model.__table__.c.tenant_id, model.__table__.c[time]),
        Index(f"ix_{model.__tablename__}_changed", model.__table__.c.tenant_id, model.__table__.c.updated_at),
    )
]


def _tenant_key() -> Mapped[uuid.UUID]:
    return mapped_column(UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)


class AnalyticsMetric(Base, TenantOwned, PublishedVersion):
    """One published version of a tenant's metric declaration."""

    __tablename__ = "analytics_metrics"

    title: Mapped[str] = mapped_column(String(200))


class MetricRollup(Base):
    """The facts of one 15-minute bucket and one combination of dimension values, folded."""

    __tablename__ = "analytics_rollups"

    tenant_id: Mapped[uuid.UUID] = _tenant_key()
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Seconds the bucket lasts: 900, or 3600 and 86400 summed from the finer rows (rollups.WIDTHS).
    width: Mapped[int] = mapped_column(Integer, primary_key=True, server_default="900")
    bucket: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    dims: Mapped[list[str | None]] = mapped_column(JSONB, primary_key=True)  # in declared order
    count: Mapped[int] = mapped_column(BigInteger)
    sum: Mapped[Decimal | None] = mapped_column(Numeric)
    min: Mapped[Decimal | None] = mapped_column(Numeric)
    max: Mapped[Decimal | None] = mapped_column(Numeric)


class MetricWatermark(Base):
    """How far a metric's rollups go: every closed bucket before ``folded_to`` is folded (for the
    declaration of ``sha256``); ``folded_at`` is when the last fold began (rows changed since are
    folded again at the next)."""

    __tablename__ = "analytics_watermarks"

    tenant_id: Mapped[uuid.UUID] = _tenant_key()
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    folded_to: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    folded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Dashboard(Base, TenantOwned):
    """A tenant's dashboard: tiles, each a metric, a chart and the query it answers."""

    __tablename__ = "analytics_dashboards"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    tiles: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)


class Report(Base, TenantOwned):
    """A tenant's saved tabular report over one source: its columns, filters, grouping and order."""

    __tablename__ = "analytics_reports"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(64))
    columns: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    filters: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    group_by: Mapped[list[str]] = mapped_column(JSONB)
    sort: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)


class ReportRun(Base, TenantOwned):
    """One run of a report into a file: its window, format, status and progress, and the stored file."""

    __tablename__ = "analytics_report_runs"

    report_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("analytics_reports.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[str] = mapped_column(String(8))
    range_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    range_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    rows_total: Mapped[int | None] = mapped_column(BigInteger)
    rows_written: Mapped[int] = mapped_column(BigInteger, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    file_key: Mapped[str | None] = mapped_column(String(200))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

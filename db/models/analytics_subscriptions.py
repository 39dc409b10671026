"""Report subscriptions: a report or a dashboard emailed to users of the tenant on a schedule (a Temporal
Schedule per subscription), and the history of its runs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned


class ReportSubscription(Base, TenantOwned):
    """What is sent (a report, or a dashboard: the shipped one has no row, hence no key), when (a cron
    expression or an RRULE in ``timezone``), to whom (user ids), in which format, and how."""

    __tablename__ = "analytics_report_subscriptions"
    __table_args__ = (CheckConstraint("(report_id IS NULL) <> (dashboard_id IS NULL)", name="one_target"),)

    report_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("analytics_reports.id", ondelete="CASCADE"), index=True
    )
    dashboard_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    schedule: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    recipients: Mapped[list[str]] = mapped_column(JSONB)
    format: Mapped[str] = mapped_column(String(8))
    delivery: Mapped[str] = mapped_column(String(16))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class SubscriptionRun(Base, TenantOwned):
    """One delivery: the period it covers, the report run that wrote its file, and how it ended."""

    __tablename__ = "analytics_subscription_runs"

    subscription_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("analytics_report_subscriptions.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="running")
    period_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    report_run_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)

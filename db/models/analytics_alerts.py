"""Analytics alerts: each tenant's rules on its metrics (``domain/analytics/alerts``), and the incidents
they open and resolve.

At most one incident of a rule is open at a time (a partial unique index): while it is open, a rule
that still holds opens nothing new and notifies nobody again.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Float, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key

OPEN, RESOLVED = "open", "resolved"


class AlertRule(Base, TenantOwned):
    """A condition (threshold, change or anomaly) on one metric, and who is told when it holds."""

    __tablename__ = "analytics_alerts"

    name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(64))
    condition: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    filter: Mapped[dict[str, list[str]]] = mapped_column(JSONB)
    notify: Mapped[list[str]] = mapped_column(JSONB)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str | None] = mapped_column(String(24))  # the last evaluation's state
    evaluated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AlertIncident(Base, TenantOwned):
    """One occurrence of a rule holding: open from when it was first seen until the series returns."""

    __tablename__ = "analytics_alert_events"
    __table_args__ = (
        Index(
            "uq_analytics_alert_events_open",
            "alert_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )

    alert_id: Mapped[uuid.UUID] = parent_key("analytics_alerts", index=True)
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    observed_at: Mapped[str | None] = mapped_column(String(40))  # the observed bucket's local start
    observed: Mapped[float | None] = mapped_column(Float)
    expected_low: Mapped[float | None] = mapped_column(Float)
    expected_high: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)

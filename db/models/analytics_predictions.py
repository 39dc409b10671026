"""Prediction models trained per tenant on its own history (``domain/analytics/predictions``).

``blob`` is the fitted model, pickled and HMAC-signed (the signature first): it is verified before it is
ever unpickled, so a row altered in the database cannot run code in Keel.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned


class AnalyticsModel(Base, TenantOwned):
    """A tenant's latest model of one kind (``process_completion``, ``no_show``) and key."""

    __tablename__ = "analytics_models"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "key"),)

    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    trained_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    samples: Mapped[int] = mapped_column(Integer)
    quality: Mapped[dict[str, Any]] = mapped_column(JSONB)
    blob: Mapped[bytes] = mapped_column(LargeBinary)

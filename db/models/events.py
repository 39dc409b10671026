"""The outbox of domain events, written in the transaction of the change that caused them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Index, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned


class OutboxEvent(Base, TenantOwned):
    __tablename__ = "outbox_events"
    __table_args__ = (
        Index("ix_outbox_events_unpublished", "published_at", "created_at"),
        UniqueConstraint("tenant_id", "dedup_key"),
        # What the dispatcher reads: a tenant's unpublished events, oldest first.
        Index(
            "ix_outbox_events_pending_per_tenant",
            "tenant_id",
            "created_at",
            "id",
            postgresql_where=text("published_at IS NULL"),
        ),
    )

    type: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    process_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    # Set from the emitting workflow step so a retried activity emits once.
    dedup_key: Mapped[str | None] = mapped_column(String(255))
    # Set by the dispatcher once webhooks and waiting processes have been handed the event.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # True when the emitter already signalled the waiting processes (POST /events does, to answer
    # with the processes reached), so the dispatcher does not signal them a second time.
    processes_signalled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

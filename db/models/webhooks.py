"""Webhook subscriptions and their deliveries (one per subscription and event)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key


class Webhook(Base, TenantOwned):
    __tablename__ = "webhooks"

    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[Any]] = mapped_column(JSONB)  # patterns: "task.*", "process.completed", "*"
    description: Mapped[str | None] = mapped_column(Text)
    # The signing secret (``whsec_`` + base64), encrypted at rest (``keel.crypto``: a Fernet token).
    # Shown once at creation or rotation; decrypted to sign each delivery.
    secret: Mapped[str] = mapped_column(Text)
    # After a rotation, the previous secret (encrypted) also signs deliveries until it expires.
    previous_secret: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Seconds to wait before each attempt; None: the deployment's KEEL_WEBHOOK_RETRY_SCHEDULE.
    retry_schedule: Mapped[list[Any] | None] = mapped_column(JSONB)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class WebhookDelivery(Base, TenantOwned):
    """One event to one endpoint; ``id`` is the ``webhook-id`` header, the same on every retry."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", "event_id"),)

    webhook_id: Mapped[uuid.UUID] = parent_key("webhooks", index=True)
    event_id: Mapped[uuid.UUID] = parent_key("outbox_events")
    event_type: Mapped[str] = mapped_column(String(128))
    # pending, succeeded, failed (dead letter), disabled (endpoint answered 410 or was deleted)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    replays: Mapped[int] = mapped_column(Integer, default=0)
    workflow_id: Mapped[str | None] = mapped_column(String(255))


class WebhookDeliveryAttempt(Base, TenantOwned):
    """One POST of a delivery: what was sent and what came back (bodies cut at 4 KB)."""

    __tablename__ = "webhook_delivery_attempts"
    __table_args__ = (UniqueConstraint("delivery_id", "number"),)

    delivery_id: Mapped[uuid.UUID] = parent_key("webhook_deliveries", index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... across replays
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    request_url: Mapped[str] = mapped_column(String(2048))
    request_headers: Mapped[dict[str, Any]] = mapped_column(JSONB)
    request_body: Mapped[str] = mapped_column(Text)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    response_body: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)

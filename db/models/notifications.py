"""Notifications: the in-app inbox, templates, preferences, deliveries with a status per channel,
suppressed addresses, provider callbacks already applied, campaigns and the local dev outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key


class Notification(Base, TenantOwned):
    """One in-app message in a user's inbox."""

    __tablename__ = "notifications"

    user_id: Mapped[uuid.UUID] = parent_key("users", index=True)
    channel: Mapped[str] = mapped_column(String(16), default="in_app")
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationTemplate(Base, TenantOwned):
    """Immutable once saved: a PUT writes the next version; deliveries record the version used.

    ``channels`` maps channel -> locale -> fields, e.g.
    ``{"email": {"en": {"subject": …, "html": …, "text": …}}, "sms": {"en": {"text": …}}}``.
    """

    __tablename__ = "notification_templates"
    __table_args__ = (UniqueConstraint("tenant_id", "key", "version"),)

    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(64), default="general")
    description: Mapped[str | None] = mapped_column(Text)
    default_locale: Mapped[str] = mapped_column(String(16), default="en")
    channels: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class NotificationPreference(Base, TenantOwned):
    """A user's contact details and choices. ``opt_out`` maps category -> list of channels."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    user_id: Mapped[uuid.UUID] = parent_key("users")
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    locale: Mapped[str] = mapped_column(String(16), default="en")
    quiet_hours: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # {"start": "22:00", "end": "07:00"}
    opt_out: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # Push: the HTTPS endpoints the user's apps registered (device tokens as URLs).
    push_endpoints: Mapped[list[Any]] = mapped_column(JSONB, default=list)


class Delivery(Base, TenantOwned):
    """One ``POST /notifications`` (or one campaign recipient): a message to one recipient."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "dedup_key"),
        Index("ix_deliveries_campaign", "campaign_id"),
    )

    recipient: Mapped[dict[str, Any]] = mapped_column(JSONB)  # {"user_id"|"email"|"phone": …}
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id"))
    template: Mapped[str] = mapped_column(String(100))
    template_version: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    channels: Mapped[list[Any]] = mapped_column(JSONB)
    strategy: Mapped[str] = mapped_column(String(16), default="all")  # all | fallback
    category: Mapped[str] = mapped_column(String(64), default="general")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    locale: Mapped[str | None] = mapped_column(String(16))
    send_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # queued, scheduled, sending, sent, delivered, failed, suppressed, cancelled
    status: Mapped[str] = mapped_column(String(32), default="queued")
    workflow_id: Mapped[str | None] = mapped_column(String(255))
    campaign_id: Mapped[uuid.UUID | None] = parent_key("campaigns")
    dedup_key: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # Files its email carries: {name, content_type, key, size} each, ``key`` in the tenant's object store.
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")


class DeliveryMessage(Base, TenantOwned):
    """A delivery's message on one channel, with its status and every attempt."""

    __tablename__ = "delivery_messages"
    __table_args__ = (UniqueConstraint("delivery_id", "channel"),)

    delivery_id: Mapped[uuid.UUID] = parent_key("deliveries", index=True)
    channel: Mapped[str] = mapped_column(String(16))  # email, sms, push, in_app
    address: Mapped[str | None] = mapped_column(String(2048))
    # queued, sending, sent, delivered, opened, bounced, failed, suppressed-by-preference,
    # suppressed (the address bounced before), cancelled
    status: Mapped[str] = mapped_column(String(32), default="queued")
    status_reason: Mapped[str | None] = mapped_column(Text)
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_message_id: Mapped[str | None] = mapped_column(String(255), index=True)
    template_version: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[list[Any]] = mapped_column(JSONB, default=list)  # [{"at", "outcome", "error"}]
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Suppression(Base, TenantOwned):
    """An address that must not be sent to again on a channel (hard bounce, spam report)."""

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("tenant_id", "channel", "address"),)

    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(2048))
    reason: Mapped[str] = mapped_column(Text)


class ProviderEvent(Base, TenantOwned):
    """A provider callback already applied (SendGrid ``sg_event_id``, Twilio SID + status)."""

    __tablename__ = "provider_events"
    __table_args__ = (UniqueConstraint("tenant_id", "provider", "event_id"),)

    provider: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)


class Campaign(Base, TenantOwned):
    __tablename__ = "campaigns"

    name: Mapped[str | None] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(100))
    audience: Mapped[dict[str, Any]] = mapped_column(JSONB)
    channels: Mapped[list[Any]] = mapped_column(JSONB)
    category: Mapped[str] = mapped_column(String(64), default="marketing")
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    rate_per_minute: Mapped[int] = mapped_column(Integer)
    send_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # scheduled, running, completed, cancelled, failed
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    total: Mapped[int | None] = mapped_column(Integer)
    workflow_id: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DevOutboxMessage(Base, TenantOwned):
    """An email, SMS or push message the local outbox adapter 'sent' (development and tests)."""

    __tablename__ = "dev_outbox"

    channel: Mapped[str] = mapped_column(String(16))
    to: Mapped[str] = mapped_column(String(2048), index=True)
    subject: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # The delivery message it came from: unique, so a retried send stores one message, never two.
    message_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), unique=True)

"""Signing: a request to sign one version of a document, its signers (with their one-time codes
and what they signed), and the request's audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key


class SigningRequest(Base, TenantOwned):
    """What is signed (a pinned document version), by whom, until when.

    ``status``: sent (waiting for signers), completing (everyone acted; the final document is being
    built), completed, declined, voided, expired. ``current_order`` is the order whose signers are
    invited now. ``fields`` lists the boxes to fill: ``{id, signer_id, type, page, x, y, width,
    height, label}`` in PDF points from each page's top-left; ``page_sizes`` is ``[[w, h], …]``.
    """

    __tablename__ = "signing_requests"
    __table_args__ = (Index("ix_signing_requests_status", "tenant_id", "status"),)

    document_id: Mapped[uuid.UUID] = parent_key("documents", index=True)
    document_version: Mapped[int] = mapped_column(Integer)
    document_name: Mapped[str] = mapped_column(String(500))
    original_sha256: Mapped[str] = mapped_column(String(64))
    page_sizes: Mapped[list[Any]] = mapped_column(JSONB)
    title: Mapped[str] = mapped_column(String(300))
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="sent")
    status_reason: Mapped[str | None] = mapped_column(Text)
    current_order: Mapped[int] = mapped_column(Integer, default=1)
    fields: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reminder_every_seconds: Mapped[int | None] = mapped_column(Integer)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    final_version: Mapped[int | None] = mapped_column(Integer)
    final_sha256: Mapped[str | None] = mapped_column(String(64))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    workflow_id: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class SigningSigner(Base, TenantOwned):
    """One person of a request. ``status``: waiting (a later order), sent, viewed, signed, declined
    (signers and approvers); cc people stay ``cc`` and receive the final document only.

    The one-time code is stored as a salted hash; three wrong codes set ``locked_at``."""

    __tablename__ = "signing_signers"
    __table_args__ = (UniqueConstraint("request_id", "email"), UniqueConstraint("request_id", "position"))

    request_id: Mapped[uuid.UUID] = parent_key("signing_requests", index=True)
    position: Mapped[int] = mapped_column(Integer)  # the index in the request's list, from 0
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(20))
    order: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))  # signer | approver | cc
    auth: Mapped[str] = mapped_column(String(16))  # email | sms_otp
    status: Mapped[str] = mapped_column(String(16))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    viewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    signature_type: Mapped[str | None] = mapped_column(String(16))  # typed | drawn
    signature_value: Mapped[str | None] = mapped_column(Text)  # the typed name, or a drawn PNG data URL
    field_values: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    otp_hash: Mapped[str | None] = mapped_column(String(128))
    otp_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    otp_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    otp_sends: Mapped[int] = mapped_column(Integer, default=0)
    otp_failures: Mapped[int] = mapped_column(Integer, default=0)
    otp_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SigningEvent(Base, TenantOwned):
    """One line of a request's audit trail, with the document's sha256 at that moment.

    ``step`` names a step that happens once (``viewed:<signer>``, ``sent:<signer>``): a retried
    activity or a second view finds it and records nothing more."""

    __tablename__ = "signing_events"
    __table_args__ = (UniqueConstraint("request_id", "step"),)

    request_id: Mapped[uuid.UUID] = parent_key("signing_requests", index=True)
    action: Mapped[str] = mapped_column(String(32))
    signer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    document_sha256: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    step: Mapped[str | None] = mapped_column(String(200))

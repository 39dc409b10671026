"""The audit trail: one append-only row per mutation, written in the mutation's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.dialects.postgresql import INET, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned


class AuditLog(Base, TenantOwned):
    """Append-only: the application role may insert and read, never update or delete."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "tenant_id", "entity_type", "entity_id", "created_at"),
        Index("ix_audit_log_chain", "tenant_id", "created_at", "id"),  # the sealer's and export's order
    )

    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_type: Mapped[str] = mapped_column(String(16))  # user | api_key | system
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(255))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    ip_address: Mapped[str | None] = mapped_column(INET)
    user_agent: Mapped[str | None] = mapped_column(Text)
    correlation_id: Mapped[str | None] = mapped_column(String(600))


class AuditSeal(Base):
    """One link of a tenant's audit chain, appended by the sealer in ``seq`` order (insert-only for
    the application role): ``hash = SHA-256(prev_hash || canonical(row))``."""

    __tablename__ = "audit_seals"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    audit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AuditAnchor(Base):
    """Where a tenant's chain starts once retention removed its oldest links: the first kept seal's
    ``seq`` and the hash it chains from. Written only by ``keel_audit_prune``."""

    __tablename__ = "audit_anchors"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

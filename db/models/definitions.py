"""Process definitions published by a tenant (shipped ones are read from ``definitions/``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned


class ProcessDefinition(Base, TenantOwned):
    """Immutable once published: (tenant, name, version) names one canonical content (sha256)."""

    __tablename__ = "process_definitions"
    __table_args__ = (UniqueConstraint("tenant_id", "name", "version"),)

    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)
    published_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

"""Decision tables published by a tenant (shipped ones are read from ``definitions/decisions/``)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, PublishedVersion, TenantOwned


class Decision(Base, TenantOwned, PublishedVersion):
    """One published version of a tenant's decision table: its YAML, canonical document and sha256."""

    __tablename__ = "decisions"

    description: Mapped[str | None] = mapped_column(Text)
    hit_policy: Mapped[str] = mapped_column(String(16))

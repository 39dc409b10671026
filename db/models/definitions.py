"""Process definitions published by a tenant (shipped ones are read from ``definitions/``)."""

from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, PublishedVersion, TenantOwned


class ProcessDefinition(Base, TenantOwned, PublishedVersion):
    __tablename__ = "process_definitions"

    description: Mapped[str | None] = mapped_column(Text)

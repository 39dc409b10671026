"""SQLAlchemy declarative base, naming convention and the mixins every table uses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol, Self, cast

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow, onupdate=utcnow
    )
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class WithId:
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)


def parent_key(table: str, *, index: bool = False, primary_key: bool = False) -> Mapped[uuid.UUID]:
    """A foreign key to ``table.id``: the row goes with its parent (ON DELETE CASCADE)."""
    return mapped_column(
        UUID(as_uuid=True),
        ForeignKey(f"{table}.id", ondelete="CASCADE"),
        index=index,
        primary_key=primary_key,
    )


class Owner(Protocol):
    """What a new row takes its tenant from: the caller's context, or a row or run of that tenant."""

    @property
    def tenant_id(self) -> uuid.UUID: ...


class TenantOwned(WithId, Timestamps):
    """A row that belongs to one tenant. Row-level security keys on ``tenant_id``."""

    @classmethod
    def new(cls, owner: Owner, **columns: Any) -> Self:
        """A new row of ``owner``'s tenant: the one place a service stamps the tenant on what it adds."""
        row: Self = cast(Any, cls)(tenant_id=owner.tenant_id, **columns)  # a mixin: its model takes columns
        return row

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return parent_key("tenants", index=True)


class VersionOf:
    """One numbered version of a parent row, never rewritten: (parent key, ``version``) is unique.

    A table names its parent key column in ``version_of`` and declares that column itself.
    """

    version_of: ClassVar[str]
    version: Mapped[int] = mapped_column(Integer)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (UniqueConstraint(cls.version_of, "version"),)


class PublishedVersion:
    """One published version of a tenant's named YAML document, never rewritten (``domain/published.py``):
    (tenant, name, version) names one canonical content, its sha256."""

    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)  # the YAML as published
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)
    published_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (UniqueConstraint("tenant_id", "name", "version"),)

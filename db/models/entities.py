"""Tenant-defined entity types, their records, history, unique keys, relationships and imports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, deferred, mapped_column

from db.base import Base, TenantOwned, VersionOf, parent_key
from db.models.indexes import unique_while_live


class EntityType(Base, TenantOwned):
    """A kind of record a tenant defines (customer, patient, asset…); ``version`` counts schema changes."""

    __tablename__ = "entity_types"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    schema: Mapped[dict[str, Any]] = mapped_column(JSONB)  # JSON Schema 2020-12 of the attributes
    unique: Mapped[list[Any]] = mapped_column(JSONB, default=list)  # attribute names unique per type
    dedup: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # {"fields": [...], "threshold": 0.85}
    search: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # {"fields", "facets", "locale", ...}
    statuses: Mapped[list[Any]] = mapped_column(JSONB, default=list)  # allowed statuses; first = default
    # The Typesense collection the type's alias points at (None until first indexed).
    index_collection: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class EntityTypeVersion(Base, TenantOwned, VersionOf):
    """Every schema a type ever had; a record names the version it was last validated against."""

    __tablename__ = "entity_type_versions"
    version_of = "entity_type_id"

    entity_type_id: Mapped[uuid.UUID] = parent_key("entity_types")
    schema: Mapped[dict[str, Any]] = mapped_column(JSONB)
    unique: Mapped[list[Any]] = mapped_column(JSONB)
    dedup: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    search: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    statuses: Mapped[list[Any]] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Entity(Base, TenantOwned):
    """One record. ``version`` starts at 1 and grows with every change (it is the ETag's source)."""

    __tablename__ = "entities"
    __table_args__ = (
        UniqueConstraint("tenant_id", "type_id", "external_id"),
        Index("ix_entities_listing", "tenant_id", "type_id", "created_at", "id"),
        Index(
            "ix_entities_attributes",
            "attributes",
            postgresql_using="gin",
            postgresql_ops={"attributes": "jsonb_path_ops"},
        ),
        Index(
            "ix_entities_dedup_text",
            "dedup_text",
            postgresql_using="gin",
            postgresql_ops={"dedup_text": "gin_trgm_ops"},
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    type_id: Mapped[uuid.UUID] = parent_key("entity_types")
    external_id: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str | None] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(Integer, default=1)
    schema_version: Mapped[int] = mapped_column(Integer, default=1)
    # The type's dedup fields, lower-cased, accent-folded and joined: trigram-indexed for candidates.
    dedup_text: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    updated_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class EntityVersion(Base, TenantOwned, VersionOf):
    """The record as it was after each change, with the diff from the previous version and the actor."""

    __tablename__ = "entity_versions"
    version_of = "entity_id"

    entity_id: Mapped[uuid.UUID] = parent_key("entities")
    # created, updated, deleted, restored, reverted, merged
    operation: Mapped[str] = mapped_column(String(16))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str | None] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(String(255))
    diff: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_type: Mapped[str] = mapped_column(String(16), default="user")
    note: Mapped[str | None] = mapped_column(Text)


class EntityKey(Base, TenantOwned):
    """A value of a ``unique`` attribute, held by one live record (removed on delete, back on restore)."""

    __tablename__ = "entity_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "type_id", "field", "value"),)

    type_id: Mapped[uuid.UUID] = parent_key("entity_types")
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[uuid.UUID] = parent_key("entities", index=True)


class RelationType(Base, TenantOwned):
    """A kind of directed edge: which entity types it joins and how many of each side."""

    __tablename__ = "relation_types"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(200))
    source_types: Mapped[list[Any]] = mapped_column(JSONB, default=list)  # type names; empty = any
    target_types: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    cardinality: Mapped[str] = mapped_column(String(16))  # one_to_one | one_to_many | many_to_many
    attributes_schema: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Relationship(Base, TenantOwned):
    """An edge. Hidden while either end is soft-deleted; cardinality is enforced by partial indexes."""

    __tablename__ = "relationships"
    __table_args__ = (
        unique_while_live("uq_relationships_edge", "relation_type_id", "source_id", "target_id"),
        # one_to_many and one_to_one: a target has at most one source.
        unique_while_live(
            "uq_relationships_one_source",
            "relation_type_id",
            "target_id",
            also="cardinality IN ('one_to_one', 'one_to_many')",
        ),
        # one_to_one: a source has at most one target.
        unique_while_live(
            "uq_relationships_one_target", "relation_type_id", "source_id", also="cardinality = 'one_to_one'"
        ),
    )

    relation_type_id: Mapped[uuid.UUID] = parent_key("relation_types")
    cardinality: Mapped[str] = mapped_column(String(16))  # copied from the relation type for the indexes
    source_id: Mapped[uuid.UUID] = parent_key("entities", index=True)
    target_id: Mapped[uuid.UUID] = parent_key("entities", index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class EntityImport(Base, TenantOwned):
    """A bulk import: the uploaded file, its column mapping, and progress checkpointed per batch."""

    __tablename__ = "entity_imports"

    type_id: Mapped[uuid.UUID] = parent_key("entity_types")
    format: Mapped[str] = mapped_column(String(8))  # csv | jsonl
    mode: Mapped[str] = mapped_column(String(8))  # insert | upsert
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # column -> attribute
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    filename: Mapped[str | None] = mapped_column(String(255))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    # pending, running, completed, failed, cancelled
    status: Mapped[str] = mapped_column(String(16), default="pending")
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_ok: Mapped[int] = mapped_column(Integer, default=0)
    rows_failed: Mapped[int] = mapped_column(Integer, default=0)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    workflow_id: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EntityImportRow(Base):
    """The staging table: each source row, COPYed in, then marked ok or failed by its batch."""

    __tablename__ = "entity_import_rows"
    __table_args__ = (PrimaryKeyConstraint("import_id", "line"),)

    tenant_id: Mapped[uuid.UUID] = parent_key("tenants")
    import_id: Mapped[uuid.UUID] = parent_key("entity_imports")
    line: Mapped[int] = mapped_column(Integer)  # the source line (CSV: header is line 1)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # the mapped row; None if unreadable
    raw: Mapped[str | None] = mapped_column(Text)  # the source text, for the failure report
    outcome: Mapped[str | None] = mapped_column(String(8))  # None (pending), created, updated, failed
    error: Mapped[list[Any] | None] = mapped_column(JSONB)  # [{"field", "message"}]
    entity_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class SearchQuery(Base, TenantOwned):
    """One search as a user ran it, for analytics (top and zero-result queries, click-through)."""

    __tablename__ = "search_queries"

    q: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(Text, index=True)  # lower-cased, trimmed
    types: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    hits: Mapped[int] = mapped_column(Integer)
    took_ms: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class SearchClick(Base, TenantOwned):
    __tablename__ = "search_clicks"

    query_id: Mapped[uuid.UUID] = parent_key("search_queries", index=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

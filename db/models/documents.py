"""Documents: templates (versioned Jinja2 HTML + CSS), the tenant's assets (images and fonts), and
stored documents with every version of their bytes.

The bytes themselves live in the object store (``adapters/storage.py``), content-addressed per tenant;
a row names its object by ``storage_key``. An object is only ever reached through a row.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, VersionOf, parent_key
from db.models.indexes import unique_while_live


class DocumentTemplate(Base, TenantOwned):
    """A template's identity and its current version; the content is in its versions."""

    __tablename__ = "document_templates"
    __table_args__ = (unique_while_live("uq_document_templates_live_key", "tenant_id", "key"),)

    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class DocumentTemplateVersion(Base, TenantOwned, VersionOf):
    """One saved version of a template: never changed once written."""

    __tablename__ = "document_template_versions"
    version_of = "template_id"

    template_id: Mapped[uuid.UUID] = parent_key("document_templates", index=True)
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    css: Mapped[str | None] = mapped_column(Text)
    sample_data: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    locale: Mapped[str] = mapped_column(String(35), default="en")
    sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class DocumentAsset(Base, TenantOwned):
    """An image or font templates load as ``asset:<name>``; its type is sniffed from its bytes."""

    __tablename__ = "document_assets"
    __table_args__ = (unique_while_live("uq_document_assets_live_name", "tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Document(Base, TenantOwned):
    """A document and a copy of its current version's facts (content type, size, sha256, pages)."""

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_entity", "tenant_id", "entity_type", "entity_id"),
        Index("ix_documents_type", "tenant_id", "document_type"),
        Index(
            "ix_documents_metadata",
            "metadata",
            postgresql_using="gin",
            postgresql_ops={"metadata": "jsonb_path_ops"},
        ),
    )

    name: Mapped[str] = mapped_column(String(255))
    document_type: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str | None] = mapped_column(String(100))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    template_key: Mapped[str | None] = mapped_column(String(100))
    template_version: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    page_count: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=0)  # 0 until the first version is stored
    # ``metadata`` is taken on declarative classes: the attribute is ``metadata_``.
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSONB, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="ready")  # generating | ready | failed
    failure_reason: Mapped[str | None] = mapped_column(Text)
    # upload | generated | merge | split | stamp | fill | package | signing
    source: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

    @property
    def entity_link(self) -> dict[str, Any] | None:
        """The record this document belongs to (type and id), when it belongs to one."""
        if self.entity_type and self.entity_id:
            return {"type": self.entity_type, "id": self.entity_id}
        return None


class DocumentVersion(Base, TenantOwned, VersionOf):
    """One version of a document's bytes: immutable."""

    __tablename__ = "document_versions"
    version_of = "document_id"

    document_id: Mapped[uuid.UUID] = parent_key("documents", index=True)
    storage_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(128))
    page_count: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # what a generated version was rendered with
    template_version: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)  # extracted text, bounded, for search
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

"""Documents and their versions: create, add a version, read, list, delete and restore.

Every version's bytes pass ``storing.check_content`` and are stored before their row is recorded
(see ``storing.py`` for why that order is crash-safe). The document row carries a copy of its
current version's facts, so lists need no join. Other blocks (PDF operations, signing) create
documents and add versions through ``create_document`` and ``add_version``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import Session

from adapters.storage import ObjectStore, StoredObject
from db.models import Document, DocumentVersion
from domain.audit import service as audit
from domain.context import TenantContext
from domain.documents.errors import DocumentNotReady
from domain.documents.schemas import SOURCES, DocumentLimits, DocumentOut, EntityLink
from domain.documents.storing import CheckedContent, check_content, store_bytes
from domain.errors import NotFound, ValidationFailed
from domain.events import service as events
from domain.events.catalogue import CATALOGUE
from domain.outputs import plain_columns
from domain.pagination import paginate
from domain.queries import get_or_404, live, touch

READ = "documents:read"
WRITE = "documents:write"
_AUDITED = [
    "name",
    "document_type",
    "entity_type",
    "entity_id",
    "template_key",
    "template_version",
    "content_type",
    "size",
    "sha256",
    "page_count",
    "version",
    "status",
    "source",
]
MAX_METADATA_FILTERS = 10
# The document.* events carry what the catalogue declares: the id, then these columns.
_EVENT_COLUMNS = [
    name for name in CATALOGUE["document.created"].payload["properties"] if name != "document_id"
]


# --- Output ------------------------------------------------------------------------------------


def document_out(row: Document) -> DocumentOut:
    return DocumentOut.model_validate(row, from_attributes=True)


def event_payload(row: Document) -> dict[str, Any]:
    return {"document_id": str(row.id), **plain_columns(row, _EVENT_COLUMNS)}


# --- Writing -----------------------------------------------------------------------------------


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")


def new_document(
    ctx: TenantContext,
    *,
    name: str,
    document_type: str,
    source: str,
    entity: EntityLink | None,
    metadata: dict[str, Any] | None,
    status: str = "ready",
) -> Document:
    _check_source(source)
    return Document.new(
        ctx,
        id=uuid.uuid4(),
        name=name,
        document_type=document_type,
        entity_type=entity.type if entity else None,
        entity_id=entity.id if entity else None,
        metadata_=metadata or {},
        status=status,
        source=source,
        version=0,
        created_by=ctx.actor_id,
    )


def record_version(
    session: Session,
    ctx: TenantContext,
    doc: Document,
    checked: CheckedContent,
    stored: StoredObject,
    *,
    source: str,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    template_version: int | None = None,
) -> DocumentVersion:
    """The next version's row (its bytes already stored), made the document's current one."""
    _check_source(source)
    # What the version records of its bytes, and the document copies as its current facts.
    facts = {
        "version": doc.version + 1,
        "content_type": checked.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "page_count": checked.page_count,
    }
    version = DocumentVersion.new(
        ctx,
        document_id=doc.id,
        **facts,
        storage_key=stored.key,
        source=source,
        note=note,
        data=data,
        template_version=template_version,
        text=checked.text,
        created_by=ctx.actor_id,
    )
    session.add(version)
    for name, value in facts.items():
        setattr(doc, name, value)
    doc.status = "ready"
    doc.failure_reason = None
    if template_version is not None:
        doc.template_version = template_version
    touch(session, doc)
    return version


def create_document(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    *,
    name: str,
    document_type: str,
    content: bytes,
    source: str,
    entity: EntityLink | None = None,
    metadata: dict[str, Any] | None = None,
    note: str | None = None,
    limits: DocumentLimits,
    filename: str | None = None,
    claimed_type: str | None = None,
) -> Document:
    """A ready document with ``content`` as version 1. ``filename``/``claimed_type`` are what an
    uploader said the file is (a ``.pdf`` that is not a PDF is refused); ``name`` counts as a claim too."""
    ctx.require(WRITE)
    _check_source(source)
    checked = check_content(content, limits=limits, filename=filename or name, claimed_type=claimed_type)
    stored = store_bytes(store, ctx.tenant_id, content, limits)
    doc = new_document(
        ctx, name=name, document_type=document_type, source=source, entity=entity, metadata=metadata
    )
    session.add(doc)
    session.flush()
    record_version(session, ctx, doc, checked, stored, source=source, note=note)
    audit.record(session, ctx, "document.created", "document", doc.id, audit.diff(None, _snapshot(doc)))
    events.emit(session, ctx, "document.created", event_payload(doc))
    return doc


def add_version(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    document_id: uuid.UUID,
    content: bytes,
    *,
    source: str,
    note: str | None = None,
    limits: DocumentLimits,
    filename: str | None = None,
    claimed_type: str | None = None,
    data: dict[str, Any] | None = None,
    template_version: int | None = None,
) -> DocumentVersion:
    """``content`` as the document's next version, which becomes its current one."""
    ctx.require(WRITE)
    _check_source(source)
    doc = get_or_404(session, ctx, Document, document_id, "document", for_update=True)
    if doc.status == "generating":
        raise DocumentNotReady(doc.status)
    checked = check_content(content, limits=limits, filename=filename, claimed_type=claimed_type)
    stored = store_bytes(store, ctx.tenant_id, content, limits)
    before = _snapshot(doc)
    version = record_version(
        session,
        ctx,
        doc,
        checked,
        stored,
        source=source,
        note=note,
        data=data,
        template_version=template_version,
    )
    audit.record(
        session, ctx, "document.version_added", "document", doc.id, audit.diff(before, _snapshot(doc))
    )
    events.emit(session, ctx, "document.version_added", event_payload(doc))
    return version


def delete_document(session: Session, ctx: TenantContext, document_id: uuid.UUID) -> Document:
    """Soft delete: the document and its versions stay, out of lists and reads, until restored."""
    ctx.require(WRITE)
    doc = get_or_404(session, ctx, Document, document_id, "document", for_update=True)
    doc.deleted_at = datetime.now(UTC)
    session.flush()
    audit.record(session, ctx, "document.deleted", "document", doc.id, {"deleted_at": [None, doc.deleted_at]})
    events.emit(session, ctx, "document.deleted", event_payload(doc))
    return doc


def restore_document(session: Session, ctx: TenantContext, document_id: uuid.UUID) -> Document:
    ctx.require(WRITE)
    doc = get_or_404(session, ctx, Document, document_id, "document", deleted=True, for_update=True)
    if doc.deleted_at is None:
        return doc
    before = doc.deleted_at
    doc.deleted_at = None
    touch(session, doc)
    audit.record(session, ctx, "document.restored", "document", doc.id, {"deleted_at": [before, None]})
    events.emit(session, ctx, "document.restored", event_payload(doc))
    return doc


def _snapshot(doc: Document) -> dict[str, Any]:
    return audit.snapshot(doc, _AUDITED) | {"metadata": doc.metadata_}


# --- Reading -----------------------------------------------------------------------------------


def get_document(session: Session, ctx: TenantContext, document_id: uuid.UUID) -> Document:
    """The caller's live document; another tenant's or a deleted one is a 404."""
    ctx.require(READ)
    return get_or_404(session, ctx, Document, document_id, "document")


def get_version(
    session: Session, ctx: TenantContext, document_id: uuid.UUID, version: int | None = None
) -> tuple[Document, DocumentVersion]:
    """The document and one of its versions (the current one by default)."""
    doc = get_document(session, ctx, document_id)
    if doc.version == 0:
        raise DocumentNotReady(doc.status)
    wanted = doc.version if version is None else version
    row = session.scalar(
        live(ctx, DocumentVersion).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.version == wanted
        )
    )
    if row is None:
        raise NotFound("document version", f"{document_id} version {wanted}")
    return doc, row


def read_content(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    document_id: uuid.UUID,
    version: int | None = None,
) -> tuple[DocumentVersion, bytes]:
    """A version's bytes (the current one by default), whole."""
    _, row = get_version(session, ctx, document_id, version)
    return row, b"".join(store.read(ctx.tenant_id, row.storage_key))


def list_versions(
    session: Session,
    ctx: TenantContext,
    document_id: uuid.UUID,
    *,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[DocumentVersion], str | None]:
    doc = get_document(session, ctx, document_id)
    stmt = live(ctx, DocumentVersion).where(DocumentVersion.document_id == doc.id)
    return paginate(session, stmt, DocumentVersion, limit, cursor)


def list_documents(
    session: Session,
    ctx: TenantContext,
    *,
    entity_type: str | None = None,
    entity_id: uuid.UUID | None = None,
    document_type: str | None = None,
    metadata: Iterable[tuple[str, str]] = (),
    limit: int | None,
    cursor: str | None,
) -> tuple[list[Document], str | None]:
    """Newest first; ``metadata`` pairs match top-level keys (a value that reads as a JSON number,
    boolean or null also matches that JSON value)."""
    ctx.require(READ)
    stmt = live(ctx, Document)
    if entity_type is not None:
        stmt = stmt.where(Document.entity_type == entity_type)
    if entity_id is not None:
        stmt = stmt.where(Document.entity_id == entity_id)
    if document_type is not None:
        stmt = stmt.where(Document.document_type == document_type)
    pairs = list(metadata)
    if len(pairs) > MAX_METADATA_FILTERS:
        raise ValidationFailed.one("metadata", f"at most {MAX_METADATA_FILTERS} metadata filters")
    for key, value in pairs:
        matches = [Document.metadata_.contains({key: value})]
        parsed = _scalar(value)
        if parsed is not _NO_SCALAR:
            matches.append(Document.metadata_.contains({key: parsed}))
        stmt = stmt.where(or_(*matches))
    return paginate(session, stmt, Document, limit, cursor)


_NO_SCALAR = object()


def _scalar(value: str) -> Any:
    try:
        parsed = json.loads(value)
    except ValueError:
        return _NO_SCALAR
    return parsed if parsed is None or isinstance(parsed, bool | int | float) else _NO_SCALAR

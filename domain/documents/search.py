"""Documents in Typesense: names and the extracted text of each current version, searchable.

One collection per tenant behind an alias, kept in sync the way records are: ``document.*`` events
reach the tenant's search-sync workflow under the reserved name ``indexing.DOCUMENTS`` (no entity
type can take it), which calls ``sync`` here; a missing collection is reported stale and built by
``reindex`` from every live document. Only ready documents are indexed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from adapters.search import SearchIndex, SearchRejected, SearchUnavailable
from db.models import Document, DocumentVersion
from domain.context import TenantContext
from domain.documents import service
from domain.documents.operation_schemas import DocumentHit, DocumentSearchIn, DocumentSearchOut
from domain.errors import Unavailable, ValidationFailed
from domain.queries import live, mine
from domain.search.indexing import DOCUMENTS, alias_name
from domain.search.schemas import Reindexed, Synced

LAYOUT_VERSION = 1  # bump when FIELDS change: a new collection is built and the alias swapped
FIELDS: list[dict[str, Any]] = [
    {"name": "name", "type": "string"},
    {"name": "text", "type": "string", "optional": True},
    {"name": "document_type", "type": "string", "facet": True},
    {"name": "entity_type", "type": "string", "optional": True, "facet": True},
    {"name": "entity_id", "type": "string", "optional": True},
    {"name": "created_at", "type": "int64"},
]
MAX_INDEXED_CHARS = 200_000  # of a version's text: enough for any query to find it, bounded per document
READ_CHUNK = 500


def _alias(tenant_id: uuid.UUID) -> str:
    return alias_name(tenant_id, DOCUMENTS)


def _collection(tenant_id: uuid.UUID) -> str:
    return f"{_alias(tenant_id)}_v{LAYOUT_VERSION}"


def _rows(
    session: Session, ctx: TenantContext, ids: Iterable[uuid.UUID] | None
) -> Iterator[tuple[Document, str | None]]:
    """Ready, live documents with the text of their current version, by id (or all of them)."""
    stmt = (
        select(Document, DocumentVersion.text)
        .where(*mine(ctx, Document), Document.status == "ready")
        .outerjoin(
            DocumentVersion,
            and_(
                *mine(ctx, DocumentVersion),
                DocumentVersion.document_id == Document.id,
                DocumentVersion.version == Document.version,
            ),
        )
        .order_by(Document.id)
    )
    if ids is not None:
        stmt = stmt.where(Document.id.in_(list(ids)))
    yield from session.execute(stmt.execution_options(yield_per=READ_CHUNK)).tuples()


def _indexed(doc: Document, text: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": str(doc.id),
        "name": doc.name,
        "document_type": doc.document_type,
        "created_at": int(doc.created_at.timestamp() * 1000),
    }
    if text:
        entry["text"] = text[:MAX_INDEXED_CHARS]
    if doc.entity_type is not None:
        entry["entity_type"] = doc.entity_type
    if doc.entity_id is not None:
        entry["entity_id"] = str(doc.entity_id)
    return entry


def sync(session: Session, ctx: TenantContext, index: SearchIndex, ids: Iterable[str]) -> Synced:
    """Upsert the ready live documents among ``ids``, delete the others; stale while no index exists."""
    wanted: set[uuid.UUID] = set()
    for raw in ids:
        try:
            wanted.add(uuid.UUID(str(raw)))
        except ValueError:
            continue
    if not wanted:
        return Synced()
    alias = _alias(ctx.tenant_id)
    if index.alias_target(alias) != _collection(ctx.tenant_id):
        return Synced(stale=[DOCUMENTS])  # the rebuild reads every document, these included
    entries = [_indexed(doc, text) for doc, text in _rows(session, ctx, wanted)]
    gone = wanted - {uuid.UUID(entry["id"]) for entry in entries}
    out = Synced()
    if entries:
        out.upserted = len(entries) - len(index.upsert(alias, entries))
    if gone:
        out.deleted = index.delete(alias, [str(i) for i in gone])
    return out


def reindex(session: Session, ctx: TenantContext, index: SearchIndex) -> Reindexed:
    """A fresh collection of every ready live document, then the alias pointed at it."""
    collection = _collection(ctx.tenant_id)
    index.create_collection(collection, FIELDS)
    done = 0
    batch: list[dict[str, Any]] = []
    for doc, text in _rows(session, ctx, None):
        batch.append(_indexed(doc, text))
        if len(batch) == READ_CHUNK:
            done += len(batch) - len(index.upsert(collection, batch))
            batch = []
    if batch:
        done += len(batch) - len(index.upsert(collection, batch))
    alias = _alias(ctx.tenant_id)
    old = index.alias_target(alias)
    index.point_alias(alias, collection)
    if old and old != collection:
        index.drop_collection(old)
    return Reindexed(collection=collection, documents=done, rebuilt=True)


def _filter(body: DocumentSearchIn) -> str:
    clauses = []
    for name in ("document_type", "entity_type", "entity_id"):
        value = getattr(body, name)
        if value is None:
            continue
        text = str(value)
        if "`" in text:
            raise ValidationFailed.one(name, "must not contain a backtick")
        clauses.append(f"{name}:=`{text}`")
    return " && ".join(clauses)


def search(
    session: Session, ctx: TenantContext, index: SearchIndex, body: DocumentSearchIn
) -> DocumentSearchOut:
    """The caller's documents whose name or text matches ``q``, best first, with a snippet."""
    ctx.require(service.READ)
    params: dict[str, Any] = {
        "q": body.q.strip() or "*",
        "query_by": "name,text",
        "query_by_weights": "2,1",
        "highlight_fields": "text,name",
        "snippet_threshold": 30,
        "highlight_affix_num_tokens": 8,
        "per_page": body.limit,
        "include_fields": "id",
    }
    where = _filter(body)
    if where:
        params["filter_by"] = where
    try:
        answer = index.search(_alias(ctx.tenant_id), params)
    except SearchUnavailable as exc:
        raise Unavailable(
            "Search is unavailable right now (the search index cannot be reached); try again shortly."
        ) from exc
    except SearchRejected as exc:
        raise ValidationFailed.one("q", f"is not a search Typesense accepts: {exc}") from exc
    if answer is None:  # no document indexed yet
        return DocumentSearchOut(hits=[], found=0)
    hits = answer.get("hits", [])
    ids = [uuid.UUID(hit["document"]["id"]) for hit in hits]
    rows = {row.id: row for row in session.scalars(live(ctx, Document).where(Document.id.in_(ids)))}
    out = [
        DocumentHit(document=service.document_out(rows[doc_id]), snippet=_snippet(hit), score=_score(hit))
        for doc_id, hit in zip(ids, hits, strict=True)
        if doc_id in rows  # deleted since it was indexed
    ]
    return DocumentSearchOut(hits=out, found=int(answer.get("found", len(out))))


def _snippet(hit: dict[str, Any]) -> str | None:
    for field in ("text", "name"):
        for highlight in hit.get("highlights", []):
            if highlight.get("field") == field and highlight.get("snippet"):
                return str(highlight["snippet"])
    return None


def _score(hit: dict[str, Any]) -> float:
    return float(hit.get("text_match", 0))

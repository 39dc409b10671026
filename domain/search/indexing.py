"""Keeping Typesense in step with PostgreSQL, which stays the source of truth.

Each searchable entity type of a tenant has an alias ``t_<tenant hex>_<type>`` that points at a
collection ``<alias>_<digest>_v<n>``. The digest covers the collection's fields (derived from the
type's JSON Schema and ``search`` settings): when it no longer matches the type, the index is
rebuilt into a new collection from PostgreSQL and the alias swapped, so searches never stop.
Records reach the index by id (:func:`sync`): the current row is upserted, a deleted or missing
one removed. Both run in the tenant's sync workflow, one at a time, so no change is lost to a
rebuild running beside it.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Text, any_, bindparam, cast, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.orm import Session

from adapters.search import SearchIndex
from db.models.entities import Entity, EntityType
from domain.context import TenantContext
from domain.entities import types
from domain.queries import mine
from domain.search.errors import NotSearchable
from domain.search.schemas import Reindexed, SyncBatch, Synced

BUILTIN = ("status", "external_id", "created_at", "updated_at")
ATTRIBUTES = "_attributes"  # the record's whole attributes: stored with the document, not indexed
READ_CHUNK = 2000

_SCALARS = {"string": "string", "integer": "int64", "number": "float", "boolean": "bool"}


def alias_name(tenant_id: uuid.UUID, type_name: str) -> str:
    return f"t_{tenant_id.hex}_{type_name}"


@dataclass(frozen=True)
class Layout:
    """How one type is indexed: its Typesense fields and which of them serve which purpose."""

    fields: list[dict[str, Any]]
    query_by: list[str]  # text fields, in the order the type declares them (earlier weighs more)
    facets: set[str]
    filterable: dict[str, str]  # field -> Typesense type, for filters and sorting

    @property
    def digest(self) -> str:
        raw = json.dumps(self.fields, sort_keys=True).encode()
        return hashlib.sha256(raw).hexdigest()[:8]


def is_searchable(etype: EntityType) -> bool:
    return bool(etype.search and (etype.search.get("fields") or etype.search.get("facets")))


def _ts_type(prop: Mapping[str, Any]) -> str:
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "array":
        items = prop.get("items")
        inner = _ts_type(items) if isinstance(items, Mapping) else "string"
        return inner if inner.endswith("[]") else f"{inner}[]"
    return _SCALARS.get(str(kind), "string")


# Languages whose words Typesense's default tokenizer cannot split or fold; for these, a field's
# ``locale`` switches it to ICU. For Latin-script languages (fr, de, es…) the default already folds
# accents and tolerates typos, and a ``locale`` turns both off in Typesense 0.24 ("Zoe" no longer
# finds "Zoë", "Martim" misses "Martin"), so theirs is kept in the settings but not sent.
ICU_LOCALES = frozenset(
    [
        "ja",
        "zh",
        "ko",
        "th",
        "lo",
        "km",
        "my",
        "si",
        "bo",
        "ru",
        "uk",
        "be",
        "bg",
        "sr",
        "mk",
        "kk",
        "ky",
        "mn",
        "el",
        "he",
        "yi",
        "ar",
        "fa",
        "ur",
        "ps",
        "hi",
        "mr",
        "ne",
        "bn",
        "pa",
        "gu",
        "ta",
        "te",
        "kn",
        "ml",
        "ka",
        "hy",
        "am",
    ]
)


def _needs_icu(locale: Any) -> bool:
    return isinstance(locale, str) and locale.split("-")[0].split("_")[0].lower() in ICU_LOCALES


def layout(etype: EntityType) -> Layout:
    search = etype.search or {}
    declared_text = [str(f) for f in search.get("fields", [])]
    facets = {str(f) for f in search.get("facets", [])}
    sortable = [str(f) for f in search.get("sortable", [])]
    props: Mapping[str, Any] = (etype.schema or {}).get("properties", {}) or {}
    locale = search.get("locale")
    fields: list[dict[str, Any]] = [
        {"name": "status", "type": "string", "facet": True, "optional": True, "sort": True},
        {"name": "external_id", "type": "string", "optional": True, "sort": True},
        {"name": "created_at", "type": "int64"},
        {"name": "updated_at", "type": "int64", "optional": True},
    ]
    filterable = {"status": "string", "external_id": "string", "created_at": "int64", "updated_at": "int64"}
    query_by: list[str] = []
    for name in dict.fromkeys([*declared_text, *sorted(facets), *sortable]):
        if name in BUILTIN or name in ("id", ATTRIBUTES):  # the document's own fields win
            continue
        prop = props.get(name)
        kind = _ts_type(prop if isinstance(prop, Mapping) else {})
        field: dict[str, Any] = {"name": name, "type": kind, "optional": True, "facet": name in facets}
        if kind == "string":
            field["sort"] = True
        if kind.startswith("string") and _needs_icu(locale):
            field["locale"] = str(locale)
        if kind.startswith("string") and name in declared_text:
            query_by.append(name)
        fields.append(field)
        filterable[name] = kind
    return Layout(fields, query_by, facets | {"status"}, filterable)


def _epoch(value: datetime | None) -> int | None:
    return int(value.timestamp() * 1000) if value else None


def _coerce(value: Any, kind: str) -> Any:
    """The value as the field's type; Typesense coerces or drops what still does not fit."""
    if kind.endswith("[]"):
        values = value if isinstance(value, list) else [value]
        return [_coerce(v, kind[:-2]) for v in values if v is not None]
    if kind == "string" and not isinstance(value, str):
        return json.dumps(value) if isinstance(value, dict | list) else str(value)
    return value


# What a document is made of, read as plain columns: no ORM objects for the identity map to track.
INDEXED = (
    Entity.id,
    Entity.created_at,
    Entity.updated_at,
    Entity.attributes,
    Entity.status,
    Entity.external_id,
    Entity.deleted_at,
)


class Indexed(Protocol):
    """A record as indexed: an ``Entity`` or a row of ``INDEXED`` (read-only, so both fit)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime | None: ...
    @property
    def attributes(self) -> dict[str, Any] | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def external_id(self) -> str | None: ...
    @property
    def deleted_at(self) -> datetime | None: ...


def document(etype: EntityType, entity: Indexed, lay: Layout | None = None) -> dict[str, Any]:
    lay = lay or layout(etype)
    attrs = entity.attributes or {}
    doc: dict[str, Any] = {
        "id": str(entity.id),
        "created_at": _epoch(entity.created_at) or 0,
        "updated_at": _epoch(entity.updated_at),
        ATTRIBUTES: attrs,
    }
    if entity.status is not None:
        doc["status"] = entity.status
    if entity.external_id is not None:
        doc["external_id"] = entity.external_id
    for field in lay.fields:
        name = field["name"]
        if name in BUILTIN or attrs.get(name) is None:
            continue
        doc[name] = _coerce(attrs[name], field["type"])
    return {k: v for k, v in doc.items() if v is not None}


def _collection_of(etype: EntityType, lay: Layout) -> tuple[str, int]:
    """The collection for the next build: ``<alias>_<digest>_v<n>``, n one more than the current."""
    current = etype.index_collection or ""
    try:
        n = int(current.rsplit("_v", 1)[1]) + 1 if current else 1
    except (IndexError, ValueError):
        n = 1
    return f"{alias_name(etype.tenant_id, etype.name)}_{lay.digest}_v{n}", n


def is_current(etype: EntityType, lay: Layout | None = None) -> bool:
    lay = lay or layout(etype)
    collection = etype.index_collection
    return bool(collection) and f"_{lay.digest}_v" in str(collection)


def searchable_type(session: Session, ctx: TenantContext, name: str) -> EntityType:
    """The type (from the entity type cache) if it has search settings; 404 / 409 otherwise."""
    etype = types.get_type(session, ctx, name)
    if not is_searchable(etype):
        raise NotSearchable(name)
    return etype


def searchable_types(session: Session, ctx: TenantContext) -> list[EntityType]:
    rows = session.scalars(
        select(EntityType)
        .where(*mine(ctx, EntityType), EntityType.search.is_not(None))
        .order_by(EntityType.name)
    )
    return [t for t in rows if is_searchable(t)]


def reindex(
    session: Session,
    ctx: TenantContext,
    index: SearchIndex,
    type_name: str,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Reindexed:
    """Build a new collection from every live record of the type and point the alias at it.

    Unless ``force``, a type whose index already matches its settings is left alone. A type that
    lost its search settings (or no longer exists) has its alias and collection removed.
    """
    etype = session.scalar(
        select(EntityType).where(*mine(ctx, EntityType, deleted=True), EntityType.name == type_name)
    )
    alias = alias_name(ctx.tenant_id, type_name)
    if etype is None or etype.deleted_at is not None or not is_searchable(etype):
        old = index.alias_target(alias)
        index.drop_alias(alias)
        if old:
            index.drop_collection(old)
        if etype is not None and etype.index_collection:
            etype.index_collection = None
            session.flush()
        return Reindexed(collection=None, documents=0, rebuilt=False)
    lay = layout(etype)
    if not force and is_current(etype, lay) and index.alias_target(alias) == etype.index_collection:
        return Reindexed(collection=etype.index_collection, documents=0, rebuilt=False)
    collection, _ = _collection_of(etype, lay)
    index.create_collection(collection, lay.fields)
    done = 0
    for chunk in _live_batches(session, ctx, etype):
        index.upsert(collection, [document(etype, e, lay) for e in chunk])
        done += len(chunk)
        if progress:
            progress(done)
    old = index.alias_target(alias)
    index.point_alias(alias, collection)
    if old and old != collection:
        index.drop_collection(old)
    session.execute(
        update(EntityType)
        .where(*mine(ctx, EntityType, deleted=True), EntityType.id == etype.id)
        .values(index_collection=collection)
    )
    return Reindexed(collection=collection, documents=done, rebuilt=True)


def _live_batches(session: Session, ctx: TenantContext, etype: EntityType) -> Iterator[Sequence[Indexed]]:
    """The type's live records in id order, READ_CHUNK at a time, each batch its own (keyset) query, so
    memory stays flat on big types."""
    last: uuid.UUID | None = None
    while True:
        stmt = select(*INDEXED).where(*mine(ctx, Entity), Entity.type_id == etype.id)
        if last is not None:
            stmt = stmt.where(Entity.id > last)
        batch: Sequence[Indexed] = session.execute(stmt.order_by(Entity.id).limit(READ_CHUNK)).all()
        if not batch:
            return
        last = batch[-1].id
        yield batch
        if len(batch) < READ_CHUNK:
            return


def sync(
    session: Session, ctx: TenantContext, index: SearchIndex, changes: Mapping[str, Iterable[str]]
) -> Synced:
    """Bring these records' documents up to date: upsert the live ones, delete the others.

    A type whose index is missing or predates its settings is reported ``stale`` instead: its
    rebuild reads every record anyway.
    """
    out = Synced()
    names = [n for n, ids in changes.items() if ids]
    if not names:
        return out
    types = {
        t.name: t
        for t in session.scalars(
            select(EntityType).where(*mine(ctx, EntityType, deleted=True), EntityType.name.in_(names))
        )
    }
    for name in names:
        etype = types.get(name)
        wanted = {i.lower() for i in changes[name] if isinstance(i, str) and _UUID.fullmatch(i)}
        if etype is None or not wanted:
            continue
        if not is_searchable(etype) or etype.deleted_at is not None:
            if etype.index_collection:
                out.stale.append(name)  # lost its search settings: the rebuild removes the index
            continue
        lay = layout(etype)
        if not is_current(etype, lay):
            out.stale.append(name)
            continue
        rows: Sequence[Indexed] = session.execute(
            select(*INDEXED).where(
                *mine(ctx, Entity, deleted=True), Entity.type_id == etype.id, Entity.id == any_(_ids(wanted))
            )
        ).all()
        live = [e for e in rows if e.deleted_at is None]
        gone = wanted - {str(e.id) for e in live}
        collection = alias_name(ctx.tenant_id, name)
        if live:
            index.upsert(collection, [document(etype, e, lay) for e in live])
            out.upserted += len(live)
        if gone:
            out.deleted += index.delete(collection, sorted(gone))
    return out


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _ids(ids: Iterable[str]) -> Any:
    """One array parameter: an IN list of a batch's thousands of ids would be rendered one by one."""
    return cast(bindparam("ids", list(ids), type_=ARRAY(Text)), ARRAY(PG_UUID(as_uuid=True)))


def indexed_count(index: SearchIndex, tenant_id: uuid.UUID, type_name: str) -> int:
    """Documents in the type's index (0 before its first build)."""
    return index.count(alias_name(tenant_id, type_name))


# Documents are indexed through the same workflow under this name, which no entity type can take.
DOCUMENTS = "_documents"
DOCUMENT_EVENTS = {
    "document.created",
    "document.generated",
    "document.version_added",
    "document.deleted",
    "document.restored",
}
ENTITY_EVENTS = {"entity.created", "entity.updated", "entity.deleted", "entity.restored", "entity.merged"}
BATCH_EVENT = "entity.batch_changed"
TYPE_EVENT_PREFIX = "entity_type."
# Ids handed to the sync workflow per outbox batch (about 40 bytes each; Temporal payloads stay
# far below their 2 MB limit). A dispatcher that fell behind a big import hands out rebuilds instead.
MAX_HANDED_IDS = 10_000


def batch_of(
    tenant_id: uuid.UUID, events: Iterable[tuple[str, Mapping[str, Any]]], *, max_ids: int = MAX_HANDED_IDS
) -> SyncBatch | None:
    """What a batch of outbox events (type, payload) means for the index; None when nothing."""
    batch = SyncBatch(tenant_id=tenant_id)
    for event_type, payload in events:
        if event_type in DOCUMENT_EVENTS:
            if payload.get("document_id"):
                batch.changes.setdefault(DOCUMENTS, []).append(str(payload["document_id"]))
            continue
        name = payload.get("type")
        if event_type.startswith(TYPE_EVENT_PREFIX):
            name = payload.get("name") or name
            if isinstance(name, str):
                batch.reindex.setdefault(name, False)
            continue
        if not isinstance(name, str):
            continue
        if event_type in ENTITY_EVENTS and payload.get("id"):
            batch.changes.setdefault(name, []).append(str(payload["id"]))
        elif event_type == BATCH_EVENT and isinstance(payload.get("ids"), list):
            batch.changes.setdefault(name, []).extend(str(i) for i in payload["ids"])
    return None if batch.empty() else batch.bounded(max_ids)

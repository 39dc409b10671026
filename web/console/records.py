"""The console's entity records: per type a table with instant search and facets, a record's page with
its attributes as a form, its history (diffs, revert) and its relationships.

Pages read through the domain services the REST routers use; the search box and the facets search
through ``POST /api/v1/entities/{type}/search`` from the page's script, and without a script through
the same search service here (``?q=``, ``filter[<facet>]=``). Saving PATCHes
``/api/v1/entities/{type}/{id}`` with ``If-Match``; reverting POSTs
``/api/v1/entities/{type}/{id}/history/{version}/revert``."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from adapters.search import SearchIndex
from api.deps import get_index
from db.models import Entity, EntityType, User
from domain.context import TenantContext
from domain.entities import history, listing, relationships, types
from domain.entities import service as records
from domain.entities.relationships import EdgesOf
from domain.errors import DomainError, Unavailable
from domain.pagination import live_page
from domain.queries import mine
from domain.search import indexing
from domain.search import service as search
from domain.search.schemas import EntitySearchIn
from web.console import forms, i18n, views
from web.console import records_view as view
from web.console.records_words import WORDS

router = APIRouter(prefix="/app/records", include_in_schema=False)
i18n.extend(WORDS)

PAGE = 50  # the table's rows: the newest, or the best matches
TYPES = 200  # kinds of record listed (one page)
HISTORY = 50  # versions shown on a record's page
EDGES = 100  # relationships shown on a record's page


def _types(session: Session, ctx: TenantContext) -> dict[str, Any]:
    # Whoever may read records may know their kinds: the list needs entities:read only.
    ctx.require("entities:read")
    rows, _ = live_page(session, ctx, EntityType, limit=TYPES, cursor=None)
    return {"types": sorted(rows, key=lambda t: (t.label or t.name).lower())}


@router.get("")
async def type_list(request: Request) -> Response:
    found = await views.signed_in(request)
    if isinstance(found, Response):
        return found
    try:
        seen = await views.read(request, found, _types)
    except DomainError as exc:
        return views.kept(found, views.error(request, exc, found))
    return views.answer(request, found, "records.html", seen)


def _index(request: Request) -> SearchIndex | None:
    try:
        return get_index(request)
    except Unavailable:
        return None


def _table(type_name: str, q: str, query: list[tuple[str, str]], index: SearchIndex | None) -> Any:
    """The type, and its rows: the search service's best matches (newest first without a query) with
    the facets' counts, or, for a type without search settings or while the index is down, the newest
    records from the database."""

    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        ctx.require("entities:read")
        etype = types.get_type(session, ctx, type_name)
        searchable = indexing.is_searchable(etype)
        lay = indexing.layout(etype)
        names = view.facet_names(etype, lay) if searchable else []
        chosen = view.chosen_filters(query, lay, names)
        seen: dict[str, Any] = {
            "etype": etype,
            "searchable": searchable,
            "columns": view.columns(etype),
            "facet_names": names,
            "kinds": {n: lay.filterable[n] for n in names},
            "chosen": chosen,
            "q": q,
            "counts": {},
            "found": None,
            "problem": "",
            "query_id": None,
            "zone": views.zone(session, ctx),
        }
        if searchable and index is not None:
            filters = {k: view.typed(lay.filterable[k], v) for k, v in chosen.items()}
            body = EntitySearchIn(q=q, filters=filters, facets=names, per_page=PAGE)
            try:
                result = search.search(session, ctx, index, type_name, body)
            except Unavailable:
                seen["problem"] = "down"
            except DomainError as exc:  # a query the index refuses: say why, list the newest
                seen["problem"] = exc.message
            else:
                rows = [{"id": h.id, "status": h.status, "attributes": h.attributes} for h in result.hits]
                found, counts = result.found, result.facets
                return seen | {"rows": rows, "found": found, "counts": counts, "query_id": result.query_id}
        elif searchable:
            seen["problem"] = "down"
        newest, _ = listing.list_entities(session, ctx, etype, listing.ListQuery(), limit=PAGE, cursor=None)
        rows = [{"id": e.id, "status": e.status, "attributes": e.attributes} for e in newest]
        return seen | {"rows": rows}

    return read


@router.get("/{type_name}")
async def record_table(request: Request, type_name: str, q: str = "") -> Response:
    """The table; a query longer than the search endpoint takes is cut rather than refused."""
    found = await views.signed_in(request)
    if isinstance(found, Response):
        return found
    query = [(k, v) for k, v in request.query_params.multi_items() if k.startswith("filter[")][:20]
    reader = _table(type_name, q.strip()[:500], query, _index(request))
    try:
        seen = await views.read(request, found, reader)
    except DomainError as exc:
        return views.kept(found, views.error(request, exc, found))
    words = i18n.words(i18n.language(request))
    etype: EntityType = seen["etype"]
    shown = view.facets(etype, seen["facet_names"], seen["counts"], seen["q"], seen["chosen"], words)
    clear = view.address(etype.name, seen["q"], {})
    plain = partial(view.plain, words)
    return views.answer(request, found, "records_table.html", seen, facets=shown, clear=clear, plain=plain)


def _labels(session: Session, ctx: TenantContext, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The other ends' names, in one query (their types' columns say which attribute names them)."""
    if not ids:
        return {}
    found = session.execute(
        select(Entity, EntityType)
        .join(EntityType, EntityType.id == Entity.type_id)
        .where(*mine(ctx, Entity), Entity.id.in_(ids))
    )
    return {e.id: view.title(t, e.attributes, str(e.id)) for e, t in found}


def _actors(session: Session, ctx: TenantContext, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Who made the versions: the users' emails (an API key or Keel itself is named by the page)."""
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.email).where(*mine(ctx, User), User.id.in_(ids))).all())


def _record(type_name: str, record_id: uuid.UUID) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        ctx.require("entities:read")
        etype = types.get_type(session, ctx, type_name)
        entity = records.get(session, ctx, etype, record_id)
        versions, more = history.list_history(session, ctx, entity.id, limit=HISTORY)
        edges, _ = relationships.list_edges(
            session, ctx, EdgesOf(etype, entity.id, None, "both"), limit=EDGES
        )
        others = {e.target.id if e.source.id == entity.id else e.source.id for e in edges}
        fields = view.fields(etype, forms.fields(etype.schema))
        known = {f["name"] for f in fields}
        return {
            "etype": etype,
            "entity": entity,
            "etag": records.etag_of(entity),
            "name": view.title(etype, entity.attributes, str(entity.id)),
            "fields": fields,
            "extra": {k: v for k, v in entity.attributes.items() if k not in known},
            "versions": [{"row": v, "changes": view.changes(etype, v.diff)} for v in versions],
            "more_history": more is not None,
            "actors": _actors(session, ctx, {v.actor_id for v in versions if v.actor_id}),
            "edges": edges,
            "labels": _labels(session, ctx, others),
            "can_write": ctx.can("entities:write"),
            "zone": views.zone(session, ctx),
        }

    return read


@router.get("/{type_name}/{record_id}")
async def record_page(
    request: Request,
    type_name: str,
    record_id: str,
    saved: str = "",
    reverted: str = "",
) -> Response:
    """The record's page; ``saved`` and ``reverted`` (a version) say what the page's script just did."""
    read = await views.one(request, "record", record_id, partial(_record, type_name))
    if isinstance(read, Response):
        return read
    found, seen = read
    words = i18n.words(i18n.language(request))
    plain = partial(view.plain, words)
    done = {
        "saved": saved == "1",
        "reverted": reverted if reverted.isascii() and reverted.isdigit() and len(reverted) < 10 else "",
    }
    return views.answer(
        request, found, "records_record.html", seen, plain=plain, written=view.written, done=done
    )

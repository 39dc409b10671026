"""Records of a tenant-defined type: the CRUD pattern with filters, cursors, ETags and history.

Item routes use the ``uuid`` path convertor, so literal sub-paths of a type (``/bulk``, ``/search``,
``/export``…) never reach them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse

from api.deps import Ctx, Cursor, Db, IfMatch, Limit
from api.envelope import page, respond, success
from api.resource_routes import ResourceRoutes
from db.models import Entity, EntityType
from domain.entities import history, listing, types
from domain.entities import service as records
from domain.entities.schemas import EntityIn, EntityOut, VersionDetail, VersionOut
from domain.pagination import clamp_limit

router = APIRouter(prefix="/api/v1/entities", tags=["entities"])
OnDuplicate = Annotated[
    Literal["reject", "allow"], Query(description="allow: create even when similar records exist")
]
# A type's records: 404 on every route for a type that is not there.
routes = ResourceRoutes(router, EntityOut, collection="/{type_name}", item="/{entity_id:uuid}")
CHANGES = (409, 412)
"""A route that changes the record and answers it with its new ETag, guarded by If-Match (412)."""


def _with_etag(entity: Entity, etype: EntityType) -> JSONResponse:
    """The record as answered, with the ETag a later If-Match sends back."""
    return respond(success(records.to_out(entity, etype)), headers={"ETag": records.etag_of(entity)})


@routes.listing(
    404,
    summary="List records: filter[attr]=v, filter[attr][gte|gt|lte|lt|ne|in|exists]=v, status=, "
    "created_after/before=, updated_after/before=, sort=attr|-attr, external_id=, include_deleted= (admins)",
)
def list_entities(
    type_name: str, request: Request, ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None
) -> JSONResponse:
    etype = types.get_type(session, ctx, type_name)
    query = listing.parse_query(etype, request.query_params.multi_items(), ctx)
    rows, next_cursor = listing.list_entities(session, ctx, etype, query, limit=limit, cursor=cursor)
    data = [records.to_out(r, etype) for r in rows]
    return respond(page(data, limit=clamp_limit(limit), next_cursor=next_cursor))


@routes.create(
    404,
    409,
    summary="Create a record; 422 lists every bad field by JSON pointer, 409 duplicate_candidates or "
    "unique_violation",
)
def create_entity(
    type_name: str,
    body: EntityIn,
    ctx: Ctx,
    session: Db,
    on_duplicate: OnDuplicate = "reject",
) -> JSONResponse:
    etype = types.get_type(session, ctx, type_name)
    entity = records.create(session, ctx, etype, body, on_duplicate=on_duplicate)
    out = records.to_out(entity, etype)
    headers = {"ETag": records.etag_of(entity), "Location": f"/api/v1/entities/{type_name}/{out['id']}"}
    return respond(success(out), status_code=201, headers=headers)


@dataclass(frozen=True)
class RecordAt:
    """The record an item path names: the type's name and the record's id."""

    type_name: str
    entity_id: uuid.UUID


def _record_at(type_name: str, entity_id: uuid.UUID) -> RecordAt:
    return RecordAt(type_name, entity_id)


At = Annotated[RecordAt, Depends(_record_at)]


@routes.read()
def get_entity(at: At, ctx: Ctx, session: Db, include_deleted: bool = False) -> JSONResponse:
    etype = types.get_type(session, ctx, at.type_name)
    entity = records.get(session, ctx, etype, at.entity_id, include_deleted=include_deleted)
    return _with_etag(entity, etype)


@routes.put(
    *CHANGES,
    summary="Replace the record (attributes, status, external_id); If-Match guards against lost updates",
)
def replace_entity(at: At, body: EntityIn, ctx: Ctx, session: Db, if_match: IfMatch = None) -> JSONResponse:
    etype = types.get_type(session, ctx, at.type_name)
    entity = records.replace(session, ctx, etype, at.entity_id, body, if_match=if_match)
    return _with_etag(entity, etype)


@routes.patch(
    *CHANGES, summary="RFC 7396 JSON merge patch of the record: {'attributes': {'city': 'Lyon', 'fax': null}}"
)
def patch_entity(
    at: At,
    ctx: Ctx,
    session: Db,
    body: Annotated[Any, Body(media_type="application/merge-patch+json")],
    if_match: IfMatch = None,
) -> JSONResponse:
    etype = types.get_type(session, ctx, at.type_name)
    return _with_etag(records.patch(session, ctx, etype, at.entity_id, body, if_match=if_match), etype)


@routes.delete(412, summary="Soft delete: hidden from reads with its relationships, restorable")
def delete_entity(at: At, ctx: Ctx, session: Db, if_match: IfMatch = None) -> JSONResponse:
    etype = types.get_type(session, ctx, at.type_name)
    entity = records.delete(session, ctx, etype, at.entity_id, if_match=if_match)
    return respond(success(records.to_out(entity, etype)))


@routes.post(
    "/restore",
    *CHANGES,
    summary="Undo a soft delete (409 if another record took one of its unique values meanwhile)",
)
def restore_entity(at: At, ctx: Ctx, session: Db, if_match: IfMatch = None) -> JSONResponse:
    etype = types.get_type(session, ctx, at.type_name)
    return _with_etag(records.restore(session, ctx, etype, at.entity_id, if_match=if_match), etype)


@routes.read(
    below="/history",
    model=list[VersionOut],
    summary="Every version of the record, newest first, with the diff and the actor",
)
def list_history(
    at: At, ctx: Ctx, session: Db, include_deleted: bool = True, limit: Limit = None, cursor: Cursor = None
) -> JSONResponse:
    etype = types.get_type(session, ctx, at.type_name)
    entity = records.get(session, ctx, etype, at.entity_id, include_deleted=include_deleted and ctx.is_admin)
    rows, next_cursor = history.list_history(session, ctx, entity.id, limit=limit, cursor=cursor)
    out = [VersionOut.model_validate(v).model_dump(mode="json") for v in rows]
    return respond(page(out, limit=clamp_limit(limit), next_cursor=next_cursor))


@routes.read(
    below="/history/{version}", model=VersionDetail, summary="The full record as it was at that version"
)
def get_version(at: At, version: int, ctx: Ctx, session: Db) -> JSONResponse:
    etype = types.get_type(session, ctx, at.type_name)
    entity = records.get(session, ctx, etype, at.entity_id, include_deleted=ctx.is_admin)
    row = history.get_version(session, ctx, entity.id, version)
    return respond(success(VersionDetail.model_validate(row).model_dump(mode="json")))


@routes.post(
    "/history/{version}/revert",
    *CHANGES,
    summary="Make the record what it was at that version again (a new version; validated today)",
)
def revert_entity(at: At, version: int, ctx: Ctx, session: Db, if_match: IfMatch = None) -> JSONResponse:
    etype = types.get_type(session, ctx, at.type_name)
    return _with_etag(records.revert(session, ctx, etype, at.entity_id, version, if_match=if_match), etype)

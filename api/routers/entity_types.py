"""Entity types: the tenant's own kinds of records, defined by a JSON Schema, changed in versions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.deps import Ctx, Cursor, Db, Limit
from api.envelope import created, page, success
from api.resource_routes import ResourceRoutes
from db.models import EntityType
from domain.entities import types
from domain.entities.schemas import EntityTypeIn, EntityTypeOut, EntityTypeUpdate, EntityTypeVersionOut
from domain.pagination import clamp_limit

router = APIRouter(prefix="/api/v1/entity-types", tags=["entity types"])
routes = ResourceRoutes(router, EntityTypeOut, item="/{name}")


def _out(etype: EntityType) -> dict[str, Any]:
    return EntityTypeOut.model_validate(etype).model_dump(mode="json", by_alias=True)


@routes.create(
    409,
    summary="Define a kind of record: JSON Schema, unique attributes, dedup and search settings, statuses",
)
def create_type(body: EntityTypeIn, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    out = _out(types.create_type(session, ctx, body))
    return created(response, f"/api/v1/entity-types/{out['name']}", out)


@routes.listing()
def list_types(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    rows, next_cursor = types.list_types(session, ctx, limit=limit, cursor=cursor)
    data = [_out(t) for t in rows]
    return page(data, limit=clamp_limit(limit), next_cursor=next_cursor)


@routes.read()
def get_type(name: str, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(_out(types.read_type(session, ctx, name)))


@routes.put(
    409,
    summary="Change a type; a new version. 409 schema_incompatible counts the records that would break",
)
def update_type(name: str, body: EntityTypeUpdate, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(_out(types.update_type(session, ctx, name, body)))


@routes.read(
    below="/versions",
    model=list[EntityTypeVersionOut],
    summary="Every version of the type's definition, newest first",
)
def list_versions(name: str, ctx: Ctx, session: Db) -> dict[str, Any]:
    rows = types.list_versions(session, ctx, name)
    return success(
        [EntityTypeVersionOut.model_validate(v).model_dump(mode="json", by_alias=True) for v in rows]
    )

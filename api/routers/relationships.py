"""Relation types, the typed edges between records, duplicate candidates and merges."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from api.deps import Ctx, Cursor, Db, IfMatch, Limit
from api.envelope import Envelope, created, errors, models_page, page, success
from db.models import RelationType
from domain.context import TenantContext
from domain.entities import dedup, merge, relation_types, relationships, types
from domain.entities import service as records
from domain.entities.relation_schemas import (
    Direction,
    DuplicatePair,
    MergeIn,
    MergeOut,
    Neighbourhood,
    RelationshipIn,
    RelationshipOut,
    RelationTypeIn,
    RelationTypeOut,
    RelationTypeUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["relationships"])
DirectionQuery = Annotated[
    Direction, Query(description="out: edges from this record (default); in: edges to it; both")
]
Depth = Annotated[
    int | None,
    Query(
        ge=1, le=relationships.MAX_DEPTH, description="return the neighbourhood (nodes and edges) this deep"
    ),
]


def _rt(row: RelationType) -> dict[str, Any]:
    return RelationTypeOut.model_validate(row).model_dump(mode="json")


@router.post(
    "/relation-types",
    status_code=201,
    response_model=Envelope[RelationTypeOut],
    responses=errors(403, 409),
    summary="Define a kind of directed edge: allowed source and target types, cardinality, attributes schema",
)
def create_relation_type(body: RelationTypeIn, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    out = _rt(relation_types.create(session, ctx, body))
    return created(response, f"/api/v1/relation-types/{out['name']}", out)


@router.get(
    "/relation-types",
    response_model=Envelope[list[RelationTypeOut]],
    responses=errors(403),
    summary="Every relation type of the tenant, by name (one page)",
)
def list_relation_types(ctx: Ctx, session: Db) -> dict[str, Any]:
    data = [_rt(r) for r in relation_types.list_all(session, ctx)]
    return page(data, limit=len(data), next_cursor=None)


@router.get("/relation-types/{name}", response_model=Envelope[RelationTypeOut], responses=errors(403, 404))
def get_relation_type(name: str, ctx: Ctx, session: Db) -> dict[str, Any]:
    ctx.require("entity_types:read")
    return success(_rt(relation_types.get(session, ctx, name)))


@router.put(
    "/relation-types/{name}",
    response_model=Envelope[RelationTypeOut],
    responses=errors(403, 404, 409),
    summary="Replace a relation type; 409 (with counts) if existing edges would break",
)
def update_relation_type(name: str, body: RelationTypeUpdate, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(_rt(relation_types.update_type(session, ctx, name, body)))


@router.delete(
    "/relation-types/{name}",
    response_model=Envelope[RelationTypeOut],
    responses=errors(403, 404, 409),
    summary="Remove a relation type no edge uses (409 with the count otherwise)",
)
def delete_relation_type(name: str, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(_rt(relation_types.delete(session, ctx, name)))


EDGES_SUMMARY = (
    "A record's visible edges (newest first, paginated); with ?depth=1..3 its neighbourhood instead: "
    "nodes {id, type, depth, attributes summary} and the edges walked"
)


def _edges_or_graph(
    ctx: TenantContext,
    session: Session,
    type: str,
    entity_id: uuid.UUID,
    relation_type: str | None,
    direction: Direction,
    depth: int | None,
    limit: int | None,
    cursor: str | None,
) -> dict[str, Any]:
    etype = types.get_type(session, ctx, type)
    if depth is not None:
        graph = relationships.neighbourhood(
            session, ctx, etype, entity_id, relation_type, direction=direction, depth=depth
        )
        return success(graph.model_dump(mode="json"))
    rows, next_cursor = relationships.list_edges(
        session, ctx, etype, entity_id, relation_type, direction=direction, limit=limit, cursor=cursor
    )
    return models_page(rows, limit=limit, next_cursor=next_cursor)


@router.get(
    "/entities/{type}/{entity_id:uuid}/relationships",
    response_model=Envelope[list[RelationshipOut] | Neighbourhood],
    responses=errors(403, 404),
    summary=EDGES_SUMMARY + ", of every relation type",
)
def list_all_relationships(
    type: str,
    entity_id: uuid.UUID,
    ctx: Ctx,
    session: Db,
    direction: DirectionQuery = "out",
    depth: Depth = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    return _edges_or_graph(ctx, session, type, entity_id, None, direction, depth, limit, cursor)


@router.get(
    "/entities/{type}/{entity_id:uuid}/relationships/{relation_type}",
    response_model=Envelope[list[RelationshipOut] | Neighbourhood],
    responses=errors(403, 404),
    summary=EDGES_SUMMARY + ", of one relation type",
)
def list_relationships(
    type: str,
    entity_id: uuid.UUID,
    relation_type: str,
    ctx: Ctx,
    session: Db,
    direction: DirectionQuery = "out",
    depth: Depth = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    return _edges_or_graph(ctx, session, type, entity_id, relation_type, direction, depth, limit, cursor)


@router.post(
    "/entities/{type}/{entity_id:uuid}/relationships/{relation_type}",
    status_code=201,
    response_model=Envelope[RelationshipOut],
    responses=errors(403, 404, 409),
    summary="Relate this record (the source) to target_id. 404 names the missing end; 422 when the relation "
    "type does not allow the ends' types, the attributes do not fit its schema, or the target is the record "
    "itself; 409 cardinality_violation",
)
def create_relationship(
    type: str,
    entity_id: uuid.UUID,
    relation_type: str,
    body: RelationshipIn,
    ctx: Ctx,
    session: Db,
    response: Response,
) -> dict[str, Any]:
    etype = types.get_type(session, ctx, type)
    out = relationships.relate(session, ctx, etype, entity_id, relation_type, body)
    location = f"/api/v1/entities/{type}/{entity_id}/relationships/{relation_type}/{out.target.id}"
    return created(response, location, out.model_dump(mode="json"))


@router.delete(
    "/entities/{type}/{entity_id:uuid}/relationships/{relation_type}/{target_id:uuid}",
    response_model=Envelope[RelationshipOut],
    responses=errors(403, 404),
    summary="Remove the edge from this record to target_id; answers the removed edge",
)
def delete_relationship(
    type: str, entity_id: uuid.UUID, relation_type: str, target_id: uuid.UUID, ctx: Ctx, session: Db
) -> dict[str, Any]:
    etype = types.get_type(session, ctx, type)
    out = relationships.unrelate(session, ctx, etype, entity_id, relation_type, target_id)
    return success(out.model_dump(mode="json"))


@router.get(
    "/entities/{type}/duplicates",
    response_model=Envelope[list[DuplicatePair]],
    responses=errors(403, 404),
    summary="Pairs of live records whose dedup fields are at least as similar as the type's threshold "
    "(pg_trgm), each pair once, most similar first",
)
def list_duplicates(
    type: str,
    ctx: Ctx,
    session: Db,
    limit: Annotated[int, Query(ge=1, le=dedup.MAX_PAIRS, description="pairs to return")] = 50,
) -> dict[str, Any]:
    etype = types.get_type(session, ctx, type)
    pairs = dedup.duplicate_pairs(session, ctx, etype, limit=limit)
    return page([p.model_dump(mode="json") for p in pairs], limit=limit, next_cursor=None)


MERGE_SUMMARY = (
    "Merge the records in `from` into this one. Strategies: "
    + "; ".join(f"{k}: {v}" for k, v in merge.STRATEGIES.items())
    + ". Edges of the merged records move to this one (duplicates, self-loops and edges over a cardinality "
    "are dropped; this record's own edges win, then `from` order); the merged records are soft-deleted "
    "with merged_into. 422 merge into itself, 404 unknown id, 409 already deleted"
)


@router.post(
    "/entities/{type}/{entity_id:uuid}/merge",
    response_model=Envelope[MergeOut],
    responses=errors(403, 404, 409, 412),
    summary="Merge duplicates into this record (strategy: keep_target, prefer_source or fill_empty)",
    description=MERGE_SUMMARY,
)
def merge_records(
    type: str,
    entity_id: uuid.UUID,
    body: MergeIn,
    ctx: Ctx,
    session: Db,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    etype = types.get_type(session, ctx, type)
    result = merge.merge(session, ctx, etype, entity_id, body, if_match=if_match)
    out = MergeOut.model_validate(
        {
            "survivor": records.to_out(result.survivor, etype),
            "merged": result.merged,
            "relationships": {"repointed": result.repointed, "dropped": result.dropped},
        }
    )
    response.headers["ETag"] = records.etag_of(result.survivor)
    return success(out.model_dump(mode="json"))

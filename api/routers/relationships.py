"""Relation types, the typed edges between records, duplicate candidates and merges."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from api.deps import Ctx, Cursor, Db, IfMatch, Limit
from api.envelope import Envelope, created, dumped, listed, models_page, success
from api.resource_routes import ResourceRoutes, Route
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
relation_types_routes = ResourceRoutes(router, RelationTypeOut, item="/{name}", collection="/relation-types")
record_routes = ResourceRoutes(
    router, RelationshipOut, item="/{entity_id:uuid}", collection="/entities/{type}"
)
"""A record's edges, duplicates and merges: a 404 is an unknown type or record."""
DirectionQuery = Annotated[
    Direction, Query(description="out: edges from this record (default); in: edges to it; both")
]
PairsLimit = Annotated[int, Query(ge=1, le=dedup.MAX_PAIRS, description="pairs to return")]
Depth = Annotated[
    int | None,
    Query(
        ge=1, le=relationships.MAX_DEPTH, description="return the neighbourhood (nodes and edges) this deep"
    ),
]


@relation_types_routes.create(
    409,
    summary="Define a kind of directed edge: allowed source and target types, cardinality, attributes schema",
)
def create_relation_type(body: RelationTypeIn, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    out = dumped(RelationTypeOut, relation_types.create(session, ctx, body))
    return created(response, f"/api/v1/relation-types/{out['name']}", out)


@relation_types_routes.listing(summary="Every relation type of the tenant, by name (one page)")
def list_relation_types(ctx: Ctx, session: Db) -> Envelope[list[RelationTypeOut]]:
    data = [RelationTypeOut.model_validate(r) for r in relation_types.list_all(session, ctx)]
    return listed(data, limit=len(data), next_cursor=None)


@relation_types_routes.read()
def get_relation_type(name: str, ctx: Ctx, session: Db) -> dict[str, Any]:
    ctx.require("entity_types:read")
    return success(dumped(RelationTypeOut, relation_types.get(session, ctx, name)))


@relation_types_routes.put(
    409, summary="Replace a relation type; 409 (with counts) if existing edges would break"
)
def update_relation_type(name: str, body: RelationTypeUpdate, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(dumped(RelationTypeOut, relation_types.update_type(session, ctx, name, body)))


@relation_types_routes.delete(
    409, summary="Remove a relation type no edge uses (409 with the count otherwise)"
)
def delete_relation_type(name: str, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(dumped(RelationTypeOut, relation_types.delete(session, ctx, name)))


EDGES_SUMMARY = (
    "A record's visible edges (newest first, paginated); with ?depth=1..3 its neighbourhood instead: "
    "nodes {id, type, depth, attributes summary} and the edges walked"
)


@dataclass(frozen=True)
class EdgesQuery:
    """How a record's edges are read: a page of them, or with a depth its neighbourhood."""

    direction: Direction
    depth: int | None
    limit: int | None
    cursor: str | None


def _edges_query(
    direction: DirectionQuery = "out", depth: Depth = None, limit: Limit = None, cursor: Cursor = None
) -> EdgesQuery:
    return EdgesQuery(direction, depth, limit, cursor)


Edges = Annotated[EdgesQuery, Depends(_edges_query)]


def _edges_or_graph(
    ctx: TenantContext,
    session: Session,
    type: str,
    entity_id: uuid.UUID,
    relation_type: str | None,
    query: EdgesQuery,
) -> dict[str, Any]:
    etype = types.get_type(session, ctx, type)
    of = relationships.EdgesOf(etype, entity_id, relation_type, query.direction)
    if query.depth is not None:
        graph = relationships.neighbourhood(session, ctx, of, depth=query.depth)
        return success(graph.model_dump(mode="json"))
    rows, next_cursor = relationships.list_edges(session, ctx, of, limit=query.limit, cursor=query.cursor)
    return models_page(rows, limit=query.limit, next_cursor=next_cursor)


def _lists_edges(below: str, of_which: str) -> Route:
    """A listing of a record's edges (or its neighbourhood), of every relation type or of one."""
    return record_routes.read(
        below=below, model=list[RelationshipOut] | Neighbourhood, summary=f"{EDGES_SUMMARY}, of {of_which}"
    )


@_lists_edges("/relationships", "every relation type")
def list_all_relationships(
    type: str, entity_id: uuid.UUID, ctx: Ctx, session: Db, query: Edges
) -> dict[str, Any]:
    return _edges_or_graph(ctx, session, type, entity_id, None, query)


@_lists_edges("/relationships/{relation_type}", "one relation type")
def list_relationships(
    type: str, entity_id: uuid.UUID, relation_type: str, ctx: Ctx, session: Db, query: Edges
) -> dict[str, Any]:
    return _edges_or_graph(ctx, session, type, entity_id, relation_type, query)


@record_routes.post(
    "/relationships/{relation_type}",
    409,
    status_code=201,
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


@record_routes.delete(
    below="/relationships/{relation_type}/{target_id:uuid}",
    summary="Remove the edge from this record to target_id; answers the removed edge",
)
def delete_relationship(
    type: str, entity_id: uuid.UUID, relation_type: str, target_id: uuid.UUID, ctx: Ctx, session: Db
) -> dict[str, Any]:
    etype = types.get_type(session, ctx, type)
    out = relationships.unrelate(session, ctx, etype, entity_id, relation_type, target_id)
    return success(out.model_dump(mode="json"))


@record_routes.collection_get(
    "/duplicates",
    404,
    model=list[DuplicatePair],
    summary="Pairs of live records whose dedup fields are at least as similar as the type's threshold "
    "(pg_trgm), each pair once, most similar first",
)
def list_duplicates(
    type: str, ctx: Ctx, session: Db, limit: PairsLimit = 50
) -> Envelope[list[DuplicatePair]]:
    etype = types.get_type(session, ctx, type)
    return listed(dedup.duplicate_pairs(session, ctx, etype, limit=limit), limit=limit, next_cursor=None)


MERGE_SUMMARY = (
    "Merge the records in `from` into this one. Strategies: "
    + "; ".join(f"{k}: {v}" for k, v in merge.STRATEGIES.items())
    + ". Edges of the merged records move to this one (duplicates, self-loops and edges over a cardinality "
    "are dropped; this record's own edges win, then `from` order); the merged records are soft-deleted "
    "with merged_into. 422 merge into itself, 404 unknown id, 409 already deleted"
)


@record_routes.post(
    "/merge",
    409,
    412,
    model=MergeOut,
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

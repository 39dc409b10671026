"""Search over a tenant's records (Typesense): per type, autocomplete, federated; clicks and analytics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Ctx, Db, IndexDep
from api.envelope import Envelope, success
from api.resource_routes import ResourceRoutes
from domain.instants import BoundedDatetime
from domain.search import analytics, service
from domain.search.schemas import (
    Analytics,
    ClickIn,
    ClickOut,
    EntitySearchIn,
    FederatedIn,
    Hit,
    SearchResult,
    Suggestion,
)

router = APIRouter(prefix="/api/v1", tags=["search"])
# A type's index: a 404 for a type that does not exist, 409 for one not searchable, 503 for the index down.
type_search = ResourceRoutes(router, list[Hit], item="/entities/{type_name}")
search_routes = ResourceRoutes(router, list[Hit], collection="/search")


def _hits(result: SearchResult) -> dict[str, Any]:
    """The hits as data, the rest of the result (found, page, facets, query_id…) as meta."""
    meta = result.model_dump(mode="json", exclude={"hits"})
    if not result.per_type:
        meta.pop("per_type")
    return success([h.model_dump(mode="json") for h in result.hits], meta=meta)


@type_search.post(
    "/search",
    409,
    503,
    summary="Search one type's records: typo-tolerant, prefix matching, filters, facets, sort; "
    "meta has found, page, facets and the query_id to report clicks with",
)
def search_type(
    type_name: str, body: EntitySearchIn, ctx: Ctx, session: Db, index: IndexDep
) -> dict[str, Any]:
    return _hits(service.search(session, ctx, index, type_name, body))


@type_search.read(
    409,
    503,
    below="/autocomplete",
    model=list[Suggestion],
    summary="Suggestions for what was typed so far (prefix and typo tolerant)",
)
def autocomplete(
    type_name: str,
    ctx: Ctx,
    session: Db,
    index: IndexDep,
    q: Annotated[str, Query(max_length=200)],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> dict[str, Any]:
    found = service.autocomplete(session, ctx, index, type_name, q, limit)
    return success([s.model_dump(mode="json") for s in found])


@search_routes.collection_post(
    "",
    503,
    summary="Search several types at once (all your searchable types by default); best hits first, "
    "meta.per_type counts the hits of each",
)
def search_all(body: FederatedIn, ctx: Ctx, session: Db, index: IndexDep) -> dict[str, Any]:
    return _hits(service.federated(session, ctx, index, body))


@search_routes.collection_post(
    "/clicks",
    404,
    status_code=201,
    model=ClickOut,
    summary="Report that a hit of a search was opened (for click-through analytics)",
)
def record_click(body: ClickIn, ctx: Ctx, session: Db) -> dict[str, Any]:
    click = analytics.record_click(session, ctx, body)
    out = ClickOut.model_validate(click).model_dump(mode="json")
    return success(out)


@search_routes.collection_get(
    "/analytics",
    model=Analytics,
    summary="Top queries, zero-result queries and click-through per query in a time window "
    "(default: the last 30 days)",
)
def search_analytics(
    ctx: Ctx,
    session: Db,
    since: Annotated[BoundedDatetime | None, Query(alias="from", description="RFC 3339, inclusive")] = None,
    until: Annotated[BoundedDatetime | None, Query(alias="to", description="RFC 3339, exclusive")] = None,
    limit: Annotated[int, Query(ge=1, description="queries per list, capped at 100")] = 10,
) -> Envelope[Analytics]:
    return Envelope(data=analytics.report(session, ctx, since=since, until=until, limit=limit))

"""Analytics dashboards: the tenant's and the shipped operations one, every tile answered at once, and
the tiles that change pushed as Server-Sent Events."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from api import sse
from api.deps import Ctx, Cursor, Db, EngineDep, IfMatch, Limit
from api.envelope import created, page, respond, success
from api.etag import check_if_match, etag
from api.resource_routes import ResourceRoutes
from db.session import tenant_session
from domain.analytics import dashboards
from domain.analytics.schemas import DashboardData, DashboardIn, DashboardOut, DashboardPatch
from domain.context import TenantContext
from domain.errors import NotFound
from domain.pagination import clamp_limit

router = APIRouter(prefix="/api/v1/dashboards", tags=["dashboards"])
routes = ResourceRoutes(router, DashboardOut, item="/{dashboard_id}")
SSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-Sent Events: `tile` events (JSON: index, metric, chart, data or error), "
        "first every tile, then the tiles whose data changed; `: keep-alive` comments in between",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


def _etag(out: DashboardOut) -> str:
    return etag(out.id, out.updated_at)


def _answer(out: DashboardOut, response: Response) -> dict[str, Any]:
    response.headers["ETag"] = _etag(out)
    return out.model_dump(mode="json", by_alias=True)


@routes.create(summary="Create a dashboard; each tile's query is checked against its metric")
def create_dashboard(body: DashboardIn, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    out = _answer(dashboards.create(session, ctx, body), response)
    return created(response, f"/api/v1/dashboards/{out['id']}", out)


@routes.listing(summary="The operations dashboard, then the tenant's, newest first, a page at a time")
def list_dashboards(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    items, next_cursor = dashboards.listing(session, ctx, limit=limit, cursor=cursor)
    data = [item.model_dump(mode="json", by_alias=True) for item in items]
    return page(data, limit=clamp_limit(limit), next_cursor=next_cursor)


@routes.read(summary="A dashboard, with its ETag")
def get_dashboard(dashboard_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    return success(_answer(dashboards.get(session, ctx, dashboard_id), response))


@routes.patch(
    409, 412, summary="Change a dashboard's name, description or tiles (If-Match guards lost updates)"
)
def update_dashboard(
    dashboard_id: uuid.UUID, body: DashboardPatch, ctx: Ctx, session: Db, if_match: IfMatch = None
) -> JSONResponse:
    out = dashboards.update(
        session, ctx, dashboard_id, body, lambda current: check_if_match(if_match, _etag(current))
    )
    return respond(success(out.model_dump(mode="json", by_alias=True)), headers={"ETag": _etag(out)})


@routes.delete(409, summary="Delete a dashboard (soft); the operations dashboard cannot be")
def delete_dashboard(dashboard_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    out = dashboards.delete(session, ctx, dashboard_id)
    return success(out.model_dump(mode="json", by_alias=True))


@routes.read(below="/data", model=DashboardData, summary="Every tile answered now; a failing tile its error")
def dashboard_data(dashboard_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(
        success(dashboards.data(session, ctx, dashboard_id).model_dump(mode="json", by_alias=True))
    )


def _tiles(engine: Any, ctx: TenantContext, dashboard_id: uuid.UUID) -> list[dict[str, Any]] | None:
    """Every tile now, in one short transaction of its own; None once the dashboard is gone."""
    try:
        with tenant_session(engine, ctx.tenant_id) as session:
            answered = dashboards.data(session, ctx, dashboard_id)
    except NotFound:
        return None
    return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in answered.tiles]


def _figures(tile: dict[str, Any]) -> str:
    """What a tile shows, without the window it was computed over (a range ending now moves each
    tick): what a change is judged on."""
    shown = dict(tile)
    if isinstance(shown.get("data"), dict):
        shown["data"] = {k: v for k, v in shown["data"].items() if k not in ("from", "to", "previous")}
        shown["previous"] = (tile["data"].get("previous") or {}).get("value")
    return json.dumps(shown, sort_keys=True)


def _ticks(engine: Any, ctx: TenantContext, dashboard_id: uuid.UUID) -> sse.Tick:
    """Every tile first, then the tiles whose figures changed; ``gone`` once the dashboard is."""
    shown: dict[int, str] = {}

    async def tick() -> tuple[list[tuple[str, Any]], bool]:
        tiles = await run_in_threadpool(_tiles, engine, ctx, dashboard_id)
        if tiles is None:
            return [("gone", {})], False
        changed = [t for t in tiles if shown.get(t["index"]) != _figures(t)]
        shown.update({t["index"]: _figures(t) for t in changed})
        return [("tile", t) for t in changed], True

    return tick


@routes.read(
    below="/stream",
    response_class=StreamingResponse,
    responses=SSE,
    summary="Live tiles (Server-Sent Events): every tile, then the ones that changed, every `interval` s",
    description=(
        "The stream closes after the server's lifetime (`KEEL_DASHBOARD_STREAM_SECONDS`, 1 hour by "
        "default) or at once with `once=true`, after the first tiles; the client reconnects. Each tick "
        "reads in a short transaction of its own."
    ),
)
def dashboard_stream(
    dashboard_id: uuid.UUID,
    request: Request,
    ctx: Ctx,
    session: Db,
    engine: EngineDep,
    interval: Annotated[int, Query(ge=5, le=300, description="seconds between ticks")] = 15,
    once: sse.Once = False,
) -> StreamingResponse:
    dashboards.get(session, ctx, dashboard_id)  # 404 (or 403) before the stream starts
    return sse.follow(request, _ticks(engine, ctx, dashboard_id), interval, once)

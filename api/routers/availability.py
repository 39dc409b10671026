"""Collective free slots: when every named resource is open and free, buffers included."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.deps import Ctx, EngineDep
from api.envelope import Envelope, errors, respond, success
from db.session import tenant_session
from domain.durations import format_duration
from domain.scheduling import availability, resources
from domain.scheduling.resource_schemas import MAX_SLOTS, SlotOut, parse_availability_query

router = APIRouter(prefix="/api/v1/availability", tags=["availability"])


def _z(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


@router.get(
    "",
    response_model=Envelope[list[SlotOut]],
    responses=errors(403, 404),
    summary="Free slots where ALL the resources are open and free (buffers and rules honoured). "
    "Slot starts lie on multiples of the granularity from the Unix epoch (UTC); the window is at most "
    "62 days; at most 20 resources",
)
def get_availability(
    ctx: Ctx,
    engine: EngineDep,
    resources_param: Annotated[
        str | None, Query(alias="resources", description="comma-separated resource ids")
    ] = None,
    duration: Annotated[str | None, Query(description="ISO 8601, e.g. PT90M")] = None,
    start: Annotated[str | None, Query(alias="from", description="RFC 3339 with an offset")] = None,
    end: Annotated[str | None, Query(alias="to", description="RFC 3339 with an offset")] = None,
    granularity: Annotated[str | None, Query(description="ISO 8601, default PT15M, at least PT5M")] = None,
    limit: Annotated[
        int | None, Query(description=f"slots returned, default 200, at most {MAX_SLOTS}")
    ] = None,
) -> JSONResponse:
    query = parse_availability_query(resources_param, duration, start, end, granularity, limit)
    ctx.require("resources:read")
    with tenant_session(engine, ctx.tenant_id) as session:
        found = resources.get_many(session, ctx, query.resource_ids)
        slots = availability.free_slots(
            session,
            ctx,
            query.resource_ids,
            query.duration,
            query.start,
            query.end,
            query.granularity,
            limit=query.limit + 1,
        )
    more = len(slots) > query.limit
    meta = {
        "resources": [{"id": str(r.id), "name": r.name, "timezone": r.timezone} for r in found],
        "from": _z(query.start),
        "to": _z(query.end),
        "duration": format_duration(query.duration),
        "granularity": format_duration(query.granularity),
        "limit": query.limit,
        "count": min(len(slots), query.limit),
        "truncated": more,
    }
    data = [{"start": _z(s), "end": _z(e)} for s, e in slots[: query.limit]]
    return respond(success(data, meta=meta))

"""Collective free slots (GET), and the best options for several requirements (POST /search)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import Ctx, Db
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from domain.durations import format_duration
from domain.scheduling.availability import service as availability
from domain.scheduling.availability.schemas import MAX_SLOTS, SlotOut, parse_availability_query
from domain.scheduling.resources import service as resources
from domain.scheduling.slot_search import service as slot_search
from domain.scheduling.slot_search.schemas import SlotSearchIn, check

router = APIRouter(prefix="/api/v1/availability", tags=["availability"])
routes = ResourceRoutes(router, SlotOut)
"""Reads over resources, a 404 when one of them does not exist."""


def _z(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


@routes.listing(
    404,
    summary="Free slots where ALL the resources are open and free (buffers and rules honoured). "
    "Slot starts lie on multiples of the granularity from the Unix epoch (UTC); the window is at most "
    "62 days; at most 20 resources",
)
def get_availability(
    ctx: Ctx,
    session: Db,
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


class ChosenOut(BaseModel):
    id: str
    name: str
    requirement: int


class OptionOut(BaseModel):
    start: datetime
    end: datetime
    resources: list[ChosenOut]
    score: float
    criteria: dict[str, float]


SEARCH_DESCRIPTION = """
Candidate starts lie on the granularity grid (multiples of `granularity` from the Unix epoch, UTC,
inside `window`, the slot ending by `window.to`). A resource can fill a requirement when it carries
the `tag` (or is the `resource` named), is active, and is open and free for the whole slot, its
buffers clear of every allocation. One resource fills at most one place in an option. Each option is
one start with the best resources for it; options are ranked by the one objective in `preferences`:

- `earliest` (the default): the smallest start. `score`: minutes from `window.from` to the start.
- `prefer_resources`: the most preferred resources chosen, then the smallest start. `score`: how
  many chosen resources are preferred (higher is better).
- `balance_load`: the smallest load of the most loaded chosen resource, then the smallest sum of the
  chosen resources' loads, then the smallest start. A load is the allocated time (buffers included)
  inside the window. `score`: that largest load in hours (lower is better).

At one start the resources are taken by key: resource id (`earliest`), preferred first then id
(`prefer_resources`), load then id (`balance_load`); the chosen set is the one whose sorted keys are
smallest, and each requirement in order takes the smallest keys that let the later ones be filled.
The result is exact for the objective: feasible sets form a transversal matroid, whose greedy basis
(built with augmenting paths) is optimal for the largest, the sum and the count of preferred keys at
once. `criteria` gives every component of the ranking. `meta.examined` counts the starts where every
requirement had enough free candidates.

422 names the field: no requirement, a count outside 1-10, a tag no resource carries (or fewer than
`count`), a duration not a whole number of granularity steps, a window over 31 days or ending before
it starts, not exactly one preference, more than 500 candidate resources, or a search too large to
answer in about a second (`window`: narrow it, coarsen the granularity or the tags). No option starts
before now plus the longest minimum notice of its resources. 404: an unknown (or other tenant's)
resource id.
"""


def _criteria(objective: str, option: slot_search.Option, since: datetime) -> tuple[float, dict[str, float]]:
    minutes = (option.start - since) / timedelta(minutes=1)
    hours = timedelta(hours=1)
    if objective == "prefer_resources":
        return option.preferred, {"preferred": option.preferred, "minutes_from_window_start": minutes}
    if objective == "balance_load":
        top, total = option.max_load / hours, option.total_load / hours
        return top, {"max_load_hours": top, "total_load_hours": total, "minutes_from_window_start": minutes}
    return minutes, {"minutes_from_window_start": minutes}


@routes.collection_post(
    "/search",
    404,
    model=list[OptionOut],
    summary="The best starts and resources for several requirements (tags with counts, named resources)",
    description=SEARCH_DESCRIPTION,
)
def search_availability(body: SlotSearchIn, ctx: Ctx, session: Db) -> JSONResponse:
    query = check(body)
    found = slot_search.search(session, ctx, query)
    data: list[dict[str, Any]] = []
    for option in found.options:
        score, criteria = _criteria(query.objective, option, query.start)
        chosen = [
            {"id": str(rid), "name": found.candidates[rid].name, "requirement": j} for rid, j in option.chosen
        ]
        data.append(
            {
                "start": _z(option.start),
                "end": _z(option.end),
                "resources": chosen,
                "score": score,
                "criteria": criteria,
            }
        )
    meta = {
        "objective": query.objective,
        "from": _z(query.start),
        "to": _z(query.end),
        "duration": format_duration(query.duration),
        "granularity": format_duration(query.granularity),
        "limit": query.limit,
        "count": len(data),
        "requirements": [
            {"tag": r.tag, "resource": str(r.resource_id) if r.resource_id else None, "count": r.count}
            | {"candidates": n}
            for r, n in zip(query.requirements, found.eligible, strict=True)
        ],
        "starts": found.starts,
        "examined": found.examined,
    }
    return respond(success(data, meta=meta))

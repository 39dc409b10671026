"""The console's processes: the list (filtered by definition, status and business key, newest first)
and a process's page: where it stands (Temporal's status and the workflow's live state), its tasks as a
timeline, its SLA breaches, its Temporal UI link, and a cancel button that calls
``POST /api/v1/processes/{id}/cancel``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from api import process_runtime as runtime
from api.deps import get_temporal
from db.models import Process, SlaBreach, Task
from domain.context import TenantContext
from domain.definitions import graph
from domain.definitions import service as definitions
from domain.definitions.service import Catalog
from domain.errors import DomainError, NotFound
from domain.pagination import live_page
from domain.processes import service as processes
from domain.queries import live, mine
from web.console import diagram, forms, views

router = APIRouter(prefix="/app/processes", include_in_schema=False)
PAGE = 100  # the list shows the newest hundred that match
STATUSES = ("running", "completed", "failed", "cancelled", "terminated", "timed_out")


def _listing(definition: str, status: str, key: str) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        ctx.require("processes:read")
        # A running process has no status yet: Temporal's is recorded when it ends.
        state = [Process.status.is_(None)] if status == "running" else []
        named = {
            "definition": definition,
            "business_key": key,
            "status": status if status != "running" else "",
        }
        rows, _ = live_page(session, ctx, Process, *state, equal=named, limit=PAGE, cursor=None)
        names = session.scalars(
            select(Process.definition).where(*mine(ctx, Process)).distinct().order_by(Process.definition)
        )
        zone = views.zone(session, ctx)
        return {
            "rows": rows,
            "definitions": list(names),
            "zone": zone,
            "can_start": ctx.can("processes:start"),
        }

    return read


class ListAsked(BaseModel):
    """The list's filters: a definition, a status, a business key (empty: any)."""

    definition: str = Field("", max_length=128)
    status: str = Field("", max_length=16)
    key: str = Field("", max_length=255)


@router.get("")
async def process_list(request: Request, asked: Annotated[ListAsked, Query()]) -> Response:
    reader = _listing(asked.definition, asked.status, asked.key)
    return await views.rendered(request, reader, "processes.html", asked=asked, statuses=STATUSES)


def _start(catalog: Catalog, name: str) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        ctx.require("processes:start")
        if not name:
            return {"definitions": definitions.listing(session, ctx, catalog), "definition": None}
        chosen = definitions.resolve(session, ctx, catalog, name, None).definition
        return {"definition": chosen, "fields": forms.fields(chosen.input), "definitions": []}

    return read


@router.get("/new")
async def start_page(request: Request, definition: Annotated[str, Query(max_length=64)] = "") -> Response:
    """Pick a definition, then fill in its input: the page posts to ``POST /api/v1/processes``."""
    return await views.rendered(request, _start(request.app.state.catalog, definition), "start.html")


def _steps(session: Session, ctx: TenantContext, catalog: Catalog, process: Process) -> dict[str, Any]:
    """The definition's top-level steps (id and type) and its Mermaid graph, when it is still known."""
    if process.definition_version is None:
        return {"steps": [], "graph": None, "chart": None}
    try:
        found = definitions.resolve(session, ctx, catalog, process.definition, process.definition_version)
    except NotFound:
        return {"steps": [], "graph": None, "chart": None}
    steps = [{"id": s.id, "type": s.type, "depth": d} for d, s in _walk(found.definition.steps, 0)]
    text, boxes, links = graph.flowchart(found.definition)
    return {"steps": steps, "graph": text, "chart": (boxes, links)}


def _walk(steps: Any, depth: int) -> Iterator[tuple[int, Any]]:
    """Every step, nested ones (a foreach's body, a parallel's branches, a switch's cases) after their
    parent, one level deeper."""
    for step in steps:
        yield depth, step
        for value in vars(step).values():
            for item in value if isinstance(value, list) else [value]:
                if hasattr(item, "id") and hasattr(item, "type"):
                    yield from _walk([item], depth + 1)
                elif isinstance(getattr(item, "steps", None), list):
                    yield from _walk(item.steps, depth + 1)


def _reader(catalog: Catalog, process_id: uuid.UUID) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        process = processes.get_process(session, ctx, process_id)
        tasks = session.scalars(
            live(ctx, Task).where(Task.process_id == process.id).order_by(Task.created_at)
        )
        breaches = session.scalars(
            live(ctx, SlaBreach).where(SlaBreach.process_id == process.id).order_by(SlaBreach.breached_at)
        )
        return {
            "process": process,
            "tasks": list(tasks),
            "breaches": list(breaches),
            "zone": views.zone(session, ctx),
            "can_cancel": ctx.can("processes:cancel"),
        } | _steps(session, ctx, catalog, process)

    return read


@router.get("/{process_id}")
async def process_page(request: Request, process_id: str) -> Response:
    read = await views.one(request, "process", process_id, partial(_reader, request.app.state.catalog))
    if isinstance(read, Response):
        return read
    found, seen = read
    process: Process = seen["process"]
    try:
        state = await runtime.describe(await get_temporal(request), process)
    except DomainError as exc:  # Temporal does not answer: say so rather than half a page
        return views.kept(found, views.error(request, exc, found))
    settings = request.app.state.settings
    link = runtime.ui_link(settings.temporal_ui, settings.temporal_namespace, process.workflow_id)
    live = state.get("state") or {}
    current = set(live.get("current_steps") or [])
    ran = {entry.get("step_id") for entry in live.get("timeline") or []}
    boxes, links = seen["chart"] or ([], [])
    drawn = diagram.draw(boxes, links, current, ran)
    return views.answer(request, found, "process.html", seen, state=state, temporal_ui=link, diagram=drawn)

"""The task inbox: human tasks of running processes, and completing them."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api import long_poll, sse
from api import process_runtime as runtime
from api.deps import Ctx, Cursor, Db, EngineDep, IfMatch, Limit, TemporalDep
from api.envelope import rows_page, success
from api.etag import check_if_match, etag
from api.resource_routes import ResourceRoutes
from db.models import Process, Task
from db.session import tenant_session
from domain.context import TenantContext
from domain.processes import service as processes
from domain.processes.schemas import Decision, TaskCompleteIn, TaskOut

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])
routes = ResourceRoutes(router, TaskOut, item="/{task_id}")
MAX_STREAMED = 200  # the open tasks a stream follows: the inbox's page


WAIT = Query(
    ge=0,
    le=60,
    description="Seconds to wait for a matching task when there is none yet (a long poll: the answer "
    "comes as soon as one is written, instead of the client polling); absent or 0 answers at once.",
)


@routes.listing(
    summary="Tasks; assignee=me gives those assigned to you or one of your roles",
)
async def list_tasks(
    request: Request,
    ctx: Ctx,
    engine: EngineDep,
    status: Literal["open", "completed", "expired", "cancelled"] | None = None,
    assignee: Annotated[
        str | None,
        Query(
            max_length=330, pattern=r"^(me|user:.+|role:.+)$", description="me, user:<email> or role:<name>"
        ),
    ] = None,
    process_id: uuid.UUID | None = None,
    limit: Limit = None,
    cursor: Cursor = None,
    wait: Annotated[float, WAIT] = 0,
) -> dict[str, Any]:
    next_cursor: str | None = None

    def page(session: Session) -> list[Task]:
        nonlocal next_cursor
        rows, next_cursor = processes.list_tasks(
            session, ctx, status=status, assignee=assignee, process_id=process_id, limit=limit, cursor=cursor
        )
        return rows

    # Each look a short transaction of its own: no connection is held while waiting.
    look = partial(runtime.own_transaction, engine, ctx.tenant_id, page)
    rows = await long_poll.until_found(request.app.state.task_wakes, ctx.tenant_id, wait, look)
    return rows_page(TaskOut, rows, limit=limit, next_cursor=next_cursor)


STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-Sent Events: a `tasks` event (JSON: `open`, a list of `{id, title, due_at}`) "
        "first with my open tasks, then whenever that set changes; `: keep-alive` comments in between",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


def _open(engine: Engine, ctx: TenantContext) -> list[dict[str, Any]]:
    with tenant_session(engine, ctx.tenant_id) as session:
        rows, _ = processes.list_tasks(
            session, ctx, status="open", assignee="me", process_id=None, limit=MAX_STREAMED, cursor=None
        )
        return [
            {"id": str(t.id), "title": t.title, "due_at": t.due_at.isoformat() if t.due_at else None}
            for t in rows
        ]


@routes.collection_get(
    "/stream",
    response_class=StreamingResponse,
    responses=STREAM,
    summary="My open tasks as they change (Server-Sent Events): a task that arrives, or that someone took",
    description="Checked when a task of the organisation is written and at least every `interval` seconds, "
    "each in a short transaction of its own; the stream closes "
    "after the server's lifetime (`KEEL_DASHBOARD_STREAM_SECONDS`) or at once with `once=true`; the client "
    "reconnects. The console's inbox follows it.",
)
def task_stream(
    request: Request,
    ctx: Ctx,
    interval: Annotated[int, Query(ge=1, le=60, description="seconds between checks")] = 5,
    once: sse.Once = False,
) -> StreamingResponse:
    ctx.require("tasks:read")
    shown: list[Any] = []

    async def tick() -> tuple[list[tuple[str, Any]], bool]:
        now = await run_in_threadpool(_open, request.app.state.engine, ctx)
        if shown and shown[-1] == now:
            return [], True
        shown.append(now)
        return [("tasks", {"open": now})], True

    # A task written for the tenant (the long poll's notice) makes the stream look at once.
    wakes: long_poll.Wakes = request.app.state.task_wakes
    return sse.follow(request, tick, interval, once, watch=partial(wakes.watching, ctx.tenant_id))


@routes.read()
def get_task(task_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    task = processes.get_task(session, ctx, task_id)
    response.headers["ETag"] = etag(task.id, task.updated_at)
    return success(TaskOut.model_validate(task).model_dump(mode="json"))


@routes.post(
    "/complete",
    409,
    412,
    503,
    summary="Decide a task; the workflow accepts or refuses at once",
)
async def complete_task(
    task_id: uuid.UUID,
    body: TaskCompleteIn,
    ctx: Ctx,
    session: Db,
    client: TemporalDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """One transaction: it reads the task, the workflow's activity closes it in its own, and the
    re-read sees that commit (READ COMMITTED; the first read took no lock the activity waits on)."""

    def check() -> tuple[Task, Process]:
        task = processes.check_completable(session, ctx, task_id, body.outcome, body.data)
        check_if_match(if_match, etag(task.id, task.updated_at))
        process = session.get(Process, task.process_id)
        assert process is not None
        return task, process

    task, process = await run_in_threadpool(check)
    # The decision carries the body's outcome, comment and data as they came, and who decided.
    decision = Decision(
        task_id=task_id,
        **body.model_dump(),
        user_id=ctx.user_id,
        email=ctx.email,
        assignee_keys=ctx.assignee_keys(),
    )
    await runtime.decide(client, process, decision)

    def reread() -> dict[str, Any]:
        session.refresh(task)
        response.headers["ETag"] = etag(task.id, task.updated_at)
        return TaskOut.model_validate(task).model_dump(mode="json")

    return success(await run_in_threadpool(reread))

"""Bookings: hold several resources at once (or none), confirm, cancel with a policy, no-show.

Each change is written in the route's transaction first; then the booking's workflow is started or
signalled. A signal that fails leaves the row right: the workflow's activities re-read the status.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import AwareDatetime
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client
from temporalio.service import RPCError

from api.deps import Ctx, EngineDep, SettingsDep, TemporalDep
from api.envelope import Envelope, errors, page, success
from api.process_runtime import RPC_TIMEOUT, start_or_undo
from api.routers.identity import Cursor, Limit
from db.session import tenant_session
from domain.pagination import clamp_limit
from domain.scheduling import bookings
from domain.scheduling.booking_schemas import BookingIn, BookingOut, BookingRun, CancelIn, Status

router = APIRouter(prefix="/api/v1/bookings", tags=["bookings"])
ITEM = "/{booking_id}"


def _now() -> datetime:
    return datetime.now(UTC)


async def _signal(request: Request, workflow_id: str | None, name: str) -> None:
    """Best effort: the row is already right, and the workflow re-reads it before acting."""
    client: Client | None = request.app.state.temporal
    if client is None or workflow_id is None:
        return
    with contextlib.suppress(RPCError):
        await client.get_workflow_handle(workflow_id).signal(name, rpc_timeout=RPC_TIMEOUT)


@router.post(
    "",
    status_code=201,
    response_model=Envelope[BookingOut],
    responses=errors(403, 404, 409, 503),
    summary="Book one or more resources for one span: all are held at once, or none",
    description="`end` or `duration` (ISO 8601). With `requires_confirmation` (the default) the booking "
    "is `held` until `hold_expires_at` (`hold`, default PT10M, at most P1D) and released unless confirmed; "
    "otherwise it is `confirmed` at once. A resource's buffers widen what it holds. 409 `booking_conflict`: "
    "`details.conflicts` lists what is in the way (`resource_id`, `start`, `end` of the busy span, "
    "`booking_id`) and `details.alternatives` the next 3 free slots of the same length for all the "
    "resources within 14 days. 422 `outside_availability` when a resource is not open then.",
)
async def create_booking(
    body: BookingIn,
    ctx: Ctx,
    engine: EngineDep,
    client: TemporalDep,
    settings: SettingsDep,
    response: Response,
) -> dict[str, Any]:
    def record() -> BookingOut:
        with tenant_session(engine, ctx.tenant_id) as session:
            booking = bookings.create(session, ctx, body, now=_now())
            return bookings.view(session, ctx, booking)

    out = await run_in_threadpool(record)

    def undo() -> None:
        with tenant_session(engine, ctx.tenant_id) as session:
            bookings.discard(session, ctx, out.id)

    run = BookingRun(
        tenant_id=ctx.tenant_id,
        booking_id=out.id,
        status=out.status,
        start=out.start,
        end=out.end,
        hold_expires_at=out.hold_expires_at,
    )
    await start_or_undo(
        client,
        "booking",
        run,
        workflow_id=bookings.workflow_id(out.id),
        task_queue=settings.temporal_task_queue,
        undo=undo,
    )
    response.headers["Location"] = f"/api/v1/bookings/{out.id}"
    return success(out.model_dump(mode="json"))


@router.get(
    "",
    response_model=Envelope[list[BookingOut]],
    responses=errors(403),
    summary="Bookings, newest first: resource=, status=, from=/to= (those overlapping [from, to))",
)
def list_bookings(
    ctx: Ctx,
    engine: EngineDep,
    resource: uuid.UUID | None = None,
    status: Status | None = None,
    starts_from: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    to: AwareDatetime | None = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    with tenant_session(engine, ctx.tenant_id) as session:
        rows, next_cursor = bookings.list_bookings(
            session,
            ctx,
            resource_id=resource,
            status=status,
            starts_from=starts_from,
            to=to,
            limit=limit,
            cursor=cursor,
        )
        data = [b.model_dump(mode="json") for b in bookings.views(session, ctx, rows)]
    return page(data, limit=clamp_limit(limit), next_cursor=next_cursor)


@router.get(ITEM, response_model=Envelope[BookingOut], responses=errors(403, 404))
def get_booking(booking_id: uuid.UUID, ctx: Ctx, engine: EngineDep) -> dict[str, Any]:
    with tenant_session(engine, ctx.tenant_id) as session:
        booking = bookings.get(session, ctx, booking_id)
        return success(bookings.view(session, ctx, booking).model_dump(mode="json"))


@router.post(
    ITEM + "/confirm",
    response_model=Envelope[BookingOut],
    responses=errors(403, 404, 409),
    summary="Confirm a held booking before its hold expires (again is harmless); 409 once expired/cancelled",
)
async def confirm_booking(
    booking_id: uuid.UUID, ctx: Ctx, engine: EngineDep, request: Request
) -> dict[str, Any]:
    def write() -> BookingOut:
        with tenant_session(engine, ctx.tenant_id) as session:
            return bookings.view(session, ctx, bookings.confirm(session, ctx, booking_id, now=_now()))

    out = await run_in_threadpool(write)
    await _signal(request, out.workflow_id, "confirm")
    return success(out.model_dump(mode="json"))


@router.post(
    ITEM + "/cancel",
    response_model=Envelope[BookingOut],
    responses=errors(403, 404, 409),
    summary="Cancel and free the resources at once; within the free-cancellation window (24 h by default) "
    "before the start a confirmed booking needs accept_fee=true (else 409 late_cancellation)",
)
async def cancel_booking(
    booking_id: uuid.UUID,
    ctx: Ctx,
    engine: EngineDep,
    settings: SettingsDep,
    request: Request,
    body: CancelIn | None = None,
) -> dict[str, Any]:
    data = body or CancelIn()

    def write() -> BookingOut:
        with tenant_session(engine, ctx.tenant_id) as session:
            booking = bookings.cancel(
                session,
                ctx,
                booking_id,
                data,
                now=_now(),
                free_hours=settings.booking_free_cancellation_hours,
            )
            return bookings.view(session, ctx, booking)

    out = await run_in_threadpool(write)
    await _signal(request, out.workflow_id, "cancel")
    return success(out.model_dump(mode="json"))


@router.post(
    ITEM + "/no-show",
    response_model=Envelope[BookingOut],
    responses=errors(403, 404, 409),
    summary="Mark a confirmed booking whose start has passed as a no-show (it is then not completed)",
)
def no_show(booking_id: uuid.UUID, ctx: Ctx, engine: EngineDep) -> dict[str, Any]:
    with tenant_session(engine, ctx.tenant_id) as session:
        booking = bookings.mark_no_show(session, ctx, booking_id, now=_now())
        return success(bookings.view(session, ctx, booking).model_dump(mode="json"))

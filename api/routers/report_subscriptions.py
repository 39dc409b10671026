"""Report subscriptions: a report or a dashboard emailed on a schedule, one Temporal Schedule each.

A change is committed first, then made to the Schedule; when Temporal refuses or does not answer, the
row is put back as it was (or removed, for a new one) and the answer is a 503 that changed nothing."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError, RPCStatusCode

from api.deps import Ctx, Db, IfMatch, LauncherDep
from api.envelope import created, success
from api.etag import matching, tagged, tagged_response
from api.process_runtime import RPC_TIMEOUT, Launcher, Start, own_transaction
from api.resource_routes import ResourceRoutes
from domain.analytics import service as analytics
from domain.analytics.subscriptions import delivery, schedule, service
from domain.analytics.subscriptions.schemas import (
    DeliveryStart,
    DeliveryWork,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
    SubscriptionRunOut,
)
from domain.context import TenantContext
from domain.errors import Conflict, NotFound, Unavailable
from workflows.report_subscriptions import ReportDeliveryWorkflow

PATH = "/api/v1/report-subscriptions"
router = APIRouter(prefix=PATH, tags=["report subscriptions"])
routes = ResourceRoutes(router, SubscriptionOut, item="/{subscription_id}")
REFUSED = "Temporal did not accept the change; nothing was changed."
CATCH_UP = timedelta(hours=1)  # a run missed by longer (Temporal down) is skipped, not sent late


# -- the Schedule ---------------------------------------------------------------------------------
def _ranges(values: tuple[int, ...], lo: int, hi: int) -> list[ScheduleRange]:
    return [ScheduleRange(v) for v in values] if values else [ScheduleRange(lo, hi)]


def _spec(out: SubscriptionOut) -> ScheduleSpec:
    timing = schedule.parse(out.schedule)
    if timing.kind == "cron":
        return ScheduleSpec(cron_expressions=[schedule.cron_text(timing)], time_zone_name=out.timezone)
    calendar = ScheduleCalendarSpec(
        second=[ScheduleRange(0)],
        minute=[ScheduleRange(timing.minute)],
        hour=_ranges(timing.hours, 0, 23),
        day_of_month=_ranges(timing.days_of_month, 1, 31),
        month=_ranges(timing.months, 1, 12),
        day_of_week=_ranges(timing.weekdays, 0, 6),
    )
    return ScheduleSpec(calendars=[calendar], time_zone_name=out.timezone)


def _schedule(ctx: TenantContext, out: SubscriptionOut, task_queue: str) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            ReportDeliveryWorkflow.run,
            DeliveryWork(tenant_id=ctx.tenant_id, subscription_id=out.id),
            id=service.workflow_id(out.id),
            task_queue=task_queue,
        ),
        spec=_spec(out),
        # A run still going when the next is due: the next waits for it (one at most), none is lost.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.BUFFER_ONE, catchup_window=CATCH_UP),
        state=ScheduleState(paused=out.paused, note="paused" if out.paused else None),
    )


async def _temporal(
    launcher: Launcher, ctx: TenantContext, call: Awaitable[Any], undo: Callable[[Session], None]
) -> None:
    """``call`` on Temporal after the change committed; if it fails, ``undo`` in a transaction of its
    own and a 503."""
    try:
        await call
    except (RPCError, ScheduleAlreadyRunningError) as exc:
        if isinstance(exc, RPCError) and exc.status == RPCStatusCode.NOT_FOUND:
            return  # the Schedule is already gone: what deleting wanted
        await own_transaction(launcher.engine, ctx.tenant_id, undo)
        raise Unavailable(REFUSED) from exc


async def _replace(client: Client, schedule_id: str, new: Schedule) -> None:
    def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
        return ScheduleUpdate(schedule=new)

    await client.get_schedule_handle(schedule_id).update(replace, rpc_timeout=RPC_TIMEOUT)


async def _change(
    launcher: Launcher,
    ctx: TenantContext,
    subscription_id: uuid.UUID,
    body: SubscriptionPatch,
    if_match: str | None = None,
) -> JSONResponse:
    check = matching(if_match)
    before, after = await own_transaction(
        launcher.engine, ctx.tenant_id, lambda s: service.update(s, ctx, subscription_id, body, check)
    )
    new = _schedule(ctx, after, launcher.task_queue)
    call = _replace(launcher.client, service.schedule_id(subscription_id), new)
    await _temporal(launcher, ctx, call, lambda s: service.restore(s, ctx, before))
    return tagged_response(after)


# -- routes ---------------------------------------------------------------------------------------
@routes.create(
    503,
    summary="Subscribe users of the tenant to a report or a dashboard, emailed on a schedule (cron or "
    "RRULE) in a time zone; the next five runs are in the answer",
)
async def create_subscription(
    body: SubscriptionIn, ctx: Ctx, launcher: LauncherDep, response: Response
) -> dict[str, Any]:
    out = await own_transaction(launcher.engine, ctx.tenant_id, lambda s: service.create(s, ctx, body))
    made = launcher.client.create_schedule(
        service.schedule_id(out.id), _schedule(ctx, out, launcher.task_queue), rpc_timeout=RPC_TIMEOUT
    )
    await _temporal(launcher, ctx, made, lambda s: service.discard(s, ctx, out.id))
    return created(response, f"{PATH}/{out.id}", out.model_dump(mode="json"))


list_subscriptions = routes.paged(
    service.listing,
    summary="The tenant's report subscriptions, newest first, a page at a time",
)


@routes.read(summary="A report subscription, with its next five runs and its ETag")
def get_subscription(subscription_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    return success(tagged(service.get(session, ctx, subscription_id), response))


@routes.patch(
    412,
    503,
    summary="Change a subscription (schedule, time zone, recipients, format, paused); If-Match guards "
    "lost updates",
)
async def update_subscription(
    subscription_id: uuid.UUID,
    body: SubscriptionPatch,
    ctx: Ctx,
    launcher: LauncherDep,
    if_match: IfMatch = None,
) -> JSONResponse:
    return await _change(launcher, ctx, subscription_id, body, if_match)


@routes.post("/pause", 503, summary="Pause the subscription: its Schedule sends nothing until resumed")
async def pause_subscription(subscription_id: uuid.UUID, ctx: Ctx, launcher: LauncherDep) -> JSONResponse:
    return await _change(launcher, ctx, subscription_id, SubscriptionPatch(paused=True))


@routes.post("/resume", 503, summary="Resume a paused subscription")
async def resume_subscription(subscription_id: uuid.UUID, ctx: Ctx, launcher: LauncherDep) -> JSONResponse:
    return await _change(launcher, ctx, subscription_id, SubscriptionPatch(paused=False))


@routes.delete(
    503, status_code=204, summary="Delete the subscription and its Schedule (its runs stay listed)"
)
async def delete_subscription(subscription_id: uuid.UUID, ctx: Ctx, launcher: LauncherDep) -> Response:
    before = await own_transaction(
        launcher.engine, ctx.tenant_id, lambda s: service.delete(s, ctx, subscription_id)
    )
    handle = launcher.client.get_schedule_handle(service.schedule_id(subscription_id))
    await _temporal(
        launcher, ctx, handle.delete(rpc_timeout=RPC_TIMEOUT), lambda s: service.restore(s, ctx, before)
    )
    return Response(status_code=204)


list_runs = routes.paged_below(
    "/runs",
    service.runs,
    SubscriptionRunOut,
    summary="The subscription's runs, newest first, a page at a time",
)


@routes.post(
    "/run-now",
    503,
    status_code=202,
    summary="Run the subscription at once (paused or not): the subscription, with the run's id in "
    "`meta.run_id` and the run at the Location",
)
async def run_now(
    subscription_id: uuid.UUID, ctx: Ctx, launcher: LauncherDep, response: Response
) -> dict[str, Any]:
    ctx.require(analytics.WRITE)
    started = DeliveryStart(
        tenant_id=ctx.tenant_id, subscription_id=subscription_id, run_id=uuid.uuid4(), at=datetime.now(UTC)
    )

    def record(session: Session) -> tuple[SubscriptionOut, list[Start]]:
        out = service.get(session, ctx, subscription_id)
        try:
            with session.begin_nested():
                delivery.begin(session, ctx, started)  # the run exists once this answers
        except (
            NotFound,
            Conflict,
        ):  # its report is gone: the workflow records the run failed, tells the owner
            pass
        work = DeliveryWork(**started.model_dump())
        workflow_id = f"{service.schedule_id(subscription_id)}-now-{started.run_id}"
        return out, [Start(ReportDeliveryWorkflow.run, work, workflow_id)]

    out = await launcher.record_then_start(
        ctx, record, lambda s, _: service.discard_run(s, ctx, started.run_id)
    )
    response.headers["Location"] = f"{PATH}/{subscription_id}/runs/{started.run_id}"
    return success(out.model_dump(mode="json"), meta={"run_id": str(started.run_id)})


@routes.read(
    below="/runs/{run_id}", model=SubscriptionRunOut, summary="One run: its status, period and recipients"
)
def get_run(subscription_id: uuid.UUID, run_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(service.run(session, ctx, subscription_id, run_id).model_dump(mode="json"))

"""Webhook subscriptions (Standard Webhooks), their deliveries, and replay of dead letters."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, Literal, TypedDict

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import WorkflowIDReusePolicy
from temporalio.service import RPCError

from api.deps import Box, Ctx, Cursor, Db, EngineDep, Limit, SettingsDep, TemporalDep
from api.envelope import created, dumped, rows_page, success
from api.process_runtime import own_transaction
from api.resource_routes import ResourceRoutes, Route
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import Unavailable
from domain.webhooks import manage, replay
from domain.webhooks import service as webhooks
from domain.webhooks.schemas import (
    AttemptRecordOut,
    DeliveryOut,
    Replayed,
    ReplayFilter,
    RotateIn,
    SecretRotated,
    TestDelivered,
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryRun,
    WebhookDetail,
    WebhookOut,
    WebhookPatch,
    parse_schedule,
)
from keel.settings import Settings
from workflows.webhooks import WebhookDeliveryWorkflow

router = APIRouter(prefix="/api/v1", tags=["webhooks"])
hooks = ResourceRoutes(router, WebhookOut, collection="/webhooks", item="/{webhook_id}")
deliveries = ResourceRoutes(router, DeliveryOut, collection="/webhooks/deliveries", item="/{delivery_id}")
StatusFilter = Annotated[
    Literal["pending", "succeeded", "failed", "disabled"] | None,
    Query(description="failed is the dead-letter list"),
]


@hooks.create(
    model=WebhookCreated,
    summary="Subscribe a URL to event types (task.*, process.completed, *); the secret is shown once",
)
def create_webhook(
    body: WebhookCreate, ctx: Ctx, session: Db, settings: SettingsDep, box: Box, response: Response
) -> dict[str, Any]:
    hook, secret = webhooks.create_webhook(
        session, ctx, body, allow_private=settings.webhook_allow_private, box=box
    )
    out = dumped(WebhookOut, hook)
    return created(response, f"/api/v1/webhooks/{hook.id}", out | {"secret": secret})


@hooks.listing()
def list_webhooks(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    rows, next_cursor = webhooks.list_webhooks(session, ctx, limit=limit, cursor=cursor)
    return rows_page(WebhookOut, rows, limit=limit, next_cursor=next_cursor)


@hooks.read(model=WebhookDetail, summary="One subscription, with its delivery counts by status")
def get_webhook(webhook_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    hook = webhooks.get_webhook(session, ctx, webhook_id)
    out = dumped(WebhookOut, hook)
    out["deliveries"] = webhooks.delivery_counts(session, ctx, hook.id)
    return success(out)


@hooks.delete(
    status_code=204,
    response_class=Response,
    summary="Unsubscribe: nothing more is delivered, pending retries stop",
)
def delete_webhook(webhook_id: uuid.UUID, ctx: Ctx, session: Db) -> Response:
    webhooks.delete_webhook(session, ctx, webhook_id)
    return Response(status_code=204)


@hooks.read(
    below="/deliveries",
    model=list[DeliveryOut],
    summary="A subscription's deliveries, newest first; status=failed lists the dead letters",
)
def list_deliveries(
    webhook_id: uuid.UUID,
    ctx: Ctx,
    session: Db,
    status: StatusFilter = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    rows, next_cursor = webhooks.list_deliveries(
        session, ctx, webhook_id, status=status, limit=limit, cursor=cursor
    )
    return rows_page(DeliveryOut, rows, limit=limit, next_cursor=next_cursor)


@dataclass(frozen=True)
class Replays:
    """Putting deliveries back to pending (committed), then starting their workflows."""

    ctx: TenantContext
    engine: Engine
    settings: Settings
    client: Client

    async def start(self, reset: Callable[[Session], list[webhooks.Replay]]) -> list[webhooks.Replay]:
        # Its own transaction: committed before the workflows start, as their activities read the rows.
        replays = await own_transaction(self.engine, self.ctx.tenant_id, reset)
        await _start_replays(self.client, self.engine, self.settings, self.ctx.tenant_id, replays)
        return replays


def _replays(ctx: Ctx, engine: EngineDep, settings: SettingsDep, client: TemporalDep) -> Replays:
    return Replays(ctx, engine, settings, client)


Replaying = Annotated[Replays, Depends(_replays)]


def _replay_route(routes: ResourceRoutes, below: str, out: Any, summary: str) -> Route:
    """A replay: 202 once the workflows start, 409 when there is nothing to replay, 503 Temporal down."""
    return routes.post(below, 409, 503, status_code=202, model=out, summary=summary)


@_replay_route(
    deliveries,
    "/retry",
    DeliveryOut,
    "Replay a failed or disabled delivery: a new round of attempts on the retry schedule",
)
async def retry_delivery(delivery_id: uuid.UUID, replays: Replaying) -> dict[str, Any]:
    ctx = replays.ctx
    (done,) = await replays.start(lambda session: [webhooks.replay_delivery(session, ctx, delivery_id)])
    return success(DeliveryOut.model_validate(done.row).model_dump(mode="json"), message="replay started")


def _run(
    settings: Settings, tenant_id: uuid.UUID, delivery_id: uuid.UUID, schedule: list[float] | None
) -> WebhookDeliveryRun:
    return WebhookDeliveryRun(
        tenant_id=tenant_id,
        delivery_id=delivery_id,
        schedule=schedule or parse_schedule(settings.webhook_retry_schedule),
        attempt_timeout=settings.webhook_timeout_seconds,
    )


class DeliveryStart(TypedDict):
    id: str
    task_queue: str
    id_reuse_policy: WorkflowIDReusePolicy


def _started_as(settings: Settings, workflow_id: str) -> DeliveryStart:
    """How the API starts a delivery's workflow: never a second one for one delivery."""
    return {
        "id": workflow_id,
        "task_queue": settings.temporal_task_queue,
        "id_reuse_policy": WorkflowIDReusePolicy.REJECT_DUPLICATE,
    }


async def _start_replays(
    client: Client, engine: Engine, settings: Settings, tenant_id: uuid.UUID, replays: list[webhooks.Replay]
) -> None:
    """Start each replay's workflow; one that cannot start returns to the list it was in."""
    failed: list[webhooks.Replay] = []
    for done in replays:
        try:
            await client.start_workflow(
                WebhookDeliveryWorkflow.run,
                _run(settings, tenant_id, done.row.id, done.schedule),
                **_started_as(settings, done.workflow_id),
            )
        except RPCError:
            failed.append(done)
    if failed:

        def undo() -> None:
            # A transaction of its own: the reset it undoes is already committed.
            with tenant_session(engine, tenant_id) as session:
                ctx = TenantContext.system(tenant_id)
                for done in failed:
                    webhooks.undo_replay(session, ctx, done.row.id, done.previous)

        await run_in_threadpool(undo)
        raise Unavailable("Temporal did not answer; the delivery was not replayed.")


@hooks.patch(
    summary="Change a subscription: url (checked again), events, description, retry_schedule, "
    "active (true re-enables one a 410 disabled)"
)
def update_webhook(
    webhook_id: uuid.UUID, body: WebhookPatch, ctx: Ctx, session: Db, settings: SettingsDep
) -> dict[str, Any]:
    hook = manage.update_webhook(session, ctx, webhook_id, body, allow_private=settings.webhook_allow_private)
    out = dumped(WebhookOut, hook)
    return success(out)


@hooks.post(
    "/rotate-secret",
    model=SecretRotated,
    summary="A new signing secret (shown once); the previous one also signs during the overlap",
)
def rotate_secret(
    webhook_id: uuid.UUID, ctx: Ctx, session: Db, box: Box, body: RotateIn | None = None
) -> dict[str, Any]:
    hook, secret = manage.rotate_secret(session, ctx, webhook_id, body or RotateIn(), box=box)
    out = dumped(WebhookOut, hook)
    return success(out | {"secret": secret})


@hooks.post(
    "/test",
    409,
    503,
    model=TestDelivered,
    summary="Deliver a signed webhook.test event to this subscription now; answers with the attempt",
)
async def test_webhook(
    webhook_id: uuid.UUID,
    ctx: Ctx,
    session: Db,
    engine: EngineDep,
    settings: SettingsDep,
    client: TemporalDep,
) -> dict[str, Any]:
    def create(test_session: Session) -> tuple[uuid.UUID, str]:
        row = replay.create_test_delivery(test_session, ctx, webhook_id)
        return row.id, str(row.workflow_id)

    # Its own transaction: committed before the workflow runs, as its activity reads the row.
    delivery_id, workflow_id = await own_transaction(engine, ctx.tenant_id, create)
    run = _run(settings, ctx.tenant_id, delivery_id, [0.0])  # one attempt, now
    try:
        await client.execute_workflow(
            WebhookDeliveryWorkflow.run,
            run,
            **_started_as(settings, workflow_id),
            execution_timeout=timedelta(seconds=settings.webhook_timeout_seconds + 30),
        )
    except (RPCError, WorkflowFailureError) as exc:
        raise Unavailable("The test delivery did not complete; see the delivery's attempts.") from exc

    def read() -> dict[str, Any]:
        row = replay.get_delivery(session, ctx, delivery_id)
        attempts = replay.list_attempts(session, ctx, delivery_id)
        return TestDelivered(
            delivery=DeliveryOut.model_validate(row),
            attempt=AttemptRecordOut.model_validate(attempts[-1]) if attempts else None,
        ).model_dump(mode="json")

    return success(await run_in_threadpool(read))


@_replay_route(
    hooks,
    "/replay",
    Replayed,
    "Replay dead letters in bulk: every failed delivery, or those the filter selects",
)
async def replay_deliveries(
    webhook_id: uuid.UUID, replays: Replaying, body: ReplayFilter | None = None
) -> dict[str, Any]:
    ctx, wanted = replays.ctx, body or ReplayFilter()
    started = await replays.start(lambda session: replay.replay_many(session, ctx, webhook_id, wanted))
    ids = [r.row.id for r in started]
    return success(
        Replayed(replayed=len(ids), delivery_ids=ids).model_dump(mode="json"), message="replay started"
    )


@deliveries.read(
    below="/attempts",
    model=list[AttemptRecordOut],
    summary="A delivery's attempts: request and response (status, headers, first 4 KB of body, latency)",
)
def list_attempts(delivery_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    rows = replay.list_attempts(session, ctx, delivery_id)
    data = [AttemptRecordOut.model_validate(r).model_dump(mode="json") for r in rows]
    return success(data)

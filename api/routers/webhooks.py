"""Webhook subscriptions (Standard Webhooks), their deliveries, and replay of dead letters."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool
from temporalio.common import WorkflowIDReusePolicy
from temporalio.service import RPCError

from api.deps import Ctx, EngineDep, SettingsDep, TemporalDep
from api.envelope import Envelope, errors, page, success
from api.routers.identity import Cursor, Limit
from db.session import tenant_session
from domain.errors import Unavailable
from domain.pagination import clamp_limit
from domain.webhooks import service as webhooks
from domain.webhooks.schemas import (
    DeliveryOut,
    DeliveryRun,
    WebhookCreate,
    WebhookCreated,
    WebhookDetail,
    WebhookOut,
    parse_schedule,
)
from workflows.webhooks import WebhookDeliveryWorkflow

router = APIRouter(prefix="/api/v1", tags=["webhooks"])
StatusFilter = Annotated[
    Literal["pending", "succeeded", "failed", "disabled"] | None,
    Query(description="failed is the dead-letter list"),
]


@router.post(
    "/webhooks",
    status_code=201,
    response_model=Envelope[WebhookCreated],
    responses=errors(403),
    summary="Subscribe a URL to event types (task.*, process.completed, *); the secret is shown once",
)
def create_webhook(
    body: WebhookCreate, ctx: Ctx, engine: EngineDep, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    with tenant_session(engine, ctx.tenant_id) as session:
        hook, secret = webhooks.create_webhook(
            session, ctx, body, allow_private=settings.webhook_allow_private
        )
        out = WebhookOut.model_validate(hook).model_dump(mode="json")
    response.headers["Location"] = f"/api/v1/webhooks/{out['id']}"
    return success(out | {"secret": secret})


@router.get("/webhooks", response_model=Envelope[list[WebhookOut]], responses=errors(403))
def list_webhooks(ctx: Ctx, engine: EngineDep, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    with tenant_session(engine, ctx.tenant_id) as session:
        rows, next_cursor = webhooks.list_webhooks(session, ctx, limit=limit, cursor=cursor)
        data = [WebhookOut.model_validate(r).model_dump(mode="json") for r in rows]
    return page(data, limit=clamp_limit(limit), next_cursor=next_cursor)


@router.get(
    "/webhooks/{webhook_id}",
    response_model=Envelope[WebhookDetail],
    responses=errors(403, 404),
    summary="One subscription, with its delivery counts by status",
)
def get_webhook(webhook_id: uuid.UUID, ctx: Ctx, engine: EngineDep) -> dict[str, Any]:
    with tenant_session(engine, ctx.tenant_id) as session:
        hook = webhooks.get_webhook(session, ctx, webhook_id)
        out = WebhookOut.model_validate(hook).model_dump(mode="json")
        out["deliveries"] = webhooks.delivery_counts(session, ctx, hook.id)
    return success(out)


@router.delete(
    "/webhooks/{webhook_id}",
    status_code=204,
    response_class=Response,
    responses=errors(403, 404),
    summary="Unsubscribe: nothing more is delivered, pending retries stop",
)
def delete_webhook(webhook_id: uuid.UUID, ctx: Ctx, engine: EngineDep) -> Response:
    with tenant_session(engine, ctx.tenant_id) as session:
        webhooks.delete_webhook(session, ctx, webhook_id)
    return Response(status_code=204)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response_model=Envelope[list[DeliveryOut]],
    responses=errors(403, 404),
    summary="A subscription's deliveries, newest first; status=failed lists the dead letters",
)
def list_deliveries(
    webhook_id: uuid.UUID,
    ctx: Ctx,
    engine: EngineDep,
    status: StatusFilter = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    with tenant_session(engine, ctx.tenant_id) as session:
        rows, next_cursor = webhooks.list_deliveries(
            session, ctx, webhook_id, status=status, limit=limit, cursor=cursor
        )
        data = [DeliveryOut.model_validate(r).model_dump(mode="json") for r in rows]
    return page(data, limit=clamp_limit(limit), next_cursor=next_cursor)


@router.post(
    "/webhooks/deliveries/{delivery_id}/retry",
    status_code=202,
    response_model=Envelope[DeliveryOut],
    responses=errors(403, 404, 409, 503),
    summary="Replay a failed or disabled delivery: a new round of attempts on the retry schedule",
)
async def retry_delivery(
    delivery_id: uuid.UUID, ctx: Ctx, engine: EngineDep, settings: SettingsDep, client: TemporalDep
) -> dict[str, Any]:
    def reset() -> tuple[dict[str, Any], str, str]:
        with tenant_session(engine, ctx.tenant_id) as session:
            row, workflow_id, previous = webhooks.replay_delivery(session, ctx, delivery_id)
            return DeliveryOut.model_validate(row).model_dump(mode="json"), workflow_id, previous

    def undo(previous: str) -> None:
        with tenant_session(engine, ctx.tenant_id) as session:
            webhooks.undo_replay(session, ctx, delivery_id, previous)

    out, workflow_id, previous = await run_in_threadpool(reset)
    run = DeliveryRun(
        tenant_id=ctx.tenant_id,
        delivery_id=delivery_id,
        schedule=parse_schedule(settings.webhook_retry_schedule),
        attempt_timeout=settings.webhook_timeout_seconds,
    )
    try:
        await client.start_workflow(
            WebhookDeliveryWorkflow.run,
            run,
            id=workflow_id,
            task_queue=settings.temporal_task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except RPCError as exc:
        await run_in_threadpool(undo, previous)
        raise Unavailable("Temporal did not answer; the delivery was not replayed.") from exc
    return success(out, message="replay started")

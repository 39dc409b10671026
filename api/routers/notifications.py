"""Notifications: send one (a Temporal delivery workflow), read its delivery status, cancel it."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session
from temporalio.service import RPCError

from api.deps import Ctx, Cursor, Db, EngineDep, LauncherDep, Limit, SettingsDep, TemporalDep
from api.envelope import models_page, success
from api.launch import start_and_answer
from api.process_runtime import RPC_TIMEOUT, Start, own_transaction
from api.resource_routes import ResourceRoutes
from domain.deliveries import service as deliveries
from domain.deliveries.schemas import DeliveryOut, DeliveryStatus, NotificationRequest
from workflows.notifications import NotificationWorkflow

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
routes = ResourceRoutes(router, DeliveryOut, item="/{delivery_id}")


@routes.create(
    422,
    503,
    status_code=202,
    summary="Send a notification (delivered by a workflow: send_at, preferences, retries, fallback)",
    description="Answers at once with the delivery's id; its status per channel is at "
    "`GET /api/v1/notifications/{id}`. Send an `Idempotency-Key` header to make a retried request "
    "deliver once.",
)
async def send(
    body: NotificationRequest, ctx: Ctx, launcher: LauncherDep, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    def record(session: Session) -> tuple[DeliveryOut, list[Start]]:
        delivery = deliveries.request(session, ctx, body, now=datetime.now(UTC))
        run = deliveries.run_of(delivery, max_attempts=settings.notification_max_attempts)
        start = Start(NotificationWorkflow.run, run, deliveries.workflow_id(delivery.id))
        return deliveries.view(session, ctx, delivery), [start]

    return await start_and_answer(
        launcher, ctx, response, "/api/v1/notifications", record, deliveries.discard
    )


@routes.listing(summary="The tenant's notifications, newest first")
def list_notifications(
    ctx: Ctx,
    session: Db,
    status: Annotated[DeliveryStatus | None, Query(description="only deliveries in this status")] = None,
    campaign_id: uuid.UUID | None = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    rows, next_cursor = deliveries.list_deliveries(
        session, ctx, status=status, campaign_id=campaign_id, limit=limit, cursor=cursor
    )
    views = (deliveries.view(session, ctx, r) for r in rows)
    return models_page(views, limit=limit, next_cursor=next_cursor)


# The sender reads its own without notifications:read; to others a delivery is a 404, never a 403.
@routes.read(summary="A notification's status per channel, with every attempt", unguarded=True)
def get_notification(delivery_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    delivery = deliveries.get(session, ctx, delivery_id)
    return success(deliveries.view(session, ctx, delivery).model_dump(mode="json"))


@routes.post(
    "/cancel", 409, 503, summary="Cancel a notification that has not gone out yet (a scheduled one, say)"
)
async def cancel(delivery_id: uuid.UUID, ctx: Ctx, engine: EngineDep, client: TemporalDep) -> dict[str, Any]:
    def record(session: Session) -> DeliveryOut:
        ctx.require("notifications:send")
        delivery = deliveries.cancel(session, ctx, delivery_id)
        return deliveries.view(session, ctx, delivery)

    # Its own transaction: committed before the workflow is cancelled, so its activities read the
    # cancelled rows and never write over them.
    out = await own_transaction(engine, ctx.tenant_id, record)
    # The workflow sees the cancelled rows when it wakes; cancelling it as well ends its timers now.
    with contextlib.suppress(RPCError):  # already finished: nothing left to stop
        await client.get_workflow_handle(deliveries.workflow_id(delivery_id)).cancel(rpc_timeout=RPC_TIMEOUT)
    return success(out.model_dump(mode="json"))

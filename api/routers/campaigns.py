"""Campaigns: one template to an audience, rate limited, resumable, with live progress; cancellable."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session
from temporalio.service import RPCError

from api.deps import Ctx, Cursor, Db, EngineDep, LauncherDep, Limit, SettingsDep, TemporalDep
from api.envelope import Envelope, models_page
from api.launch import start_and_answer
from api.process_runtime import RPC_TIMEOUT, Start, own_transaction
from api.resource_routes import ResourceRoutes
from domain.campaigns import service as campaigns
from domain.campaigns.schemas import CampaignCreate, CampaignOut
from workflows.campaigns import CampaignWorkflow

router = APIRouter(prefix="/api/v1/campaigns", tags=["campaigns"])
routes = ResourceRoutes(router, CampaignOut, item="/{campaign_id}")


@routes.create(
    422,
    503,
    summary="Start a campaign (a workflow that sends in batches under rate_per_minute)",
    status_code=202,
)
async def start_campaign(
    body: CampaignCreate, ctx: Ctx, launcher: LauncherDep, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    def record(session: Session) -> tuple[CampaignOut, list[Start]]:
        campaign = campaigns.create(session, ctx, body)
        run = campaigns.run_of(campaign, max_attempts=settings.notification_max_attempts)
        start = Start(CampaignWorkflow.run, run, campaigns.workflow_id(campaign.id))
        return campaigns.view(session, ctx, campaign), [start]

    return await start_and_answer(launcher, ctx, response, "/api/v1/campaigns", record, campaigns.discard)


@routes.listing(summary="List campaigns")
def list_campaigns(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    rows, next_cursor = campaigns.list_campaigns(session, ctx, limit=limit, cursor=cursor)
    views = (campaigns.view(session, ctx, r) for r in rows)
    return models_page(views, limit=limit, next_cursor=next_cursor)


@routes.read(summary="A campaign and its progress (sent / failed / suppressed / pending of total)")
def get_campaign(campaign_id: uuid.UUID, ctx: Ctx, session: Db) -> Envelope[CampaignOut]:
    return Envelope(data=campaigns.view(session, ctx, campaigns.get(session, ctx, campaign_id)))


@routes.post(
    "/cancel",
    409,
    summary="Stop a campaign: the batch in flight finishes, nobody else is sent to",
    status_code=202,
)
async def cancel_campaign(
    campaign_id: uuid.UUID, ctx: Ctx, engine: EngineDep, client: TemporalDep
) -> Envelope[CampaignOut]:
    def record(session: Session) -> CampaignOut:
        campaign = campaigns.request_cancel(session, ctx, campaign_id)
        return campaigns.view(session, ctx, campaign)

    # Its own transaction: committed before the signal, so the woken workflow reads the cancellation.
    out = await own_transaction(engine, ctx.tenant_id, record)
    # The workflow also reads the cancelling status before each batch; the signal only wakes it sooner.
    with contextlib.suppress(RPCError):
        await client.get_workflow_handle(campaigns.workflow_id(campaign_id)).signal(
            CampaignWorkflow.cancel, rpc_timeout=RPC_TIMEOUT
        )
    return Envelope(data=out)

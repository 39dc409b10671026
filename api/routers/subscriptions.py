"""Subscriptions: recurring billing of a customer, one long-running workflow each.

A subscription is recorded in a transaction of its own and its workflow started after the commit
(or the row is discarded and the answer is 503). A change (items, cancel, pause, resume) is committed
first, then the workflow is told with signal-with-start (started again if it is not running); if
Temporal does not answer, the change stands and the answer says the invoicing will catch up.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from api.billing_answers import one_answer
from api.deps import Ctx, Cursor, Db, EngineDep, LauncherDep, Limit, SettingsDep
from api.envelope import page, respond, success
from api.process_runtime import Start, own_transaction
from api.resource_routes import ResourceRoutes
from api.workflow_signal import signal_with_start
from db.models.subscriptions import Subscription
from domain.billing.subscriptions import changes, metering
from domain.billing.subscriptions import service as subscriptions
from domain.billing.subscriptions.schemas import (
    CancelIn,
    Status,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
    SubscriptionRun,
    UsageOut,
)
from domain.billing.subscriptions.views import subscription_out, subscriptions_out
from domain.context import TenantContext
from domain.pagination import clamp_limit
from workflows import contracts
from workflows.subscriptions import SubscriptionWorkflow

BASE = "/api/v1/subscriptions"
router = APIRouter(prefix=BASE, tags=["subscriptions"])
routes = ResourceRoutes(router, SubscriptionOut, item="/{subscription_id:uuid}")
log = logging.getLogger("keel.subscriptions")
NOT_TOLD = "Recorded; invoicing catches up once the workflow service answers."


def _run(sub: Subscription) -> SubscriptionRun:
    return SubscriptionRun(tenant_id=sub.tenant_id, subscription_id=sub.id)


async def _tell(request: Request, settings: Any, sub: Subscription) -> bool:
    start = Start(SubscriptionWorkflow.run, _run(sub), sub.workflow_id)
    return await signal_with_start(
        request, settings.temporal_task_queue, start, contracts.SUBSCRIPTION_CHANGED, log
    )


async def _change(
    request: Request,
    ctx: TenantContext,
    engine: Any,
    settings: Any,
    write: Callable[[Session], Subscription],
) -> JSONResponse:
    """``write`` committed in its own transaction (the workflow re-reads the row), then the workflow told."""

    def run(session: Session) -> tuple[dict[str, Any], Subscription]:
        sub = write(session)
        return subscription_out(session, ctx, sub), sub

    out, sub = await own_transaction(engine, ctx.tenant_id, run)
    told = await _tell(request, settings, sub)
    return respond(success(out, message=None if told else NOT_TOLD))


@routes.create(
    503,
    summary="Subscribe a customer to recurring prices: {customer, items: [{price, quantity}], trial_days?, "
    "collection?}",
    description="1 to 20 items, each a recurring price of this tenant (a one-time price is a 422 on "
    "`items.N.price`), active, in the customer's currency, all on the same interval; `quantity` a whole "
    "number 1..1,000,000 for a licensed price, 1 for a usage price. `trial_days` 0..730: no invoice "
    "until the trial ends. `collection`: `send_invoice` (default; due after the customer's payment "
    "terms) or `charge_automatically` (due on issue; Keel charges no saved card: the customer pays the "
    "invoice). The licensed items are invoiced at each period's start, usage at its end. Nothing is "
    "stored on a 422.",
)
async def create_subscription(body: SubscriptionIn, ctx: Ctx, launcher: LauncherDep) -> JSONResponse:
    def record(session: Session) -> tuple[dict[str, Any], list[Start]]:
        sub = subscriptions.create(session, ctx, body)
        return subscription_out(session, ctx, sub), [
            Start(SubscriptionWorkflow.run, _run(sub), sub.workflow_id)
        ]

    def discard(session: Session, out: dict[str, Any]) -> None:
        subscriptions.discard(session, ctx, uuid.UUID(out["id"]))

    out = await launcher.record_then_start(ctx, record, discard)
    return one_answer(out, location=f"{BASE}/{out['id']}")


@routes.listing(summary="Subscriptions, newest first: ?status=, ?customer=")
def list_subscriptions(
    ctx: Ctx,
    session: Db,
    status: Annotated[Status | None, Query()] = None,
    customer: Annotated[uuid.UUID | None, Query()] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> JSONResponse:
    rows, next_cursor = subscriptions.list_subscriptions(
        session, ctx, status=status, customer=customer, limit=limit, cursor=cursor
    )
    data = subscriptions_out(session, ctx, rows)
    return respond(page(data, limit=clamp_limit(limit), next_cursor=next_cursor))


@routes.read(
    summary="A subscription: items, status, current period, trial end, cancel_at_period_end, latest invoices"
)
def get_subscription(subscription_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(subscription_out(session, ctx, subscriptions.get(session, ctx, subscription_id))))


@routes.patch(
    409,
    summary="Change the items (plan or quantities) mid-period, prorated by the second and invoiced at once",
    description="The unused part of the current period of the old licensed items is credited and the "
    "remaining part of the new ones charged, each line rounded half up to the minor unit, on one "
    "proration invoice (a credit note when the credits exceed the charges; see README). Items are "
    "checked like at creation (422 `items.N.price`). 409 when canceled; a trialing subscription "
    "changes without proration.",
)
async def patch_subscription(
    subscription_id: uuid.UUID,
    body: SubscriptionPatch,
    ctx: Ctx,
    engine: EngineDep,
    settings: SettingsDep,
    request: Request,
) -> JSONResponse:
    return await _change(
        request, ctx, engine, settings, lambda s: changes.change_items(s, ctx, subscription_id, body)
    )


@routes.post(
    "/cancel",
    409,
    summary="Cancel: {at_period_end: true} runs to the period's end; false ends it now, usage to date "
    "invoiced",
    description="409 when already canceled, or already set to end at the period's end.",
)
async def cancel_subscription(
    subscription_id: uuid.UUID,
    ctx: Ctx,
    engine: EngineDep,
    settings: SettingsDep,
    request: Request,
    body: CancelIn | None = None,
) -> JSONResponse:
    ask = body or CancelIn()
    return await _change(
        request, ctx, engine, settings, lambda s: subscriptions.cancel(s, ctx, subscription_id, ask)
    )


def _transition(
    action: str, act: Callable[[Session, TenantContext, uuid.UUID], Subscription], summary: str
) -> None:
    """A POST that only moves the subscription to another state (pause, resume), told like any change."""

    async def endpoint(
        subscription_id: uuid.UUID, ctx: Ctx, engine: EngineDep, settings: SettingsDep, request: Request
    ) -> JSONResponse:
        return await _change(request, ctx, engine, settings, lambda s: act(s, ctx, subscription_id))

    endpoint.__name__ = f"{action}_subscription"
    routes.post(f"/{action}", 409, summary=summary)(endpoint)


_transition(
    "pause",
    subscriptions.pause,
    "Pause now: the period is cut short, its usage so far invoiced; no invoice until resumed "
    "(409 unless active or past_due)",
)
_transition(
    "resume",
    subscriptions.resume,
    "Resume a paused or suspended subscription: a new period starts now, invoiced in advance (409 otherwise)",
)


@routes.read(
    below="/usage",
    model=UsageOut,
    summary="The current period's usage: each usage item's quantity so far and what it costs (before tax)",
)
def subscription_usage(subscription_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(metering.current(session, ctx, subscription_id)))

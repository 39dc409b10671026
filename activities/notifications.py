"""Activities of the notification delivery workflow."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

from activities import Deps
from adapters.messaging import PermanentFailure, TransientFailure
from adapters.registry import sender_for
from adapters.storage import object_store
from db.models import DeliveryMessage
from domain.deliveries import sending, service
from domain.deliveries.schemas import DeliveryPlan, DeliveryRef, MessageFailed, MessageRef, NotificationRun
from workflows import contracts

Pending = list[tuple[uuid.UUID, datetime | None, str]]


def _now() -> datetime:
    return datetime.now(UTC)


async def start_deliveries(client: Client, task_queue: str, runs: list[NotificationRun]) -> None:
    for run in runs:
        with contextlib.suppress(WorkflowAlreadyStartedError):  # a retried activity: the first start stands
            await client.start_workflow(
                contracts.NOTIFICATION,  # by name: activities do not import workflow classes
                run,
                id=service.workflow_id(run.delivery_id),
                task_queue=task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )


class NotificationActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.NOTIFICATIONS_PLAN)
    def plan(self, ref: DeliveryRef) -> DeliveryPlan:
        with self.deps.unit(ref.tenant_id) as (session, ctx):
            batch, _ = sending.load_one(session, ctx, ref.delivery_id)
            plans = sending.plan(
                session, ctx, batch, now=ref.now or _now(), critical=self.deps.settings.critical_category_set
            )
            return plans[ref.delivery_id]

    @activity.defn(name=contracts.NOTIFICATIONS_SEND)
    def send(self, ref: MessageRef) -> str:
        """Compose and send one channel's message; a permanent failure is not retried."""
        with self.deps.unit(ref.tenant_id) as (session, ctx):
            batch = sending.load_for_message(session, ctx, ref.message_id)
            message = batch.message(ref.message_id)
            store = object_store(self.deps.settings)
            outgoing = sending.compose(session, ctx, batch, message, now=_now(), store=store)
            status = message.status
        if outgoing is None:  # in-app (delivered while composing), already done, or failed to render
            return status
        try:
            result = sender_for(outgoing.channel, self.deps.settings, self.deps.engine).send(outgoing)
        except (PermanentFailure, TransientFailure) as exc:
            error, final = str(exc), isinstance(exc, PermanentFailure)
            self._record(ref, lambda m: sending.record_failure(m, error, final=final, now=_now()))
            kind = "PermanentFailure" if final else "TransientFailure"
            raise ApplicationError(error, type=kind, non_retryable=final) from exc
        return self._record(ref, lambda m: sending.record_sent(m, result, now=_now()))

    def _record(self, ref: MessageRef, change: Callable[[DeliveryMessage], None]) -> str:
        with self.deps.unit(ref.tenant_id) as (session, ctx):
            message = sending.load_for_message(session, ctx, ref.message_id).message(ref.message_id)
            change(message)
            return message.status

    @activity.defn(name=contracts.NOTIFICATIONS_MARK_FAILED)
    def mark_failed(self, data: MessageFailed) -> None:
        self._record(
            MessageRef(tenant_id=data.tenant_id, message_id=data.message_id),
            lambda m: sending.close(m, "failed", data.reason),
        )

    @activity.defn(name=contracts.NOTIFICATIONS_SKIP)
    def skip(self, data: MessageFailed) -> None:
        self._record(
            MessageRef(tenant_id=data.tenant_id, message_id=data.message_id),
            lambda m: sending.close(m, "cancelled", data.reason),
        )

    @activity.defn(name=contracts.NOTIFICATIONS_FINISH)
    def finish(self, ref: DeliveryRef) -> str:
        with self.deps.unit(ref.tenant_id) as (session, ctx):
            batch, delivery = sending.load_one(session, ctx, ref.delivery_id)
            return sending.finish(session, ctx, batch, delivery)

"""Activities of the notification delivery workflow, and the starter of delivery workflows."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.orm import Session
from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

from activities import Deps
from adapters.messaging import PermanentFailure, TransientFailure
from adapters.registry import sender_for
from db.session import tenant_session
from domain.context import TenantContext
from domain.deliveries import service
from domain.deliveries.schemas import DeliveryPlan, DeliveryRef, DeliveryRun, MessageFailed, MessageRef

Pending = list[tuple[uuid.UUID, datetime | None, str]]


def _now() -> datetime:
    return datetime.now(UTC)


class DeliveryStarter:
    """Starts the delivery workflows of deliveries a unit of work wrote, once it has committed.

    Called from activity threads; the Temporal client lives on the worker's event loop.
    """

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def __call__(self, tenant_id: uuid.UUID, pending: Pending) -> None:
        client, loop = self.deps.client, self.deps.loop
        if client is None or loop is None or not pending:
            return
        settings = self.deps.settings
        queue = activity.info().task_queue if activity.in_activity() else settings.temporal_task_queue
        runs = [
            DeliveryRun(
                tenant_id=tenant_id,
                delivery_id=delivery_id,
                send_at=send_at,
                strategy=strategy,
                max_attempts=self.deps.settings.notification_max_attempts,
            )
            for delivery_id, send_at, strategy in pending
        ]
        asyncio.run_coroutine_threadsafe(start_deliveries(client, queue, runs), loop).result(timeout=30)


async def start_deliveries(client: Client, task_queue: str, runs: list[DeliveryRun]) -> None:
    for run in runs:
        with contextlib.suppress(WorkflowAlreadyStartedError):  # a retried activity: the first start stands
            await client.start_workflow(
                "notification",
                run,
                id=service.workflow_id(run.delivery_id),
                task_queue=task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )


class NotificationActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @contextmanager
    def _unit(self, tenant_id: uuid.UUID) -> Iterator[tuple[Session, TenantContext]]:
        correlation = activity.info().workflow_id if activity.in_activity() else None
        with tenant_session(self.deps.engine, tenant_id) as session:
            yield session, TenantContext.system(tenant_id, correlation_id=correlation)

    @activity.defn(name="notifications.plan")
    def plan(self, ref: DeliveryRef) -> DeliveryPlan:
        with self._unit(ref.tenant_id) as (session, ctx):
            return service.plan(
                session,
                ctx,
                ref.delivery_id,
                now=ref.now or _now(),
                critical=self.deps.settings.critical_category_set,
            )

    @activity.defn(name="notifications.send")
    def send(self, ref: MessageRef) -> str:
        """Compose and send one channel's message; a permanent failure is not retried."""
        with self._unit(ref.tenant_id) as (session, ctx):
            outgoing = service.compose(session, ctx, ref.message_id, now=_now())
        if outgoing is None:  # in-app (delivered while composing), already done, or failed to render
            with self._unit(ref.tenant_id) as (session, ctx):
                return service.message_status(session, ctx, ref.message_id)
        try:
            result = sender_for(outgoing.channel, self.deps.settings, self.deps.engine).send(outgoing)
        except PermanentFailure as exc:
            with self._unit(ref.tenant_id) as (session, ctx):
                service.record_failure(session, ctx, ref.message_id, str(exc), final=True, now=_now())
            raise ApplicationError(str(exc), type="PermanentFailure", non_retryable=True) from exc
        except TransientFailure as exc:
            with self._unit(ref.tenant_id) as (session, ctx):
                service.record_failure(session, ctx, ref.message_id, str(exc), final=False, now=_now())
            raise ApplicationError(str(exc), type="TransientFailure") from exc
        with self._unit(ref.tenant_id) as (session, ctx):
            service.record_sent(session, ctx, ref.message_id, result, now=_now())
        return result.status

    @activity.defn(name="notifications.mark_failed")
    def mark_failed(self, data: MessageFailed) -> None:
        with self._unit(data.tenant_id) as (session, ctx):
            service.mark_failed(session, ctx, data.message_id, data.reason)

    @activity.defn(name="notifications.skip")
    def skip(self, data: MessageFailed) -> None:
        with self._unit(data.tenant_id) as (session, ctx):
            service.skip(session, ctx, data.message_id, data.reason)

    @activity.defn(name="notifications.finish")
    def finish(self, ref: DeliveryRef) -> str:
        with self._unit(ref.tenant_id) as (session, ctx):
            return service.finish(session, ctx, ref.delivery_id)

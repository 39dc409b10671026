"""Activities of the campaign workflow: resolve the audience, send a batch, settle."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.orm import Session
from temporalio import activity

from activities import Deps
from activities.notifications import start_deliveries
from adapters.messaging import PermanentFailure, SendResult, TransientFailure
from adapters.registry import sender_for
from db.session import tenant_session
from domain.campaigns import service
from domain.campaigns.schemas import BatchIn, BatchOut, CampaignFinish, CampaignRef
from domain.context import TenantContext
from domain.deliveries import service as deliveries
from domain.deliveries.schemas import DeliveryRun


def _now() -> datetime:
    return datetime.now(UTC)


class CampaignActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @contextmanager
    def _unit(self, tenant_id: uuid.UUID) -> Iterator[tuple[Session, TenantContext]]:
        correlation = activity.info().workflow_id if activity.in_activity() else None
        with tenant_session(self.deps.engine, tenant_id) as session:
            yield session, TenantContext.system(tenant_id, correlation_id=correlation)

    @activity.defn(name="campaigns.materialize")
    def materialize(self, ref: CampaignRef) -> int:
        with self._unit(ref.tenant_id) as (session, ctx):
            return service.materialize(session, ctx, ref.campaign_id)

    @activity.defn(name="campaigns.is_cancelling")
    def is_cancelling(self, ref: CampaignRef) -> bool:
        with self._unit(ref.tenant_id) as (session, ctx):
            return service.is_cancelling(session, ctx, ref.campaign_id)

    @activity.defn(name="campaigns.send_batch")
    def send_batch(self, batch: BatchIn) -> BatchOut:
        """Send the next deliveries in place; heartbeats per delivery so a crash resumes quickly."""
        with self._unit(batch.tenant_id) as (session, ctx):
            ids = service.next_batch(
                session, ctx, batch.campaign_id, batch.size, part=batch.part, parts=batch.parts
            )
        handed: list[uuid.UUID] = []
        for delivery_id in ids:
            if self._send_one(batch.tenant_id, delivery_id):
                handed.append(delivery_id)
            activity.heartbeat()
        if handed:
            self._hand_over(batch.tenant_id, handed)
        return BatchOut(processed=len(ids), deferred=handed)

    def _send_one(self, tenant_id: uuid.UUID, delivery_id: uuid.UUID) -> bool:
        """Send a delivery's due channels; True when it must continue in a workflow of its own."""
        critical = self.deps.settings.critical_category_set
        with self._unit(tenant_id) as (session, ctx):
            messages, waiting = deliveries.compose_due(
                session, ctx, delivery_id, now=_now(), critical=critical
            )
        outcomes: list[tuple[uuid.UUID, SendResult | str, bool]] = []
        retry = False
        for message in messages:
            try:
                result = sender_for(message.channel, self.deps.settings, self.deps.engine).send(message)
                outcomes.append((message.message_id, result, True))
            except PermanentFailure as exc:
                outcomes.append((message.message_id, str(exc), True))
            except TransientFailure as exc:
                outcomes.append((message.message_id, str(exc), False))
                retry = True
        with self._unit(tenant_id) as (session, ctx):
            for message_id, outcome, final in outcomes:
                if isinstance(outcome, SendResult):
                    deliveries.record_sent(session, ctx, message_id, outcome, now=_now())
                else:
                    deliveries.record_failure(session, ctx, message_id, outcome, final=final, now=_now())
            if not (waiting or retry):
                deliveries.finish(session, ctx, delivery_id)
        return waiting or retry

    @activity.defn(name="campaigns.resume_handed")
    def resume_handed(self, ref: CampaignRef) -> int:
        """Start (again, harmlessly) the workflows of handed-over deliveries that have not settled."""
        with self._unit(ref.tenant_id) as (session, ctx):
            ids = service.handed_unfinished(session, ctx, ref.campaign_id)
        self._start(ref.tenant_id, ids)
        return len(ids)

    def _hand_over(self, tenant_id: uuid.UUID, delivery_ids: list[uuid.UUID]) -> None:
        with self._unit(tenant_id) as (session, ctx):
            service.hand_over(session, ctx, delivery_ids)
        self._start(tenant_id, delivery_ids)

    def _start(self, tenant_id: uuid.UUID, delivery_ids: list[uuid.UUID]) -> None:
        client, loop = self.deps.client, self.deps.loop
        if client is None or loop is None or not delivery_ids:
            return
        runs = [
            DeliveryRun(
                tenant_id=tenant_id, delivery_id=i, max_attempts=self.deps.settings.notification_max_attempts
            )
            for i in delivery_ids
        ]
        future = asyncio.run_coroutine_threadsafe(
            start_deliveries(client, activity.info().task_queue, runs), loop
        )
        future.result(timeout=60)

    @activity.defn(name="campaigns.finish")
    def finish(self, data: CampaignFinish) -> str:
        with self._unit(data.tenant_id) as (session, ctx):
            return service.finish(session, ctx, data.campaign_id, cancelled=data.cancelled)

"""Activities of the outbox dispatcher: drain a batch of a tenant's events, then record it handed out."""

from __future__ import annotations

import asyncio
import uuid

from temporalio import activity

from activities import Deps
from domain.deliveries.schemas import NotificationRun
from domain.webhooks import dispatch
from domain.webhooks.schemas import Drained, DrainIn, Handed, Signal, WebhookDeliveryRun, parse_schedule
from keel.visibility import waiting_for
from workflows import contracts


class OutboxActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.schedule = parse_schedule(deps.settings.webhook_retry_schedule)

    def _drain(self, data: DrainIn) -> dispatch.Batch:
        with self.deps.unit(data.tenant_id) as (session, ctx):
            return dispatch.drain(session, ctx, data.batch_size)

    @activity.defn(name=contracts.OUTBOX_DRAIN)
    async def drain(self, data: DrainIn) -> Drained:
        """Deliveries to start and processes to signal for the next batch (publishes nothing)."""
        batch = await asyncio.to_thread(self._drain, data)
        signals = []
        if batch.to_signal:
            if self.deps.client is None:
                raise RuntimeError("the outbox dispatcher needs a Temporal client to find waiting processes")
            for event_id, event in batch.to_signal:
                found = await waiting_for(
                    self.deps.client, data.tenant_id, f"{event.name}:{event.correlation_key}"
                )
                signals.append(Signal(event_id=event_id, workflow_ids=[e.id for e in found], event=event))
        timeout = self.deps.settings.webhook_timeout_seconds
        runs = [
            WebhookDeliveryRun(
                tenant_id=data.tenant_id,
                delivery_id=d,
                schedule=batch.schedules.get(d, self.schedule),  # the subscription's own, if it has one
                attempt_timeout=timeout,
            )
            for d in batch.deliveries
        ]
        notifications = [
            NotificationRun(
                tenant_id=data.tenant_id,
                delivery_id=uuid.UUID(str(p["delivery_id"])),
                send_at=p.get("send_at"),
                strategy=p.get("strategy", "all"),
                max_attempts=self.deps.settings.notification_max_attempts,
            )
            for p in batch.notifications
        ]
        return Drained(
            event_ids=batch.event_ids,
            full=batch.full,
            deliveries=runs,
            signals=signals,
            notifications=notifications,
            # Without a search index configured there is nothing to keep in sync.
            search=batch.search if self.deps.settings.typesense_url else None,
        )

    @activity.defn(name=contracts.OUTBOX_RECORD_HANDED)
    def record_handed(self, data: Handed) -> None:
        """The batch's workflows are started and its signals sent: publish it."""
        with self.deps.unit(data.tenant_id) as (session, ctx):
            workflows = {uuid.UUID(k): v for k, v in data.workflows.items()}
            dispatch.record_handed(session, ctx, data.event_ids, data.signalled, workflows)

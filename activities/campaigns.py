"""Activities of the campaign workflow: resolve the audience, send a batch, settle."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from temporalio import activity

from activities import Deps
from activities.notifications import start_deliveries
from adapters.messaging import (
    BatchSender,
    DeliveryFailure,
    OutgoingMessage,
    PermanentFailure,
    SendResult,
    TransientFailure,
)
from adapters.registry import sender_for
from domain.campaigns import service
from domain.campaigns.schemas import CampaignBatchIn, CampaignBatchOut, CampaignFinish, CampaignRef
from domain.deliveries import sending
from domain.deliveries.schemas import NotificationRun
from workflows import contracts

# Composing one batch stops here (a slow tenant template), well inside the activity's timeout; the
# rest goes with the next batch.
COMPOSE_BUDGET_SECONDS = 60.0


def _now() -> datetime:
    return datetime.now(UTC)


class CampaignActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.CAMPAIGNS_MATERIALIZE)
    def materialize(self, ref: CampaignRef) -> int:
        with self.deps.unit(ref.tenant_id) as (session, ctx):
            return service.materialize(session, ctx, ref.campaign_id)

    @activity.defn(name=contracts.CAMPAIGNS_IS_CANCELLING)
    def is_cancelling(self, ref: CampaignRef) -> bool:
        with self.deps.unit(ref.tenant_id) as (session, ctx):
            return service.is_cancelling(session, ctx, ref.campaign_id)

    @activity.defn(name=contracts.CAMPAIGNS_SEND_BATCH)
    def send_batch(self, batch: CampaignBatchIn) -> CampaignBatchOut:
        """Send the next deliveries in place: compose all in one transaction, send each, record all
        in one transaction. A crash in between resends nothing the outbox already holds."""
        critical = self.deps.settings.critical_category_set
        with self.deps.unit(batch.tenant_id) as (session, ctx):
            ids = service.next_batch(
                session, ctx, batch.campaign_id, batch.size, part=batch.part, parts=batch.parts
            )
            loaded = sending.load(session, ctx, ids)
            composed = sending.compose_due(
                session,
                ctx,
                loaded,
                now=_now(),
                critical=critical,
                each=activity.heartbeat,
                budget_seconds=COMPOSE_BUDGET_SECONDS,
            )
        outcomes = self._send_all([m for _, messages, _ in composed for m in messages])
        retrying = {m for m, outcome, final in outcomes if not final}
        handed = [
            delivery_id
            for delivery_id, messages, waiting in composed
            if waiting or any(m.message_id in retrying for m in messages)
        ]
        with self.deps.unit(batch.tenant_id) as (session, ctx):
            loaded = sending.load(session, ctx, ids)
            for message_id, outcome, final in outcomes:
                row = loaded.message(message_id)
                if isinstance(outcome, SendResult):
                    sending.record_sent(row, outcome, now=_now())
                else:
                    sending.record_failure(row, outcome, final=final, now=_now())
            for delivery_id, delivery in loaded.deliveries.items():
                if delivery_id not in handed:
                    sending.finish(session, ctx, loaded, delivery, announce=False)
        if handed:
            self._hand_over(batch.tenant_id, handed)
        return CampaignBatchOut(processed=len(ids), deferred=handed)

    def _send_all(self, messages: list[OutgoingMessage]) -> list[tuple[uuid.UUID, SendResult | str, bool]]:
        """(message id, result or error, final) per message; a batch-capable adapter takes them at once."""
        out: list[tuple[uuid.UUID, SendResult | str, bool]] = []
        by_channel: dict[str, list[OutgoingMessage]] = {}
        for message in messages:
            by_channel.setdefault(message.channel, []).append(message)
        for group in by_channel.values():
            sender = sender_for(group[0].channel, self.deps.settings, self.deps.engine)
            if isinstance(sender, BatchSender):
                try:
                    results = sender.send_many(group)
                except DeliveryFailure:
                    pass  # one by one below, so each message gets its own outcome
                else:
                    out += [(m.message_id, r, True) for m, r in zip(group, results, strict=True)]
                    continue
            for message in group:
                try:
                    out.append((message.message_id, sender.send(message), True))
                except PermanentFailure as exc:
                    out.append((message.message_id, str(exc), True))
                except TransientFailure as exc:  # its own workflow retries it with backoff
                    out.append((message.message_id, str(exc), False))
                activity.heartbeat()
        return out

    @activity.defn(name=contracts.CAMPAIGNS_RESUME_HANDED)
    def resume_handed(self, ref: CampaignRef) -> int:
        """Start (again, harmlessly) the workflows of handed-over deliveries that have not settled."""
        with self.deps.unit(ref.tenant_id) as (session, ctx):
            ids = service.handed_unfinished(session, ctx, ref.campaign_id)
        self._start(ref.tenant_id, ids)
        return len(ids)

    def _hand_over(self, tenant_id: uuid.UUID, delivery_ids: list[uuid.UUID]) -> None:
        with self.deps.unit(tenant_id) as (session, ctx):
            service.hand_over(session, ctx, delivery_ids)
        self._start(tenant_id, delivery_ids)

    def _start(self, tenant_id: uuid.UUID, delivery_ids: list[uuid.UUID]) -> None:
        client, loop = self.deps.client, self.deps.loop
        if client is None or loop is None or not delivery_ids:
            return
        runs = [
            NotificationRun(
                tenant_id=tenant_id, delivery_id=i, max_attempts=self.deps.settings.notification_max_attempts
            )
            for i in delivery_ids
        ]
        future = asyncio.run_coroutine_threadsafe(
            start_deliveries(client, activity.info().task_queue, runs), loop
        )
        future.result(timeout=60)

    @activity.defn(name=contracts.CAMPAIGNS_FINISH)
    def finish(self, data: CampaignFinish) -> str:
        with self.deps.unit(data.tenant_id) as (session, ctx):
            return service.finish(session, ctx, data.campaign_id, cancelled=data.cancelled)

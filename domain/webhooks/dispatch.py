"""The outbox dispatcher's database side: turn a batch of a tenant's events into webhook deliveries.

A batch is handed out in two steps so that no event is lost or handed out twice across a crash:
``drain`` inserts the deliveries (idempotent) and reports what to start and whom to signal, without
publishing anything; once the workflow has started the delivery workflows and sent the signals,
``record_handed`` publishes the events and stores the workflow ids, in one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models import OutboxEvent, Webhook, WebhookDelivery
from domain.context import TenantContext
from domain.definitions.schemas import ProcessEvent
from domain.events import service as events
from domain.events.patterns import matches
from domain.queries import live, mine
from domain.search import indexing
from domain.search.schemas import SyncBatch

MAX_PENDING = 1000
NOTIFICATION_REQUESTED = "notification.requested"


@dataclass(frozen=True)
class Batch:
    event_ids: list[uuid.UUID]
    full: bool
    deliveries: list[uuid.UUID]  # pending deliveries no workflow was started for yet, in event order
    to_signal: list[tuple[uuid.UUID, ProcessEvent]]  # events with a correlation key
    notifications: list[dict[str, Any]]  # payloads of notification.requested events
    search: SyncBatch | None = None  # entity and entity type changes, for the search index
    # The subscription's own retry schedule per delivery (absent: the deployment's default).
    schedules: dict[uuid.UUID, list[float]] = field(default_factory=dict)


def _signal_of(event: OutboxEvent) -> ProcessEvent | None:
    payload: dict[str, Any] = event.payload or {}
    key = payload.get("correlation_key")
    if event.processes_signalled or key is None or isinstance(key, dict | list):
        return None
    rest = {k: v for k, v in payload.items() if k != "correlation_key"}
    return ProcessEvent(name=event.type, correlation_key=str(key)[:255], payload=rest)


def new_delivery(ctx: TenantContext, hook: Webhook, event: OutboxEvent, now: datetime) -> dict[str, Any]:
    """The row of a delivery of ``event`` to ``hook``, pending its first attempt at ``now``."""
    return {
        "id": uuid.uuid4(),
        "tenant_id": ctx.tenant_id,
        "webhook_id": hook.id,
        "event_id": event.id,
        "event_type": event.type,
        "status": "pending",
        "attempts": 0,
        "replays": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }


def drain(session: Session, ctx: TenantContext, batch_size: int) -> Batch:
    batch = events.next_unpublished(session, ctx, batch_size)
    hooks = list(session.scalars(live(ctx, Webhook).where(Webhook.active.is_(True))))
    now = datetime.now(UTC)
    rows = [
        new_delivery(ctx, hook, event, now)
        for event in batch
        for hook in hooks
        if matches(list(hook.events), event.type)
    ]
    if rows:
        stmt = insert(WebhookDelivery).on_conflict_do_nothing(index_elements=["webhook_id", "event_id"])
        session.execute(stmt, rows)
    pending = session.execute(
        select(WebhookDelivery.id, Webhook.retry_schedule)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            *mine(ctx, WebhookDelivery, deleted=True),
            WebhookDelivery.status == "pending",
            WebhookDelivery.workflow_id.is_(None),
        )
        .order_by(OutboxEvent.created_at, OutboxEvent.id, WebhookDelivery.id)
        .limit(MAX_PENDING)
    )
    to_signal = [(e.id, signal) for e in batch if (signal := _signal_of(e)) is not None]
    requested = [dict(e.payload) for e in batch if e.type == NOTIFICATION_REQUESTED]
    search = indexing.batch_of(ctx.tenant_id, ((e.type, e.payload or {}) for e in batch))
    found = pending.all()
    schedules = {d: [float(x) for x in sched] for d, sched in found if sched}
    deliveries = [d for d, _ in found]
    return Batch(
        [e.id for e in batch], len(batch) >= batch_size, deliveries, to_signal, requested, search, schedules
    )


def record_handed(
    session: Session,
    ctx: TenantContext,
    event_ids: list[uuid.UUID],
    signalled: list[uuid.UUID],
    workflows: dict[uuid.UUID, str],
) -> None:
    for delivery_id, workflow_id in workflows.items():
        session.execute(
            update(WebhookDelivery)
            .where(
                *mine(ctx, WebhookDelivery, deleted=True),
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.workflow_id.is_(None),
            )
            .values(workflow_id=workflow_id)
        )
    events.mark_published(session, ctx, event_ids, signalled)

"""Webhook subscriptions and their deliveries: create, list, read, delete, and replay a dead letter."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adapters.safe_http import Resolver, resolve
from db.models import Webhook, WebhookDelivery
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import FieldError
from domain.events import patterns
from domain.pagination import live_page, paginate
from domain.queries import find, get_or_404, live, mine
from domain.webhooks import destinations, signing
from domain.webhooks.errors import Conflict, NotFound, ValidationFailed
from domain.webhooks.schemas import (
    MAX_ATTEMPTS,
    MAX_SPAN_SECONDS,
    SCHEDULE_HELP,
    STATUSES,
    WebhookCreate,
    iso,
    parse_schedule,
)
from keel.crypto import SecretBox

FIELDS = ["url", "events", "description", "active", "retry_schedule"]


def check_schedule(items: list[str | float]) -> list[float]:
    """Seconds before each attempt, within the bounds; :class:`ValidationFailed` on the item otherwise."""
    if not items:
        raise ValidationFailed.one("retry_schedule", "needs at least one attempt; " + SCHEDULE_HELP)
    if len(items) > MAX_ATTEMPTS:
        raise ValidationFailed.one("retry_schedule", f"may have at most {MAX_ATTEMPTS} attempts")
    out: list[float] = []
    for i, item in enumerate(items):
        try:
            seconds = float(item) if isinstance(item, int | float) else parse_schedule(str(item))[0]
            if "," in str(item) or not math.isfinite(seconds) or seconds < 0:
                raise ValueError("not a single delay")
        except ValueError:
            raise ValidationFailed.one(
                f"retry_schedule.{i}", "must be a delay such as 0s, 30s, 5m, 2h or PT1H"
            ) from None
        out.append(seconds)
    if sum(out) > MAX_SPAN_SECONDS:
        raise ValidationFailed.one(
            "retry_schedule", f"spans {iso(sum(out))}; the attempts may span at most {iso(MAX_SPAN_SECONDS)}"
        )
    return out


def check_patterns(events: list[str]) -> list[str]:
    bad = [
        FieldError(f"events.{i}", patterns.PATTERN_HELP)
        for i, pattern in enumerate(events)
        if not patterns.valid(pattern)
    ]
    if bad:
        raise ValidationFailed(bad)
    return list(dict.fromkeys(events))  # duplicates removed, order kept


def create_webhook(
    session: Session,
    ctx: TenantContext,
    data: WebhookCreate,
    *,
    allow_private: str,
    box: SecretBox,
    resolver: Resolver = resolve,
) -> tuple[Webhook, str]:
    """The new subscription and its secret (returned here only; stored encrypted to sign deliveries)."""
    ctx.require("webhooks:write")
    events = check_patterns(data.events)
    url = destinations.check(data.url, allow_private, resolver)
    schedule = check_schedule(data.retry_schedule) if data.retry_schedule is not None else None
    secret = signing.new_secret()
    hook = Webhook.new(
        ctx,
        url=url,
        events=events,
        description=data.description,
        secret=box.seal(secret),
        retry_schedule=schedule,
        active=True,
        created_by=ctx.user_id,
    )
    session.add(hook)
    session.flush()
    audit.record(
        session, ctx, "webhook.created", "webhook", hook.id, audit.diff(None, audit.snapshot(hook, FIELDS))
    )
    return hook, secret


def list_webhooks(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[Webhook], str | None]:
    ctx.require("webhooks:read")
    return live_page(session, ctx, Webhook, limit=limit, cursor=cursor)


def get_webhook(session: Session, ctx: TenantContext, webhook_id: uuid.UUID) -> Webhook:
    ctx.require("webhooks:read")
    return get_or_404(session, ctx, Webhook, webhook_id, "webhook")


def delivery_counts(session: Session, ctx: TenantContext, webhook_id: uuid.UUID) -> dict[str, int]:
    rows = session.execute(
        select(WebhookDelivery.status, func.count())
        .where(*mine(ctx, WebhookDelivery, deleted=True), WebhookDelivery.webhook_id == webhook_id)
        .group_by(WebhookDelivery.status)
    )
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: int(n) for status, n in rows})
    return counts


def delete_webhook(session: Session, ctx: TenantContext, webhook_id: uuid.UUID) -> Webhook:
    """Soft delete: nothing new is delivered, pending deliveries stop at their next attempt."""
    ctx.require("webhooks:write")
    hook = get_webhook(session, ctx, webhook_id)
    before = audit.snapshot(hook, FIELDS)
    now = datetime.now(UTC)
    hook.deleted_at = now
    if hook.active:
        hook.active, hook.disabled_reason, hook.disabled_at = False, "deleted", now
    session.flush()
    audit.record(session, ctx, "webhook.deleted", "webhook", hook.id, audit.diff(before, {"deleted": True}))
    return hook


def list_deliveries(
    session: Session,
    ctx: TenantContext,
    webhook_id: uuid.UUID,
    *,
    status: str | None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[WebhookDelivery], str | None]:
    """A webhook's deliveries, newest first; ``status=failed`` is the dead-letter list."""
    get_webhook(session, ctx, webhook_id)
    stmt = live(ctx, WebhookDelivery, deleted=True).where(WebhookDelivery.webhook_id == webhook_id)
    if status:
        stmt = stmt.where(WebhookDelivery.status == status)
    return paginate(session, stmt, WebhookDelivery, limit, cursor)


@dataclass(frozen=True)
class Replay:
    row: WebhookDelivery
    workflow_id: str
    previous: str  # the status it had, restored if the workflow cannot be started
    schedule: list[float] | None  # the subscription's own retry schedule


def replay_delivery(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> Replay:
    """Back to pending for a new round of attempts (its workflow is started after the commit)."""
    ctx.require("webhooks:write")
    row = find(session, ctx, WebhookDelivery, delivery_id, deleted=True, for_update=True)
    hook = session.get(Webhook, row.webhook_id) if row else None
    if row is None or hook is None or hook.deleted_at is not None:
        raise NotFound("webhook delivery", delivery_id)
    if row.status not in ("failed", "disabled"):
        raise Conflict(
            f"Only a failed or disabled delivery can be retried; this one is {row.status}.",
            {"delivery_status": row.status},
        )
    if not hook.active:
        raise Conflict(
            f"The webhook is disabled ({hook.disabled_reason or 'no reason given'}); "
            "create a new subscription for this endpoint before retrying.",
            {"webhook_active": False},
        )
    previous = row.status
    row.replays += 1
    row.status, row.completed_at, row.next_attempt_at = "pending", None, datetime.now(UTC)
    row.workflow_id = f"webhook-delivery-{row.id}-replay-{row.replays}"
    session.flush()
    audit.record(
        session,
        ctx,
        "webhook_delivery.replayed",
        "webhook_delivery",
        row.id,
        {"status": [previous, "pending"], "replays": [row.replays - 1, row.replays]},
    )
    schedule = [float(x) for x in hook.retry_schedule] if hook.retry_schedule else None
    return Replay(row, row.workflow_id, previous, schedule)


def undo_replay(session: Session, ctx: TenantContext, delivery_id: uuid.UUID, previous: str) -> None:
    """The replay's workflow could not be started: the delivery returns to the list it was in."""
    row = find(session, ctx, WebhookDelivery, delivery_id, deleted=True)
    if row is not None and row.status == "pending":
        row.status, row.replays, row.next_attempt_at = previous, row.replays - 1, None
        session.flush()

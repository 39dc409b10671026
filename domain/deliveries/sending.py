"""Sending deliveries: plan each channel, compose its message, record the outcome, settle.

Each step works on a :class:`Batch` of deliveries loaded with a handful of queries (deliveries,
their messages, users, preferences, suppressed addresses), so the single-delivery workflow and a
campaign batch of hundreds share one code path, and a campaign costs a few queries per batch
rather than a dozen per recipient.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from adapters.messaging import Attachment, OutgoingMessage, SendResult
from adapters.storage import ObjectStore
from db.models import Delivery, DeliveryMessage, Notification, NotificationPreference, Suppression, User
from domain.context import TenantContext
from domain.deliveries import task_data
from domain.deliveries.schemas import ChannelPlan, DeliveryPlan
from domain.errors import NotFound
from domain.events import service as events
from domain.notifications import preferences, templates
from domain.notifications.errors import TemplateMissingChannel, TemplateRenderError
from domain.notifications.tracking import normal_address
from domain.queries import live, mine

DONE = frozenset({"sent", "delivered", "opened"})
FAILED = frozenset({"failed", "bounced"})
SKIPPED = frozenset({"suppressed", "suppressed-by-preference", "cancelled"})
FINAL = DONE | FAILED | SKIPPED


@dataclass
class Batch:
    """Deliveries and everything planning and composing them needs, loaded in bulk."""

    deliveries: dict[uuid.UUID, Delivery]
    messages: dict[uuid.UUID, list[DeliveryMessage]]  # per delivery, in the delivery's channel order
    users: dict[uuid.UUID, User] = field(default_factory=dict)
    prefs: dict[uuid.UUID, NotificationPreference] = field(default_factory=dict)
    suppressed: set[tuple[str, str]] = field(default_factory=set)  # (channel, normalised address)
    _by_id: dict[uuid.UUID, DeliveryMessage] = field(default_factory=dict)

    def message(self, message_id: uuid.UUID) -> DeliveryMessage:
        if not self._by_id:
            self._by_id = {row.id: row for rows in self.messages.values() for row in rows}
        try:
            return self._by_id[message_id]
        except KeyError:
            raise NotFound("notification message", message_id) from None

    def prefs_of(self, delivery: Delivery) -> NotificationPreference | None:
        return self.prefs.get(delivery.user_id) if delivery.user_id else None


def load(session: Session, ctx: TenantContext, delivery_ids: Iterable[uuid.UUID]) -> Batch:
    ids = list(delivery_ids)
    deliveries = {
        d.id: d for d in session.scalars(live(ctx, Delivery, deleted=True).where(Delivery.id.in_(ids)))
    }
    messages: dict[uuid.UUID, list[DeliveryMessage]] = defaultdict(list)
    for row in session.scalars(
        live(ctx, DeliveryMessage, deleted=True).where(DeliveryMessage.delivery_id.in_(ids))
    ):
        messages[row.delivery_id].append(row)
    for delivery_id, rows in messages.items():
        order = {c: i for i, c in enumerate(deliveries[delivery_id].channels)}
        rows.sort(key=lambda m: order.get(m.channel, 99))
    user_ids = {d.user_id for d in deliveries.values() if d.user_id}
    batch = Batch(deliveries, dict(messages))
    if user_ids:
        batch.users = {
            u.id: u for u in session.scalars(live(ctx, User, deleted=True).where(User.id.in_(user_ids)))
        }
        batch.prefs = {
            p.user_id: p
            for p in session.scalars(
                live(ctx, NotificationPreference, deleted=True).where(
                    NotificationPreference.user_id.in_(user_ids)
                )
            )
        }
    return batch


def load_one(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> tuple[Batch, Delivery]:
    batch = load(session, ctx, [delivery_id])
    if delivery_id not in batch.deliveries:
        raise NotFound("notification", delivery_id)
    return batch, batch.deliveries[delivery_id]


def load_for_message(session: Session, ctx: TenantContext, message_id: uuid.UUID) -> Batch:
    delivery_id = session.scalar(
        select(DeliveryMessage.delivery_id).where(
            *mine(ctx, DeliveryMessage, deleted=True), DeliveryMessage.id == message_id
        )
    )
    if delivery_id is None:
        raise NotFound("notification message", message_id)
    return load(session, ctx, [delivery_id])


# -- planning -------------------------------------------------------------------------------------
def plan(
    session: Session, ctx: TenantContext, batch: Batch, *, now: datetime, critical: frozenset[str]
) -> dict[uuid.UUID, DeliveryPlan]:
    """Decide per channel: send now, send after quiet hours, or not at all (and record why)."""
    addresses: dict[uuid.UUID, str | None] = {}
    for delivery in batch.deliveries.values():
        user = batch.users.get(delivery.user_id) if delivery.user_id else None
        for message in batch.messages.get(delivery.id, []):
            if message.status not in FINAL:
                addresses[message.id] = _address(message.channel, delivery, user, batch.prefs_of(delivery))
    _load_suppressions(session, ctx, batch, addresses)
    out: dict[uuid.UUID, DeliveryPlan] = {}
    for delivery in batch.deliveries.values():
        channels: list[ChannelPlan] = []
        if delivery.status != "cancelled":
            channels = [
                _plan_message(message, delivery, batch, addresses.get(message.id), now, critical)
                for message in batch.messages.get(delivery.id, [])
            ]
            delivery.status = "sending"
        out[delivery.id] = DeliveryPlan(channels=channels)
    session.flush()
    return out


def _plan_message(
    message: DeliveryMessage,
    delivery: Delivery,
    batch: Batch,
    address: str | None,
    now: datetime,
    critical: frozenset[str],
) -> ChannelPlan:
    if message.status in FINAL:
        return ChannelPlan(message_id=message.id, channel=message.channel, send=False)
    message.address = address
    send, wait_until = False, None
    if not address:
        _set(message, "failed", _unreachable(message.channel))
    elif message.channel != "in_app" and (message.channel, normal_address(message.channel, address)) in (
        batch.suppressed
    ):
        _set(message, "suppressed", "the address bounced or complained before; not sent again")
    else:
        decision = preferences.decide(
            batch.prefs_of(delivery),
            category=delivery.category,
            channel=message.channel,
            priority=delivery.priority,
            now=now,
            critical=critical,
        )
        if decision.send:
            send, wait_until = True, decision.wait_until
        else:
            _set(message, "suppressed-by-preference", decision.reason)
    return ChannelPlan(message_id=message.id, channel=message.channel, send=send, wait_until=wait_until)


def _load_suppressions(
    session: Session, ctx: TenantContext, batch: Batch, addresses: dict[uuid.UUID, str | None]
) -> None:
    wanted = set()
    for rows in batch.messages.values():
        for message in rows:
            address = addresses.get(message.id)
            if address and message.channel != "in_app":
                wanted.add((message.channel, normal_address(message.channel, address)))
    if wanted:
        batch.suppressed = set(
            session.execute(
                select(Suppression.channel, Suppression.address).where(
                    *mine(ctx, Suppression),
                    tuple_(Suppression.channel, Suppression.address).in_(list(wanted)),
                )
            ).tuples()
        )


# -- composing ------------------------------------------------------------------------------------
def compose(
    session: Session,
    ctx: TenantContext,
    batch: Batch,
    message: DeliveryMessage,
    *,
    now: datetime,
    store: ObjectStore | None = None,
) -> OutgoingMessage | None:
    """The message to hand to the channel's adapter, or None when there is nothing (more) to send.

    In-app messages are delivered here, in this transaction. A template that cannot render fails the
    channel for good (the error says which field and why). An email carries the delivery's attachments,
    read from ``store``.
    """
    if message.status in FINAL:
        return None
    delivery = batch.deliveries[message.delivery_id]
    if delivery.status == "cancelled":
        _set(message, "cancelled", "the notification was cancelled")
        return None
    if message.channel == "in_app":
        if delivery.user_id is None:
            _set(message, "failed", _unreachable("in_app"))
        else:
            deliver_in_app(session, ctx, batch, delivery, message, now=now)
        return None
    try:
        rendered = _render(session, ctx, batch, delivery, message.channel)
    except (TemplateMissingChannel, TemplateRenderError) as exc:
        _attempt(message, "failed", now, error=exc.message)
        _set(message, "failed", exc.message)
        return None
    message.template_version = delivery.template_version = rendered.version
    fields = rendered.fields
    blank = _blank(message.channel, fields)
    if blank:
        reason = f"template {delivery.template!r} rendered an empty {blank} with this data; not sent"
        _attempt(message, "failed", now, error=reason)
        _set(message, "failed", reason)
        return None
    message.status = "sending"
    return OutgoingMessage(
        tenant_id=ctx.tenant_id,
        message_id=message.id,
        channel=message.channel,  # type: ignore[arg-type]
        to=message.address or "",
        # A subject or push title is one line: a line break from the data would break the header.
        subject=" ".join((fields.get("subject") or fields.get("title", "")).split()),
        text=fields.get("text") or fields.get("body", ""),
        html=fields.get("html", ""),
        data={"delivery_id": str(delivery.id), "category": delivery.category},
        attachments=_attachments(ctx, delivery, store) if message.channel == "email" else (),
    )


def _attachments(ctx: TenantContext, delivery: Delivery, store: ObjectStore | None) -> tuple[Attachment, ...]:
    if not delivery.attachments:
        return ()
    if store is None:
        raise RuntimeError("an email with attachments is composed with the object store")
    return tuple(
        Attachment(a["name"], a["content_type"], b"".join(store.read(ctx.tenant_id, a["key"])))
        for a in delivery.attachments
    )


def compose_due(
    session: Session,
    ctx: TenantContext,
    batch: Batch,
    *,
    now: datetime,
    critical: frozenset[str],
    each: Callable[[], None] | None = None,
    budget_seconds: float | None = None,
) -> list[tuple[uuid.UUID, list[OutgoingMessage], bool]]:
    """Plan and compose every channel that may go out now (the campaign path), per delivery:
    (delivery id, messages to send, whether a channel waits for the recipient's quiet hours).

    ``each`` is called after each delivery (the activity's heartbeat). Past ``budget_seconds`` of
    composing (a slow template), the rest of the batch is left for the next one, so a batch always
    finishes within its activity's timeout and always makes progress.
    """
    out: list[tuple[uuid.UUID, list[OutgoingMessage], bool]] = []
    started = time.monotonic()
    for delivery_id, delivery_plan in plan(session, ctx, batch, now=now, critical=critical).items():
        if out and budget_seconds is not None and time.monotonic() - started > budget_seconds:
            break
        waiting, messages = False, []
        for channel in delivery_plan.channels:
            if not channel.send:
                continue
            if channel.wait_until is not None and channel.wait_until > now:
                waiting = True
                continue
            composed = compose(session, ctx, batch, batch.message(channel.message_id), now=now)
            if composed is not None:
                messages.append(composed)
        out.append((delivery_id, messages, waiting))
        if each is not None:
            each()
    session.flush()
    return out


def deliver_in_app(
    session: Session,
    ctx: TenantContext,
    batch: Batch,
    delivery: Delivery,
    message: DeliveryMessage,
    *,
    now: datetime,
) -> None:
    """Write the in-app message into the user's inbox, in the caller's transaction (exactly once)."""
    assert delivery.user_id is not None
    try:
        rendered = _render(session, ctx, batch, delivery, "in_app")
    except (TemplateMissingChannel, TemplateRenderError) as exc:
        _set(message, "failed", exc.message)
        return
    data = {k: v for k, v in delivery.data.items() if isinstance(v, str | int | float | bool)}
    session.add(
        Notification.new(
            ctx,
            user_id=delivery.user_id,
            kind=str(delivery.data.get("kind") or f"notification.{delivery.template}")[:64],
            title=rendered.fields.get("title", "")[:255] or delivery.template,
            body=rendered.fields.get("body", ""),
            data=data | {"delivery_id": str(delivery.id), "category": delivery.category},
        )
    )
    message.address = str(delivery.user_id)
    message.template_version = delivery.template_version = rendered.version
    message.provider = "inbox"
    message.sent_at = message.delivered_at = now
    _attempt(message, "delivered", now, provider="inbox")
    message.status = "delivered"


# -- recording ------------------------------------------------------------------------------------
def record_sent(message: DeliveryMessage, result: SendResult, *, now: datetime) -> None:
    message.provider = result.provider
    message.provider_message_id = result.provider_message_id
    message.sent_at = message.sent_at or now
    if result.status == "delivered":
        message.delivered_at = message.delivered_at or now
    _attempt(message, result.status, now, provider=result.provider)
    if message.status not in {"delivered", "opened"} | FAILED:  # a callback may have come first
        message.status = result.status


def record_failure(message: DeliveryMessage, error: str, *, final: bool, now: datetime) -> None:
    """Record a failed attempt; ``final`` when no retry follows (the channel failed for good)."""
    _attempt(message, "failed" if final else "retrying", now, error=error[:500])
    if final:
        _set(message, "failed", error[:500])


def close(message: DeliveryMessage, status: str, reason: str) -> None:
    """Fail or skip a message that has not settled (a workflow gave up, or fell back elsewhere)."""
    if message.status not in FINAL:
        _set(message, status, reason[:500])


def finish(
    session: Session, ctx: TenantContext, batch: Batch, delivery: Delivery, *, announce: bool = True
) -> str:
    """Settle the delivery's status from its messages and tell the event bus how it went.

    Campaign deliveries pass ``announce=False``: the campaign announces itself once, instead of
    ten thousand per-recipient events.
    """
    statuses = [m.status for m in batch.messages.get(delivery.id, [])]
    settled = statuses
    if delivery.strategy == "fallback" and any(s in DONE for s in statuses):
        settled = [s for s in statuses if s not in FAILED]  # a later channel made up for it
    delivery.status = overall_status(settled, cancelled=delivery.status == "cancelled")
    if announce and delivery.status in ("delivered", "failed"):
        events.emit(
            session,
            ctx,
            f"notification.{delivery.status}",
            {
                "delivery_id": str(delivery.id),
                "template": delivery.template,
                "category": delivery.category,
                "channels": dict(zip(delivery.channels, statuses, strict=False)),
                "campaign_id": str(delivery.campaign_id) if delivery.campaign_id else None,
            },
            dedup_key=f"notification:{delivery.id}:{delivery.status}",
        )
    return delivery.status


def overall_status(statuses: list[str], *, cancelled: bool = False) -> str:
    live = [s for s in statuses if s not in SKIPPED]
    if not live:
        return "cancelled" if cancelled or "cancelled" in statuses else "suppressed"
    if any(s in DONE for s in live):
        if all(s in ("delivered", "opened") for s in live):
            return "delivered"
        return "sent"
    if all(s in FAILED for s in live):
        return "failed"
    return "sending"


# -- helpers --------------------------------------------------------------------------------------
def _address(
    channel: str, delivery: Delivery, user: User | None, prefs: NotificationPreference | None
) -> str | None:
    given = delivery.recipient
    if channel == "email":
        return str(user.email) if user else given.get("email")
    if channel == "sms":
        return (prefs.phone if prefs else None) if user else given.get("phone")
    if channel == "push":
        endpoints = list(prefs.push_endpoints) if prefs else []
        return str(endpoints[0]) if endpoints else None
    return str(user.id) if user else None


def _blank(channel: str, fields: dict[str, str]) -> str | None:
    """The field a message cannot go out without that rendered blank (guards hid all of it)."""
    if channel == "email":
        if not fields.get("subject", "").strip():
            return "subject"
        if not (fields.get("text", "").strip() or fields.get("html", "").strip()):
            return "body"
        return None
    essential = {"sms": "text", "push": "title"}.get(channel)
    if essential and not fields.get(essential, "").strip():
        return essential
    return None


def _unreachable(channel: str) -> str:
    return {
        "sms": "the user has no phone number in their notification preferences",
        "push": "the user has registered no push endpoint",
        "in_app": "only users have an in-app inbox",
    }.get(channel, f"no address for {channel}")


def _render(
    session: Session, ctx: TenantContext, batch: Batch, delivery: Delivery, channel: str
) -> templates.Rendered:
    prefs = batch.prefs_of(delivery)
    locale = delivery.locale or (prefs.locale if prefs else None)
    data = task_data.localise(delivery.data, locale, prefs.timezone if prefs else None)
    # Every channel and every retry renders the version the delivery first used.
    return templates.render(
        session, ctx, delivery.template, channel, locale, data, version=delivery.template_version
    )


def _set(message: DeliveryMessage, status: str, reason: str | None) -> None:
    message.status = status
    message.status_reason = reason


def _attempt(
    message: DeliveryMessage,
    outcome: str,
    at: datetime,
    *,
    error: str | None = None,
    provider: str | None = None,
) -> None:
    entry = {"at": at.isoformat(), "outcome": outcome, "error": error, "provider": provider}
    message.attempts = [*message.attempts, entry]

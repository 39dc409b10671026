"""Notification deliveries: one message to one recipient on one or more channels, tracked per channel.

A delivery is written in the caller's transaction; the delivery workflow then plans it (addresses,
suppressions, preferences, quiet hours), composes each channel's message from its template and hands
it to the channel's adapter. In-app messages are written straight into the inbox in the transaction
that composes them, so they exist exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adapters.messaging import OutgoingMessage, SendResult
from db.models import Delivery, DeliveryMessage, Notification, NotificationPreference, User
from domain.audit import service as audit
from domain.context import TenantContext
from domain.deliveries.schemas import ChannelPlan, DeliveryOut, DeliveryPlan, MessageOut, NotificationRequest
from domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.events import service as events
from domain.notifications import preferences, templates, tracking
from domain.notifications.errors import TemplateMissingChannel, TemplateRenderError
from domain.pagination import paginate

CHANNEL_ORDER = ("in_app", "email", "sms", "push")
PROCESS_CHANNELS = ("in_app", "email")  # how processes notify their assignees by default
DONE = frozenset({"sent", "delivered", "opened"})
FAILED = frozenset({"failed", "bounced"})
SKIPPED = frozenset({"suppressed", "suppressed-by-preference", "cancelled"})
FINAL = DONE | FAILED | SKIPPED
PENDING_KEY = "keel.deliveries_to_start"  # session.info: deliveries to hand to a workflow after commit
# Process notification kinds and the template that words them.
KIND_TEMPLATES = {
    "task.assigned": "task-assigned",
    "task.reminder": "task-reminder",
    "task.escalated": "task-escalated",
}


def workflow_id(delivery_id: uuid.UUID) -> str:
    return f"notification-{delivery_id}"


def normalise_phone(value: str, field: str) -> str:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed.one(field, f"not a phone number in international form (+…): {exc}") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed.one(field, "not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# -- requests ------------------------------------------------------------------------------------
def request(
    session: Session,
    ctx: TenantContext,
    body: NotificationRequest,
    *,
    now: datetime,
    dedup_key: str | None = None,
) -> Delivery:
    """Validate and record a notification; the caller starts its workflow after the commit."""
    ctx.require("notifications:send")
    if dedup_key:
        existing = session.scalar(
            select(Delivery).where(Delivery.tenant_id == ctx.tenant_id, Delivery.dedup_key == dedup_key)
        )
        if existing:
            return existing
    try:
        available = templates.channels_of(session, ctx, body.template)
        category = body.category or templates.category_of(session, ctx, body.template)
    except NotFound as exc:
        raise ValidationFailed.one("template", f"no notification template {body.template!r}") from exc
    recipient = body.recipient.model_dump(mode="json", exclude_none=True)
    user = None
    if body.recipient.user_id is not None:
        user = _active_user(session, ctx, body.recipient.user_id)
        if user is None:
            raise ValidationFailed.one("recipient.user_id", "no active user with this id in the tenant")
        reachable: tuple[str, ...] = CHANNEL_ORDER
    elif body.recipient.phone is not None:
        recipient["phone"] = normalise_phone(body.recipient.phone, "recipient.phone")
        reachable = ("sms",)
    else:
        recipient["email"] = str(body.recipient.email).lower()
        reachable = ("email",)
    if body.channels is None:
        channels = [c for c in CHANNEL_ORDER if c in available and c in reachable]
        if not channels:
            raise ValidationFailed.one(
                "channels", f"template {body.template!r} has no channel this recipient can be reached on"
            )
    else:
        channels = list(body.channels)
        problems = [
            FieldError(f"channels.{i}", f"a recipient given by {next(iter(recipient))} cannot get {c}")
            for i, c in enumerate(channels)
            if c not in reachable
        ] + [
            FieldError(f"channels.{i}", f"template {body.template!r} has no {c} content")
            for i, c in enumerate(channels)
            if c in reachable and c not in available
        ]
        if problems:
            raise ValidationFailed(problems)
    future = body.send_at is not None and body.send_at > now
    delivery = create(
        session,
        ctx,
        recipient=recipient,
        user_id=user.id if user else None,
        template=body.template,
        data=body.data,
        channels=channels,
        category=category,
        priority=body.priority,
        strategy=body.strategy,
        locale=body.locale,
        send_at=body.send_at if future else None,
        dedup_key=dedup_key,
    )
    audit.record(
        session,
        ctx,
        "notification.requested",
        "notification",
        delivery.id,
        {"template": [None, body.template], "channels": [None, channels], "category": [None, category]},
    )
    return delivery


def create(
    session: Session,
    ctx: TenantContext,
    *,
    recipient: dict[str, Any],
    user_id: uuid.UUID | None,
    template: str,
    data: dict[str, Any],
    channels: list[str],
    category: str,
    priority: str = "normal",
    strategy: str = "all",
    locale: str | None = None,
    send_at: datetime | None = None,
    dedup_key: str | None = None,
    campaign_id: uuid.UUID | None = None,
) -> Delivery:
    """Write a delivery and its queued messages (validated by the caller), and remember to start it."""
    delivery_id = uuid.uuid4()
    delivery = Delivery(
        id=delivery_id,
        tenant_id=ctx.tenant_id,
        recipient=recipient,
        user_id=user_id,
        template=template,
        data=data,
        channels=channels,
        strategy=strategy,
        category=category,
        priority=priority,
        locale=locale,
        send_at=send_at,
        status="scheduled" if send_at else "queued",
        workflow_id=workflow_id(delivery_id),
        campaign_id=campaign_id,
        dedup_key=dedup_key,
        created_by=ctx.user_id,
    )
    session.add(delivery)
    session.add_all(
        DeliveryMessage(
            tenant_id=ctx.tenant_id, delivery_id=delivery_id, channel=c, status="queued", attempts=[]
        )
        for c in channels
    )
    session.flush()
    session.info.setdefault(PENDING_KEY, []).append((delivery_id, send_at, strategy))
    return delivery


def notify_assignees(
    session: Session,
    ctx: TenantContext,
    to: Iterable[str],
    *,
    kind: str,
    title: str,
    body: str = "",
    data: dict[str, Any] | None = None,
    category: str = "approvals",
    dedup_prefix: str | None = None,
) -> list[Delivery]:
    """What processes use: one delivery (in-app + email) per distinct user an assignee string designates.

    The in-app message is written now, in this transaction; the email follows through the delivery
    workflow. ``dedup_prefix`` makes a retried call find the deliveries it already wrote.
    """
    from domain.notifications.service import recipients  # the user:/role: resolution lives there

    template = KIND_TEMPLATES.get(kind, "notification")
    available = templates.channels_of(session, ctx, template)
    channels = [c for c in PROCESS_CHANNELS if c in available]
    out: list[Delivery] = []
    seen: set[uuid.UUID] = set()
    for assignee in to:
        for user in recipients(session, ctx, assignee):
            if user.id in seen:
                continue
            seen.add(user.id)
            key = f"{dedup_prefix}:{user.id}" if dedup_prefix else None
            existing = key and session.scalar(
                select(Delivery).where(Delivery.tenant_id == ctx.tenant_id, Delivery.dedup_key == key)
            )
            if existing:
                out.append(existing)
                continue
            payload = {
                "kind": kind,
                "title": title,
                "body": body,
                "assignee": user.email,
                "task_title": title,
                **(data or {}),
            }
            delivery = create(
                session,
                ctx,
                recipient={"user_id": str(user.id)},
                user_id=user.id,
                template=template,
                data=payload,
                channels=channels,
                category=category,
                dedup_key=key,
            )
            if "in_app" in channels:
                _deliver_in_app(session, ctx, delivery, user.id)
            out.append(delivery)
    return out


def _active_user(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> User | None:
    return session.scalar(
        select(User).where(
            User.id == user_id, User.tenant_id == ctx.tenant_id, User.deleted_at.is_(None), User.is_active
        )
    )


# -- reading -------------------------------------------------------------------------------------
def get(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> Delivery:
    """The sender (or anyone with notifications:read) may read a delivery; others get a 404."""
    row = session.scalar(
        select(Delivery).where(
            Delivery.id == delivery_id, Delivery.tenant_id == ctx.tenant_id, Delivery.deleted_at.is_(None)
        )
    )
    if row is None or not (ctx.can("notifications:read") or (ctx.user_id and row.created_by == ctx.user_id)):
        raise NotFound("notification", delivery_id)
    return row


def messages_of(session: Session, ctx: TenantContext, delivery: Delivery) -> list[DeliveryMessage]:
    rows = session.scalars(
        select(DeliveryMessage).where(
            DeliveryMessage.delivery_id == delivery.id, DeliveryMessage.tenant_id == ctx.tenant_id
        )
    ).all()
    order = {c: i for i, c in enumerate(delivery.channels)}
    return sorted(rows, key=lambda m: order.get(m.channel, 99))


def view(session: Session, ctx: TenantContext, delivery: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        status=delivery.status,
        recipient=delivery.recipient,
        template=delivery.template,
        template_version=delivery.template_version,
        category=delivery.category,
        priority=delivery.priority,
        strategy=delivery.strategy,
        channels=list(delivery.channels),
        send_at=delivery.send_at,
        campaign_id=delivery.campaign_id,
        workflow_id=delivery.workflow_id,
        created_at=delivery.created_at,
        updated_at=delivery.updated_at,
        messages=[MessageOut.model_validate(m) for m in messages_of(session, ctx, delivery)],
    )


def list_deliveries(
    session: Session,
    ctx: TenantContext,
    *,
    status: str | None,
    campaign_id: uuid.UUID | None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[Delivery], str | None]:
    ctx.require("notifications:read")
    stmt = select(Delivery).where(Delivery.tenant_id == ctx.tenant_id, Delivery.deleted_at.is_(None))
    if status:
        stmt = stmt.where(Delivery.status == status)
    if campaign_id:
        stmt = stmt.where(Delivery.campaign_id == campaign_id)
    return paginate(session, stmt, Delivery, limit, cursor)


def discard(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> None:
    """Undo a request whose workflow could not be started, so a retry can succeed."""
    row = session.get(Delivery, delivery_id)
    if row is not None and row.tenant_id == ctx.tenant_id:
        session.delete(row)
        session.flush()


def cancel(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> Delivery:
    """Stop a delivery that has not gone out yet; messages already sent stay as they are."""
    delivery = get(session, ctx, delivery_id)
    if delivery.status not in ("queued", "scheduled", "sending"):
        raise Conflict(f"The notification is already {delivery.status}.")
    for message in messages_of(session, ctx, delivery):
        if message.status not in FINAL:
            _set(message, "cancelled", "cancelled on request")
    delivery.status = "cancelled"
    session.flush()
    audit.record(session, ctx, "notification.cancelled", "notification", delivery.id)
    return delivery


# -- the delivery workflow's steps ---------------------------------------------------------------
def plan(
    session: Session, ctx: TenantContext, delivery_id: uuid.UUID, *, now: datetime, critical: frozenset[str]
) -> DeliveryPlan:
    """Decide per channel: send now, send after quiet hours, or not at all (and record why)."""
    delivery = _delivery(session, ctx, delivery_id)
    if delivery.status == "cancelled":
        return DeliveryPlan(channels=[])
    prefs = preferences.for_user(session, ctx, delivery.user_id) if delivery.user_id else None
    user = session.get(User, delivery.user_id) if delivery.user_id else None
    out = []
    for message in messages_of(session, ctx, delivery):
        if message.status in FINAL:
            out.append(ChannelPlan(message_id=message.id, channel=message.channel, send=False))
            continue
        address = _address(message.channel, delivery, user, prefs)
        message.address = address
        send, wait_until = False, None
        if not address:
            _set(message, "failed", _unreachable(message.channel))
        elif message.channel != "in_app" and tracking.is_suppressed(session, ctx, message.channel, address):
            _set(message, "suppressed", "the address bounced or complained before; not sent again")
        else:
            decision = preferences.decide(
                prefs,
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
        out.append(
            ChannelPlan(message_id=message.id, channel=message.channel, send=send, wait_until=wait_until)
        )
    delivery.status = "sending"
    session.flush()
    return DeliveryPlan(channels=out)


def compose(
    session: Session, ctx: TenantContext, message_id: uuid.UUID, *, now: datetime
) -> OutgoingMessage | None:
    """The message to hand to the channel's adapter, or None when there is nothing (more) to send.

    In-app messages are delivered here, in this transaction. A template that cannot render fails the
    channel for good (the error says which field and why).
    """
    message = _message(session, ctx, message_id)
    if message.status in FINAL:
        return None
    delivery = _delivery(session, ctx, message.delivery_id)
    if delivery.status == "cancelled":
        _set(message, "cancelled", "the notification was cancelled")
        return None
    if message.channel == "in_app":
        if delivery.user_id is None:
            _set(message, "failed", _unreachable("in_app"))
        else:
            _deliver_in_app(session, ctx, delivery, delivery.user_id, message)
        return None
    try:
        rendered = _render(session, ctx, delivery, message.channel)
    except (TemplateMissingChannel, TemplateRenderError) as exc:
        _attempt(message, "failed", now, error=exc.message)
        _set(message, "failed", exc.message)
        return None
    message.template_version = delivery.template_version = rendered.version
    message.status = "sending"
    fields = rendered.fields
    session.flush()
    return OutgoingMessage(
        tenant_id=ctx.tenant_id,
        message_id=message.id,
        channel=message.channel,  # type: ignore[arg-type]
        to=message.address or "",
        subject=fields.get("subject") or fields.get("title", ""),
        text=fields.get("text") or fields.get("body", ""),
        html=fields.get("html", ""),
        data={"delivery_id": str(delivery.id), "category": delivery.category},
    )


def record_sent(
    session: Session, ctx: TenantContext, message_id: uuid.UUID, result: SendResult, *, now: datetime
) -> None:
    message = _message(session, ctx, message_id)
    message.provider = result.provider
    message.provider_message_id = result.provider_message_id
    message.sent_at = message.sent_at or now
    if result.status == "delivered":
        message.delivered_at = message.delivered_at or now
    _attempt(message, result.status, now, provider=result.provider)
    if message.status not in {"delivered", "opened"} | FAILED:  # a callback may have come first
        message.status = result.status
    session.flush()


def record_failure(
    session: Session, ctx: TenantContext, message_id: uuid.UUID, error: str, *, final: bool, now: datetime
) -> None:
    """Record a failed attempt; ``final`` when no retry follows (the channel failed for good)."""
    message = _message(session, ctx, message_id)
    _attempt(message, "failed" if final else "retrying", now, error=error[:500])
    if final:
        _set(message, "failed", error[:500])
    session.flush()


def mark_failed(session: Session, ctx: TenantContext, message_id: uuid.UUID, reason: str) -> None:
    message = _message(session, ctx, message_id)
    if message.status not in FINAL:
        _set(message, "failed", reason[:500])
        session.flush()


def skip(session: Session, ctx: TenantContext, message_id: uuid.UUID, reason: str) -> None:
    message = _message(session, ctx, message_id)
    if message.status not in FINAL:
        _set(message, "cancelled", reason)
        session.flush()


def finish(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> str:
    """Settle the delivery's status from its messages and tell the event bus how it went."""
    delivery = _delivery(session, ctx, delivery_id)
    statuses = [m.status for m in messages_of(session, ctx, delivery)]
    settled = statuses
    if delivery.strategy == "fallback" and any(s in DONE for s in statuses):
        settled = [s for s in statuses if s not in FAILED]  # a later channel made up for it
    delivery.status = overall_status(settled, cancelled=delivery.status == "cancelled")
    session.flush()
    if delivery.status in ("delivered", "failed"):
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


# -- helpers -------------------------------------------------------------------------------------
def _delivery(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> Delivery:
    row = session.scalar(
        select(Delivery).where(Delivery.id == delivery_id, Delivery.tenant_id == ctx.tenant_id)
    )
    if row is None:
        raise NotFound("notification", delivery_id)
    return row


def _message(session: Session, ctx: TenantContext, message_id: uuid.UUID) -> DeliveryMessage:
    row = session.scalar(
        select(DeliveryMessage).where(
            DeliveryMessage.id == message_id, DeliveryMessage.tenant_id == ctx.tenant_id
        )
    )
    if row is None:
        raise NotFound("notification message", message_id)
    return row


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


def _unreachable(channel: str) -> str:
    return {
        "sms": "the user has no phone number in their notification preferences",
        "push": "the user has registered no push endpoint",
        "in_app": "only users have an in-app inbox",
    }.get(channel, f"no address for {channel}")


def _render(session: Session, ctx: TenantContext, delivery: Delivery, channel: str) -> templates.Rendered:
    locale = delivery.locale
    if locale is None and delivery.user_id:
        prefs = preferences.for_user(session, ctx, delivery.user_id)
        locale = prefs.locale if prefs else None
    # Every channel and every retry renders the version the delivery first used.
    return templates.render(
        session, ctx, delivery.template, channel, locale, delivery.data, version=delivery.template_version
    )


def _deliver_in_app(
    session: Session,
    ctx: TenantContext,
    delivery: Delivery,
    user_id: uuid.UUID,
    message: DeliveryMessage | None = None,
) -> None:
    if message is None:
        message = session.scalar(
            select(DeliveryMessage).where(
                DeliveryMessage.delivery_id == delivery.id, DeliveryMessage.channel == "in_app"
            )
        )
        if message is None or message.status in FINAL:
            return
    now = _db_now(session)
    try:
        rendered = _render(session, ctx, delivery, "in_app")
    except (TemplateMissingChannel, TemplateRenderError) as exc:
        _set(message, "failed", exc.message)
        return
    data = {k: v for k, v in delivery.data.items() if isinstance(v, str | int | float | bool)}
    session.add(
        Notification(
            tenant_id=ctx.tenant_id,
            user_id=user_id,
            kind=str(delivery.data.get("kind") or f"notification.{delivery.template}")[:64],
            title=rendered.fields.get("title", "")[:255] or delivery.template,
            body=rendered.fields.get("body", ""),
            data=data | {"delivery_id": str(delivery.id), "category": delivery.category},
        )
    )
    message.address = str(user_id)
    message.template_version = delivery.template_version = rendered.version
    message.provider = "inbox"
    message.sent_at = message.delivered_at = now
    _attempt(message, "delivered", now, provider="inbox")
    message.status = "delivered"
    session.flush()


def _db_now(session: Session) -> datetime:
    """The transaction's clock, so rows written together carry one instant."""
    value: datetime = session.scalar(select(func.now()))  # type: ignore[assignment]
    return value


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


def message_status(session: Session, ctx: TenantContext, message_id: uuid.UUID) -> str:
    return _message(session, ctx, message_id).status


def compose_due(
    session: Session, ctx: TenantContext, delivery_id: uuid.UUID, *, now: datetime, critical: frozenset[str]
) -> tuple[list[OutgoingMessage], bool]:
    """Plan and compose, in one transaction, every channel that may go out now (the batch path).

    Returns the messages to send and whether a channel must wait for the recipient's quiet hours.
    """
    waiting = False
    out = []
    for channel in plan(session, ctx, delivery_id, now=now, critical=critical).channels:
        if not channel.send:
            continue
        if channel.wait_until is not None and channel.wait_until > now:
            waiting = True
            continue
        message = compose(session, ctx, channel.message_id, now=now)
        if message is not None:
            out.append(message)
    return out, waiting

"""Notification deliveries: one message to one recipient on one or more channels, tracked per channel.

A delivery is written in the caller's transaction; its workflow then sends it (see ``sending``).
Processes notify their assignees through here too: the in-app message is written in the process's
own transaction, the email follows through the delivery workflow.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Required, TypedDict, Unpack

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Delivery, DeliveryMessage, User
from domain.audit import service as audit
from domain.context import TenantContext
from domain.deliveries import sending, task_data
from domain.deliveries.schemas import DeliveryOut, MessageOut, NotificationRequest, NotificationRun
from domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.events import service as events
from domain.identity.recipients import recipients
from domain.notifications import templates
from domain.outputs import from_row
from domain.pagination import live_page
from domain.queries import discard_row, find, live

CHANNEL_ORDER = ("in_app", "email", "sms", "push")
PROCESS_CHANNELS = ("in_app", "email")  # how processes notify their assignees by default
INLINE_IN_APP_SECONDS = 5.0  # in-app messages written in the process's own transaction, at most


def workflow_id(delivery_id: uuid.UUID) -> str:
    return f"notification-{delivery_id}"


def run_of(delivery: Delivery, *, max_attempts: int) -> NotificationRun:
    """What the delivery's workflow runs: when to send and how, as the delivery records it."""
    return from_row(NotificationRun, delivery, delivery_id=delivery.id, max_attempts=max_attempts)


def normalise_phone(value: str, field: str) -> str:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed.one(field, f"not a phone number in international form (+…): {exc}") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed.one(field, "not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# -- requests ------------------------------------------------------------------------------------
def by_dedup_key(session: Session, ctx: TenantContext, key: str) -> Delivery | None:
    """The delivery once written under ``key``, even a deleted one: a key is used once."""
    return session.scalar(live(ctx, Delivery, deleted=True).where(Delivery.dedup_key == key))


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
        existing = by_dedup_key(session, ctx, dedup_key)
        if existing:
            return existing
    view = templates.to_send(session, ctx, body.template)
    available = view.channels_with_content()
    category = body.category or view.category
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
    templates.require_variables(view, channels, body.data)
    future = body.send_at is not None and body.send_at > now
    delivery = create(
        session,
        ctx,
        **body.model_dump(include={"template", "data", "priority", "strategy", "locale"}),  # as asked
        recipient=recipient,
        user_id=user.id if user else None,
        channels=channels,
        category=category,
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
    hand_to_dispatcher: bool = False,
    attachments: list[dict[str, Any]] | None = None,
) -> Delivery:
    """Write a delivery and its queued messages (validated by the caller).

    The caller starts its workflow after the commit, or passes ``hand_to_dispatcher``: then a
    ``notification.requested`` event in this transaction makes the outbox dispatcher start it, so
    nothing is lost if the process stops right after the commit. ``attachments`` (``{name,
    content_type, key, size}`` each, files of the tenant's object store) go with the email only.
    """
    delivery_id = uuid.uuid4()
    delivery = Delivery.new(
        ctx,
        id=delivery_id,
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
        attachments=attachments or [],
    )
    session.add(delivery)
    session.add_all(
        DeliveryMessage(
            tenant_id=ctx.tenant_id, delivery_id=delivery_id, channel=c, status="queued", attempts=[]
        )
        for c in channels
    )
    session.flush()
    if hand_to_dispatcher:
        events.emit(
            session,
            ctx,
            "notification.requested",
            {
                "delivery_id": str(delivery_id),
                "template": template,
                "category": category,
                "channels": channels,
                "send_at": send_at.isoformat() if send_at else None,
                "strategy": strategy,
            },
        )
    return delivery


class Notice(TypedDict, total=False):
    """The keywords of ``notify_assignees``, which ``notify`` passes on as they are."""

    kind: Required[str]
    title: Required[str]
    body: str
    data: dict[str, Any] | None
    category: str
    dedup_prefix: str | None


def notify(session: Session, ctx: TenantContext, to: list[str], **notice: Unpack[Notice]) -> int:
    """Notify the users the assignee strings designate (in-app now, email through the delivery
    workflow); returns how many users were notified."""
    return len(notify_assignees(session, ctx, to, **notice))


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
    template = task_data.KIND_TEMPLATES.get(kind, "notification")
    # What the task templates read (process, task_title, due_at), from the task and its process.
    looked_up = task_data.lookup(session, ctx, kind, data or {})
    available = templates.channels_of(session, ctx, template)
    channels = [c for c in PROCESS_CHANNELS if c in available]
    out: list[Delivery] = []
    seen: set[uuid.UUID] = set()
    started = time.monotonic()
    for assignee in to:
        for user in recipients(session, ctx, assignee):
            if user.id in seen:
                continue
            seen.add(user.id)
            key = f"{dedup_prefix}:{user.id}" if dedup_prefix else None
            existing = key and by_dedup_key(session, ctx, key)
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
                **looked_up,
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
                hand_to_dispatcher=True,
            )
            # In-app at once while it is quick; past the budget (a slow template, a big role) the
            # delivery workflow writes it, so the process's activity stays within its timeout.
            if "in_app" in channels and time.monotonic() - started < INLINE_IN_APP_SECONDS:
                batch, _ = sending.load_one(session, ctx, delivery.id)
                in_app = next(m for m in batch.messages[delivery.id] if m.channel == "in_app")
                sending.deliver_in_app(session, ctx, batch, delivery, in_app, now=_db_now(session))
                session.flush()
            out.append(delivery)
    return out


def _active_user(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> User | None:
    return session.scalar(live(ctx, User).where(User.id == user_id, User.is_active))


# -- reading -------------------------------------------------------------------------------------
def get(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> Delivery:
    """The sender (or anyone with notifications:read) may read a delivery; others get a 404."""
    row = find(session, ctx, Delivery, delivery_id)
    if row is None or not (ctx.can("notifications:read") or (ctx.user_id and row.created_by == ctx.user_id)):
        raise NotFound("notification", delivery_id)
    return row


def messages_of(session: Session, ctx: TenantContext, delivery: Delivery) -> list[DeliveryMessage]:
    rows = session.scalars(
        live(ctx, DeliveryMessage, deleted=True).where(DeliveryMessage.delivery_id == delivery.id)
    ).all()
    order = {c: i for i, c in enumerate(delivery.channels)}
    return sorted(rows, key=lambda m: order.get(m.channel, 99))


def view(session: Session, ctx: TenantContext, delivery: Delivery) -> DeliveryOut:
    messages = [MessageOut.model_validate(m) for m in messages_of(session, ctx, delivery)]
    return from_row(DeliveryOut, delivery, messages=messages)


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
    equal = {"status": status, "campaign_id": campaign_id}
    return live_page(session, ctx, Delivery, equal=equal, limit=limit, cursor=cursor)


def discard(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> None:
    """Undo a request whose workflow could not be started, so a retry can succeed."""
    discard_row(session, ctx, Delivery, delivery_id)


def cancel(session: Session, ctx: TenantContext, delivery_id: uuid.UUID) -> Delivery:
    """Stop a delivery that has not gone out yet; messages already sent stay as they are."""
    delivery = get(session, ctx, delivery_id)
    if delivery.status not in ("queued", "scheduled", "sending"):
        raise Conflict(f"The notification is already {delivery.status}.")
    for message in messages_of(session, ctx, delivery):
        sending.close(message, "cancelled", "cancelled on request")
    delivery.status = "cancelled"
    session.flush()
    audit.record(session, ctx, "notification.cancelled", "notification", delivery.id)
    return delivery


def _db_now(session: Session) -> datetime:
    """The transaction's clock, so rows written together carry one instant."""
    value: datetime = session.scalar(select(func.now()))  # type: ignore[assignment]
    return value

"""Campaigns: resolve the audience into deliveries once, then send them in rate-limited batches.

Every recipient has exactly one delivery (unique ``campaign:<id>:<recipient>`` key), and each
channel message is sent at most once by the outbox and once per provider attempt, so a campaign
resumed after a worker crash sends nobody twice.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from db.models import Campaign, Delivery, DeliveryMessage, Role, User, UserRole
from domain.audit import service as audit
from domain.campaigns.schemas import CampaignCreate, CampaignOut, CampaignRun, Progress
from domain.context import TenantContext
from domain.deliveries.sending import overall_status
from domain.deliveries.service import normalise_phone
from domain.errors import Conflict, FieldError, ValidationFailed
from domain.events import service as events
from domain.notifications import templates
from domain.outputs import from_row
from domain.pagination import live_page
from domain.queries import discard_row, get_or_404, mine

SENT = ("sent", "delivered", "opened")
FAILED = ("failed", "bounced")
SUPPRESSED = ("suppressed", "suppressed-by-preference")
CAMPAIGN_FIELDS = ["name", "template", "channels", "category", "rate_per_minute", "send_at", "status"]


def workflow_id(campaign_id: uuid.UUID) -> str:
    return f"campaign-{campaign_id}"


def run_of(campaign: Campaign, *, max_attempts: int) -> CampaignRun:
    """What the campaign's workflow runs: when to start and how fast, as the campaign records it."""
    return from_row(CampaignRun, campaign, campaign_id=campaign.id, max_attempts=max_attempts)


def create(session: Session, ctx: TenantContext, body: CampaignCreate) -> Campaign:
    ctx.require("campaigns:write")
    view = templates.to_send(session, ctx, body.template)
    available = view.channels_with_content()
    category = body.category or view.category
    problems = [
        FieldError(f"channels.{i}", f"template {body.template!r} has no {c} content")
        for i, c in enumerate(body.channels)
        if c not in available
    ]
    if body.audience.recipients is not None:
        kinds = {next(iter(r.model_dump(exclude_none=True))) for r in body.audience.recipients}
        reachable = {"email": "email", "phone": "sms"}
        problems += [
            FieldError(f"channels.{i}", f"contacts given by {', '.join(sorted(kinds))} cannot get {c}")
            for i, c in enumerate(body.channels)
            if c not in {reachable.get(k) for k in kinds}
        ]
        if "user_id" in kinds:
            problems.append(FieldError("audience.recipients", "use audience.users to reach users"))
        for i, contact in enumerate(body.audience.recipients):
            if contact.phone is not None:
                try:
                    normalise_phone(contact.phone, f"audience.recipients.{i}.phone")
                except ValidationFailed as exc:
                    problems += exc.fields
    elif body.audience.users is not None and body.audience.users.roles:
        known = set(
            session.scalars(
                select(Role.name).where(
                    *mine(ctx, Role, deleted=True), Role.name.in_(body.audience.users.roles)
                )
            )
        )
        problems += [
            FieldError(f"audience.users.roles.{i}", f"no role {r!r}")
            for i, r in enumerate(body.audience.users.roles)
            if r not in known
        ]
    if problems:
        raise ValidationFailed(problems)
    templates.require_variables(view, body.channels, body.data)
    campaign_id = uuid.uuid4()
    campaign = Campaign.new(
        ctx,
        id=campaign_id,
        **body.model_dump(include={"name", "template", "data", "rate_per_minute", "send_at"}),
        audience=body.audience.model_dump(mode="json", exclude_none=True),
        channels=list(body.channels),
        category=category,
        status="scheduled",
        workflow_id=workflow_id(campaign_id),
        created_by=ctx.user_id,
    )
    session.add(campaign)
    session.flush()
    audit.record(
        session,
        ctx,
        "campaign.created",
        "campaign",
        campaign.id,
        audit.diff(None, audit.snapshot(campaign, CAMPAIGN_FIELDS)),
    )
    return campaign


def get(session: Session, ctx: TenantContext, campaign_id: uuid.UUID) -> Campaign:
    ctx.require("campaigns:read")
    return get_or_404(session, ctx, Campaign, campaign_id, "campaign")


def list_campaigns(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[Campaign], str | None]:
    ctx.require("campaigns:read")
    return live_page(session, ctx, Campaign, limit=limit, cursor=cursor)


def progress(session: Session, ctx: TenantContext, campaign: Campaign) -> Progress:
    counts: dict[str, int] = dict(
        session.execute(
            select(Delivery.status, func.count())
            .where(*mine(ctx, Delivery, deleted=True), Delivery.campaign_id == campaign.id)
            .group_by(Delivery.status)
        ).all()
    )

    def total(statuses: tuple[str, ...]) -> int:
        return sum(counts.get(s, 0) for s in statuses)

    done = total(SENT) + total(FAILED) + total(SUPPRESSED) + counts.get("cancelled", 0)
    return Progress(
        total=campaign.total,
        sent=total(SENT),
        failed=total(FAILED),
        suppressed=total(SUPPRESSED),
        cancelled=counts.get("cancelled", 0),
        pending=max(0, (campaign.total or 0) - done),
    )


def view(session: Session, ctx: TenantContext, campaign: Campaign) -> CampaignOut:
    return from_row(CampaignOut, campaign, progress=progress(session, ctx, campaign))


def discard(session: Session, ctx: TenantContext, campaign_id: uuid.UUID) -> None:
    """Undo a campaign whose workflow could not be started."""
    discard_row(session, ctx, Campaign, campaign_id)


def request_cancel(session: Session, ctx: TenantContext, campaign_id: uuid.UUID) -> Campaign:
    ctx.require("campaigns:write")
    campaign = get(session, ctx, campaign_id)
    if campaign.status not in ("scheduled", "running"):
        raise Conflict(f"The campaign is already {campaign.status}.")
    campaign.status = "cancelling"
    session.flush()
    audit.record(
        session, ctx, "campaign.cancelled", "campaign", campaign.id, {"status": ["running", "cancelling"]}
    )
    return campaign


# -- the campaign workflow's steps --------------------------------------------------------------
def materialize(session: Session, ctx: TenantContext, campaign_id: uuid.UUID) -> int:
    """Write one queued delivery per recipient, once; returns how many recipients there are."""
    campaign = _campaign(session, ctx, campaign_id)
    if campaign.total is not None:
        return campaign.total
    rows = _audience(session, ctx, campaign)
    # Pinned now, so every recipient reads the same wording (and rendering needs no lookup).
    version = templates.resolve(session, ctx, campaign.template).version
    deliveries: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    for recipient_key, recipient, user_id in rows:
        delivery_id = uuid.uuid4()
        deliveries.append(
            {
                "id": delivery_id,
                "tenant_id": ctx.tenant_id,
                "recipient": recipient,
                "user_id": user_id,
                "template": campaign.template,
                "template_version": version,
                "data": campaign.data,
                "channels": campaign.channels,
                "strategy": "all",
                "category": campaign.category,
                "priority": "normal",
                "status": "queued",
                "campaign_id": campaign.id,
                "dedup_key": f"campaign:{campaign.id}:{recipient_key}",
                "created_by": campaign.created_by,
            }
        )
        messages.extend(
            {
                "id": uuid.uuid4(),
                "tenant_id": ctx.tenant_id,
                "delivery_id": delivery_id,
                "channel": channel,
                "status": "queued",
                "attempts": [],
            }
            for channel in campaign.channels
        )
    for start in range(0, len(deliveries), 2000):
        session.execute(insert(Delivery), deliveries[start : start + 2000])
    for start in range(0, len(messages), 4000):
        session.execute(insert(DeliveryMessage), messages[start : start + 4000])
    campaign.total = len(deliveries)
    if campaign.status == "scheduled":
        campaign.status = "running"
    session.flush()
    return campaign.total


def next_batch(
    session: Session, ctx: TenantContext, campaign_id: uuid.UUID, size: int, *, part: int = 0, parts: int = 1
) -> list[uuid.UUID]:
    """The next deliveries to send: queued, or interrupted mid-send (their sent channels are skipped)."""
    stmt = (
        select(Delivery.id)
        .where(
            *mine(ctx, Delivery, deleted=True),
            Delivery.campaign_id == campaign_id,
            Delivery.status.in_(("queued", "sending")),
            Delivery.workflow_id.is_(None),  # not handed to a workflow of its own
        )
        .order_by(Delivery.id)
        .limit(size)
    )
    if parts > 1:
        stmt = stmt.where(
            text("abs(hashtext(deliveries.id::text)) % :parts = :part").bindparams(parts=parts, part=part)
        )
    return list(session.scalars(stmt))


def hand_over(session: Session, ctx: TenantContext, delivery_ids: list[uuid.UUID]) -> None:
    """Deliveries that wait (quiet hours) or retry (a provider hiccup) get a workflow of their own."""
    from domain.deliveries.service import workflow_id as delivery_workflow

    for delivery_id in delivery_ids:
        session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, *mine(ctx, Delivery, deleted=True))
            .values(workflow_id=delivery_workflow(delivery_id))
        )


def is_cancelling(session: Session, ctx: TenantContext, campaign_id: uuid.UUID) -> bool:
    return _campaign(session, ctx, campaign_id).status == "cancelling"


def finish(session: Session, ctx: TenantContext, campaign_id: uuid.UUID, *, cancelled: bool) -> str:
    campaign = _campaign(session, ctx, campaign_id)
    if cancelled or campaign.status == "cancelling":
        _cancel_unsent(session, ctx, campaign_id)
        campaign.status = "cancelled"
    else:
        campaign.status = "completed"
    campaign.finished_at = datetime.now(UTC)
    session.flush()
    events.emit(
        session,
        ctx,
        f"campaign.{campaign.status}",
        {"campaign_id": str(campaign.id), "template": campaign.template}
        | progress(session, ctx, campaign).model_dump(),
        dedup_key=f"campaign:{campaign.id}:{campaign.status}",
    )
    return campaign.status


def _cancel_unsent(session: Session, ctx: TenantContext, campaign_id: uuid.UUID) -> None:
    """Once no batch is in flight: every message not sent yet becomes cancelled, and so does each
    delivery left with nothing sent (one interrupted mid-send keeps what it did send).

    A delivery handed to a workflow of its own (quiet hours, a retry) may be sending right now: only
    its queued messages are cancelled, and its workflow, reading them, sends nothing more.
    """
    unsettled = (
        *mine(ctx, Delivery, deleted=True),
        Delivery.campaign_id == campaign_id,
        Delivery.status.in_(("queued", "scheduled", "sending")),
    )
    ours = select(Delivery.id).where(*unsettled, Delivery.workflow_id.is_(None))
    handed = select(Delivery.id).where(*unsettled, Delivery.workflow_id.is_not(None))
    cancellable: list[tuple[Any, tuple[str, ...]]] = [(ours, ("queued", "sending")), (handed, ("queued",))]
    for deliveries, statuses in cancellable:
        session.execute(
            update(DeliveryMessage)
            .where(
                *mine(ctx, DeliveryMessage, deleted=True),
                DeliveryMessage.delivery_id.in_(deliveries.scalar_subquery()),
                DeliveryMessage.status.in_(statuses),
            )
            .values(status="cancelled", status_reason="the campaign was cancelled")
        )
    rows = session.execute(
        select(Delivery.id, func.array_agg(DeliveryMessage.status))
        .join(DeliveryMessage, DeliveryMessage.delivery_id == Delivery.id)
        .where(*unsettled)
        .group_by(Delivery.id)
    ).all()
    by_status: dict[str, list[uuid.UUID]] = {}
    for delivery_id, found in rows:
        by_status.setdefault(overall_status(list(found), cancelled=True), []).append(delivery_id)
    for status, ids in by_status.items():
        session.execute(
            update(Delivery)
            .where(*mine(ctx, Delivery, deleted=True), Delivery.id.in_(ids))
            .values(status=status)
        )


def _campaign(session: Session, ctx: TenantContext, campaign_id: uuid.UUID) -> Campaign:
    return get_or_404(session, ctx, Campaign, campaign_id, "campaign", deleted=True)


def _audience(
    session: Session, ctx: TenantContext, campaign: Campaign
) -> list[tuple[str, dict[str, Any], uuid.UUID | None]]:
    """(dedup key, recipient, user id) per distinct recipient."""
    audience = campaign.audience
    if "recipients" in audience:
        seen: dict[str, dict[str, Any]] = {}
        for given in audience["recipients"]:
            if given.get("email"):
                key, value = "email", str(given["email"]).lower()
            else:
                key, value = "phone", normalise_phone(str(given["phone"]), "audience.recipients")
            seen.setdefault(f"{key}:{value}", {key: value})
        return [(k, r, None) for k, r in seen.items()]
    users = audience.get("users") or {}
    stmt = select(User.id).where(*mine(ctx, User), User.is_active)
    roles, ids = users.get("roles") or [], users.get("user_ids") or []
    if roles or ids:
        in_role = (
            select(UserRole.user_id)
            .join(Role, Role.id == UserRole.role_id)
            .where(*mine(ctx, Role, deleted=True), Role.name.in_(roles))
        )
        stmt = stmt.where(or_(User.id.in_(in_role), User.id.in_([uuid.UUID(str(i)) for i in ids])))
    return [(f"user:{uid}", {"user_id": str(uid)}, uid) for uid in session.scalars(stmt.order_by(User.id))]


def handed_unfinished(session: Session, ctx: TenantContext, campaign_id: uuid.UUID) -> list[uuid.UUID]:
    """Deliveries handed to a workflow of their own that have not settled (a crash may have come
    between handing over and starting the workflow)."""
    return list(
        session.scalars(
            select(Delivery.id).where(
                *mine(ctx, Delivery, deleted=True),
                Delivery.campaign_id == campaign_id,
                Delivery.workflow_id.is_not(None),
                Delivery.status.in_(("queued", "sending", "scheduled")),
            )
        )
    )

"""Report subscriptions: a report or a dashboard emailed to active users of the tenant on a schedule.

Everything a subscription names is checked before anything is stored: the schedule (``schedule.py``),
the time zone, the report or dashboard (the tenant's own), the format it can be written in, and each
recipient (an id or the email of an active user of this tenant). The API keeps one Temporal Schedule
per subscription in step with its row (created after the row commits, paused, resumed and deleted with
it); ``restore`` puts a row back when Temporal refused the change.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import func
from sqlalchemy.orm import Session

from db.models.analytics_subscriptions import ReportSubscription, SubscriptionRun
from db.models.identity import User
from domain.analytics import dashboards, report_runs, reports
from domain.analytics import service as analytics
from domain.analytics.params import zone_of
from domain.analytics.subscriptions import schedule
from domain.analytics.subscriptions.schemas import (
    RecipientOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
    SubscriptionRunOut,
)
from domain.context import TenantContext
from domain.errors import FieldError, NotFound, ValidationFailed
from domain.outputs import from_row
from domain.pagination import viewed_page
from domain.queries import discard_row, find, get_or_404, live, touch

DASHBOARD_FORMATS = ("json", "csv")
KEPT = ("schedule", "timezone", "recipients", "format", "delivery", "paused")
"""The columns a change may touch, and ``restore`` puts back."""


def schedule_id(subscription_id: uuid.UUID) -> str:
    return f"report-subscription-{subscription_id}"


def workflow_id(subscription_id: uuid.UUID) -> str:
    """The id of the workflow each run starts (Temporal adds the run's time to it)."""
    return f"report-delivery-{subscription_id}"


# -- checks ---------------------------------------------------------------------------------------
def _user(session: Session, ctx: TenantContext, given: str) -> User | None:
    """The active user of this tenant ``given`` names (an id or an email), if any."""
    query = live(ctx, User).where(User.is_active.is_(True))
    try:
        return session.scalar(query.where(User.id == uuid.UUID(given)))
    except ValueError:
        return session.scalar(query.where(func.lower(User.email) == given.strip().lower()))


def recipients_of(session: Session, ctx: TenantContext, given: list[str]) -> list[str]:
    """The ids of the users ``given`` names, in order, once each; 422 naming each other entry."""
    found: list[str] = []
    wrong: list[FieldError] = []
    for i, text in enumerate(given):
        readable = 0 < len(text) <= 320 and text.isprintable()
        user = _user(session, ctx, text) if readable else None
        if user is None:
            wrong.append(
                FieldError(f"recipients.{i}", "is not an active user of this tenant (an id or email)")
            )
        elif str(user.id) not in found:
            found.append(str(user.id))
    if wrong:
        raise ValidationFailed(wrong)
    return found


def _target(session: Session, ctx: TenantContext, body: SubscriptionIn) -> None:
    """The report or the dashboard (one of the two) is the tenant's, and takes the format."""
    if (body.report_id is None) == (body.dashboard_id is None):
        raise ValidationFailed.one("report", "give either a report or a dashboard (one of the two)")
    try:
        if body.report_id is not None:
            reports.row_of(session, ctx, body.report_id)
            return
        assert body.dashboard_id is not None
        dashboards.get(session, ctx, body.dashboard_id)
    except NotFound as exc:
        field = "report" if body.report_id else "dashboard"
        raise ValidationFailed.one(field, f"is not a {field} of this tenant") from exc
    if body.format not in DASHBOARD_FORMATS:
        raise ValidationFailed.one("format", "a dashboard's tiles are sent as json or csv")


def _check(session: Session, ctx: TenantContext, body: SubscriptionIn) -> tuple[str, list[str]]:
    """The subscription's time zone and recipient ids, once every part of it is known to be right."""
    _target(session, ctx, body)
    timing = schedule.parse(body.schedule)
    zone = zone_of(session, ctx, body.timezone)
    schedule.check_runs(timing, zone, datetime.now(UTC))
    return zone, recipients_of(session, ctx, body.recipients)


# -- reading --------------------------------------------------------------------------------------
def view(session: Session, ctx: TenantContext, row: ReportSubscription) -> SubscriptionOut:
    timing = schedule.parse(row.schedule)
    ids = [uuid.UUID(r) for r in row.recipients]
    users = session.scalars(live(ctx, User).where(User.id.in_(ids), User.is_active.is_(True))).all()
    emails = {u.id: str(u.email) for u in users}
    runs = [] if row.paused else schedule.next_runs(timing, row.timezone, datetime.now(UTC))
    return from_row(
        SubscriptionOut,
        row,
        schedule_kind=timing.kind,
        recipients=[RecipientOut(user_id=i, email=emails.get(i)) for i in ids],
        next_runs=runs,
    )


def row_of(
    session: Session, ctx: TenantContext, subscription_id: uuid.UUID, *, for_update: bool = False
) -> ReportSubscription:
    return get_or_404(
        session, ctx, ReportSubscription, subscription_id, "report subscription", for_update=for_update
    )


def get(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> SubscriptionOut:
    ctx.require(analytics.READ)
    return view(session, ctx, row_of(session, ctx, subscription_id))


def listing(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[SubscriptionOut], str | None]:
    """The tenant's subscriptions, newest first."""
    ctx.require(analytics.READ)
    return viewed_page(
        session, ctx, ReportSubscription, partial(view, session, ctx), limit=limit, cursor=cursor
    )


def runs(
    session: Session, ctx: TenantContext, subscription_id: uuid.UUID, *, limit: int | None, cursor: str | None
) -> tuple[list[SubscriptionRunOut], str | None]:
    """The subscription's runs, newest first."""
    ctx.require(analytics.READ)
    row_of(session, ctx, subscription_id)
    mine = SubscriptionRun.subscription_id == subscription_id
    shown = partial(from_row, SubscriptionRunOut)
    return viewed_page(session, ctx, SubscriptionRun, shown, mine, limit=limit, cursor=cursor)


def run(
    session: Session, ctx: TenantContext, subscription_id: uuid.UUID, run_id: uuid.UUID
) -> SubscriptionRunOut:
    """One run of the subscription (another subscription's is not found here)."""
    ctx.require(analytics.READ)
    row_of(session, ctx, subscription_id)
    found = get_or_404(session, ctx, SubscriptionRun, run_id, "subscription run")
    if found.subscription_id != subscription_id:
        raise NotFound("subscription run", run_id)
    return from_row(SubscriptionRunOut, found)


def discard_run(session: Session, ctx: TenantContext, run_id: uuid.UUID) -> None:
    """Removes a run (and its report run) whose workflow could not start."""
    found = find(session, ctx, SubscriptionRun, run_id)
    if found is None:
        return
    written = found.report_run_id
    discard_row(session, ctx, SubscriptionRun, run_id)
    if written is not None:
        report_runs.discard(session, ctx, written)


# -- writing --------------------------------------------------------------------------------------
def create(session: Session, ctx: TenantContext, body: SubscriptionIn) -> SubscriptionOut:
    ctx.require(analytics.WRITE)
    zone, recipients = _check(session, ctx, body)
    row = ReportSubscription.new(
        ctx,
        schedule=schedule.parse(body.schedule).text,
        timezone=zone,
        recipients=recipients,
        created_by=ctx.user_id,
        **body.model_dump(include={"report_id", "dashboard_id", "format", "delivery", "paused"}),
    )
    session.add(row)
    session.flush()
    return view(session, ctx, row)


def discard(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> None:
    """Removes a subscription whose Schedule could not be created."""
    discard_row(session, ctx, ReportSubscription, subscription_id)


def update(
    session: Session,
    ctx: TenantContext,
    subscription_id: uuid.UUID,
    body: SubscriptionPatch,
    check_etag: Callable[[SubscriptionOut], None] = lambda _: None,
) -> tuple[SubscriptionOut, SubscriptionOut]:
    """The subscription before and after the fields sent changed (the whole checked again);
    ``check_etag(current)`` refuses a stale ``If-Match`` first."""
    ctx.require(analytics.WRITE)
    row = row_of(session, ctx, subscription_id, for_update=True)
    before = view(session, ctx, row)
    check_etag(before)
    current = {name: getattr(row, name) for name in KEPT} | {
        "report_id": row.report_id,
        "dashboard_id": row.dashboard_id,
    }
    try:
        merged = SubscriptionIn.model_validate(current | body.model_dump(include=body.model_fields_set))
    except PydanticValidationError as exc:  # a field sent as null that cannot be null
        raise ValidationFailed.from_pydantic(exc) from exc
    zone, recipients = _check(session, ctx, merged)
    row.schedule, row.timezone, row.recipients = schedule.parse(merged.schedule).text, zone, recipients
    row.format, row.delivery, row.paused = merged.format, merged.delivery, merged.paused
    touch(session, row)
    return before, view(session, ctx, row)


def restore(session: Session, ctx: TenantContext, before: SubscriptionOut) -> None:
    """The subscription as it was (undeleted too): Temporal refused the change just committed."""
    row = get_or_404(session, ctx, ReportSubscription, before.id, "report subscription", deleted=True)
    for name in KEPT:
        if name != "recipients":
            setattr(row, name, getattr(before, name))
    row.recipients = [str(r.user_id) for r in before.recipients]
    row.deleted_at = None
    session.flush()


def delete(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> SubscriptionOut:
    """Soft-deleted: its runs stay in the history."""
    ctx.require(analytics.WRITE)
    row = row_of(session, ctx, subscription_id, for_update=True)
    out = view(session, ctx, row)
    row.deleted_at = datetime.now(UTC)
    session.flush()
    return out

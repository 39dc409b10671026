"""Alert rules: saved after their metric, parameters, filter and recipients are checked (a 422 naming
each bad field, nothing stored), changed under If-Match, deleted softly; and their incidents listed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from db.models import User
from db.models.analytics_alerts import RESOLVED, AlertIncident, AlertRule
from domain.analytics import service as analytics
from domain.analytics.alerts.schemas import (
    PARAMS,
    AlertIn,
    AlertOut,
    AlertPatch,
    AnomalyParams,
    ChangeParams,
    IncidentOut,
    Status,
    ThresholdParams,
)
from domain.analytics.params import check_where, grain_of
from domain.context import TenantContext
from domain.errors import FieldError, NotFound, ValidationFailed
from domain.outputs import from_row
from domain.pagination import lister, viewed_page
from domain.processes.service import assignee_exists
from domain.queries import get_or_404, live, touch

Params = ThresholdParams | ChangeParams | AnomalyParams
CHECKED = ("metric", "condition", "params", "filter", "notify")


def view(row: AlertRule) -> AlertOut:
    return from_row(AlertOut, row)


listing = lister(AlertRule, view, analytics.READ)
"""The tenant's alert rules, newest first."""


def incident_view(row: AlertIncident) -> IncidentOut:
    return from_row(IncidentOut, row)


def params_of(row: AlertRule) -> Params:
    """The stored parameters (checked when saved) as their condition's model."""
    return PARAMS[row.condition].model_validate(row.params)


def _params(session: Session, ctx: TenantContext, body: AlertIn) -> tuple[dict[str, Any], list[FieldError]]:
    """The parameters with their defaults filled in, and what is wrong with the rule for its metric."""
    try:
        parsed, _ = analytics.resolve(session, ctx, body.metric)
    except NotFound:
        return {}, [FieldError("metric", f"'{body.metric}' is not a metric of the tenant")]
    wrong: list[FieldError] = []
    try:
        check_where(parsed, body.filter)
    except ValidationFailed as exc:
        wrong += [FieldError(f.field.replace("[", ".").rstrip("]"), f.message) for f in exc.fields]
    try:
        params = PARAMS[body.condition].model_validate(body.params)
    except ValidationError as exc:
        return {}, wrong + ValidationFailed.from_pydantic(exc, "params").fields
    try:
        grain = grain_of(parsed, params.grain)
    except ValidationFailed as exc:
        return {}, [*wrong, FieldError("params.grain", exc.fields[0].message)]
    return params.model_copy(update={"grain": grain}).model_dump(mode="json"), wrong


def _recipient(session: Session, ctx: TenantContext, given: str) -> str | None:
    """``role:<name>`` or ``user:<email>`` for an existing role or active user; None otherwise."""
    kind, _, name = given.partition(":")
    if kind == "role" and name:
        return given if assignee_exists(session, ctx, given) else None
    email = name if kind == "user" else given
    try:
        user = session.scalar(live(ctx, User).where(User.id == uuid.UUID(given), User.is_active))
        return f"user:{user.email}" if user else None
    except ValueError:
        pass
    found = f"user:{email.strip().lower()}"
    return found if "@" in email and assignee_exists(session, ctx, found) else None


def _recipients(
    session: Session, ctx: TenantContext, notify: list[str]
) -> tuple[list[str], list[FieldError]]:
    out: list[str] = []
    wrong: list[FieldError] = []
    for i, given in enumerate(notify):
        found = _recipient(session, ctx, given[:320])
        if found is None:
            message = "not a user id or email of an active user of the tenant, nor role:<name> of its roles"
            wrong.append(FieldError(f"notify.{i}", message))
        elif found not in out:
            out.append(found)
    return out, wrong


def _checked(session: Session, ctx: TenantContext, body: AlertIn) -> dict[str, Any]:
    """The rule's columns as stored, or a 422 naming every bad field."""
    params, wrong = _params(session, ctx, body)
    notify, bad_notify = _recipients(session, ctx, body.notify)
    if wrong or bad_notify:
        raise ValidationFailed(wrong + bad_notify)
    return {
        **body.model_dump(include=set(CHECKED) - {"params", "notify"}),
        "params": params,
        "notify": notify,
    }


def create(session: Session, ctx: TenantContext, body: AlertIn) -> AlertOut:
    ctx.require(analytics.WRITE)
    row = AlertRule.new(
        ctx,
        **_checked(session, ctx, body),
        **body.model_dump(include={"name", "description", "enabled"}),
    )
    session.add(row)
    session.flush()
    return view(row)


def get(session: Session, ctx: TenantContext, alert_id: uuid.UUID, *, for_update: bool = False) -> AlertRule:
    ctx.require(analytics.READ)
    return get_or_404(session, ctx, AlertRule, alert_id, "alert", for_update=for_update)


def update(
    session: Session, ctx: TenantContext, alert_id: uuid.UUID, body: AlertPatch, check: Any
) -> AlertOut:
    """The fields sent changed, the whole rule checked again; ``check(current)`` refuses a stale
    ``If-Match`` first."""
    ctx.require(analytics.WRITE)
    row = get(session, ctx, alert_id, for_update=True)
    check(view(row))
    sent = {
        k: v
        for k, v in body.model_dump(exclude_unset=True).items()
        if v is not None or k in ("name", "description")  # the two a null clears; for the rest it is absent
    }
    merged = AlertIn.model_validate(
        {**view(row).model_dump(include={"name", "description", "enabled", *CHECKED}), **sent}
    )
    if sent.keys() & set(CHECKED):
        for column, value in _checked(session, ctx, merged).items():
            setattr(row, column, value)
    for column in ("name", "description", "enabled"):
        setattr(row, column, getattr(merged, column))
    touch(session, row)
    return view(row)


def delete(session: Session, ctx: TenantContext, alert_id: uuid.UUID) -> AlertOut:
    """Soft: the rule stops being evaluated; an open incident is closed without notifying anyone."""
    ctx.require(analytics.WRITE)
    row = get(session, ctx, alert_id, for_update=True)
    now = datetime.now(UTC)
    held = open_incident(session, ctx, row.id)
    if held is not None:
        held.status, held.resolved_at, held.resolution = RESOLVED, now, "the alert was deleted"
    row.deleted_at = now
    session.flush()
    return view(row)


def open_incident(session: Session, ctx: TenantContext, alert_id: uuid.UUID) -> AlertIncident | None:
    stmt = live(ctx, AlertIncident).where(AlertIncident.alert_id == alert_id, AlertIncident.status == "open")
    return session.scalar(stmt)


def incidents(
    session: Session,
    ctx: TenantContext,
    alert_id: uuid.UUID | None,
    *,
    status: Status | None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[IncidentOut], str | None]:
    """Incidents newest first: of one rule (a 404 for another tenant's), or of every rule."""
    ctx.require(analytics.READ)
    if alert_id is not None:
        get(session, ctx, alert_id)
    equal = {"alert_id": alert_id, "status": status}
    return viewed_page(session, ctx, AlertIncident, incident_view, equal=equal, limit=limit, cursor=cursor)

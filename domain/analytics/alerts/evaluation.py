"""Evaluating a rule now: its metric's figures (``series`` and ``value`` of the analytics service) judged
by its condition (``conditions``), and the incident that follows.

Only complete buckets are judged (the current one is still filling). While an incident is open the rule
holding again opens nothing and notifies nobody; once it stops holding (a ``normal`` evaluation) the
incident is resolved, and the recipients are told both times, in-app and by email, as the event
``analytics.alert`` (state ``open`` or ``resolved``) tells webhook subscribers. An evaluation that could
not judge (no data, too little history, a metric gone) leaves the incident as it is.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.analytics_alerts import OPEN, RESOLVED, AlertIncident, AlertRule
from domain.analytics import answers
from domain.analytics import service as analytics
from domain.analytics.alerts import conditions
from domain.analytics.alerts.conditions import Verdict, number
from domain.analytics.alerts.schemas import AnomalyParams, ChangeParams, Evaluation, IncidentOut
from domain.analytics.alerts.service import get, incident_view, open_incident, params_of
from domain.analytics.params import zone_of
from domain.context import TenantContext
from domain.deliveries.service import notify_assignees
from domain.errors import DomainError
from domain.events import service as events
from domain.queries import mine

EVENT = "analytics.alert"
CATEGORY = "alerts"  # the notification category a user can mute in their preferences
LONGEST = {
    "hour": timedelta(hours=1),
    "day": timedelta(hours=25),
    "week": timedelta(days=7, hours=1),
    "month": timedelta(days=31, hours=1),
}


def _label(metric: str, unit: str) -> str:
    return metric if unit == "count" else f"{metric} {unit}"


def _over_window(session: Session, ctx: TenantContext, rule: AlertRule, now: datetime) -> Verdict:
    """Threshold and change: the metric over the last ``window`` complete buckets (and, for a change,
    the period of the same length just before)."""
    p = params_of(rule)
    assert not isinstance(p, AnomalyParams) and p.grain is not None  # filled in when saved
    zone = zone_of(session, ctx, None)
    span = (now - (p.window + 1) * LONGEST[p.grain], now + timedelta(microseconds=1))
    starts = answers.bucket_starts(session, span, p.grain, zone)  # the last one is filling
    kpi = analytics.value(session, ctx, rule.metric, starts[-1 - p.window], starts[-1], where=rule.filter)
    label, at = _label(rule.metric, kpi.unit), kpi.start
    if isinstance(p, ChangeParams):
        return conditions.change(p, number(kpi.value), number(kpi.previous.value), at, label)
    return conditions.threshold(p, number(kpi.value), at, label)


def _anomaly(session: Session, ctx: TenantContext, rule: AlertRule, now: datetime) -> Verdict:
    p = params_of(rule)
    assert isinstance(p, AnomalyParams)
    start = now - (p.lookback + 1) * LONGEST[p.grain]
    series = analytics.series(
        session, ctx, rule.metric, start, now + timedelta(microseconds=1), grain=p.grain, where=rule.filter
    )
    complete = series.buckets[:-1][-p.lookback :]
    points = [(b.start, number(b.value)) for b in complete]
    return conditions.anomaly(p, points, _label(rule.metric, series.unit))


def judge(session: Session, ctx: TenantContext, rule: AlertRule, now: datetime) -> Verdict:
    """The rule's condition on its metric now; a metric that cannot be computed is an ``error``."""
    try:
        with session.begin_nested():  # a failed statement undoes only this
            if rule.condition == "anomaly":
                return _anomaly(session, ctx, rule, now)
            return _over_window(session, ctx, rule, now)
    except DomainError as exc:
        return Verdict("error", f"the metric '{rule.metric}' cannot be computed: {exc.message}")


def _payload(rule: AlertRule, incident: AlertIncident) -> dict[str, object]:
    return {
        "alert_id": str(rule.id),
        "incident_id": str(incident.id),
        "state": incident.status,
        "name": rule.name,
        "metric": rule.metric,
        "condition": rule.condition,
        "observed": incident.observed,
        "observed_at": incident.observed_at,
        "expected_low": incident.expected_low,
        "expected_high": incident.expected_high,
        "reason": incident.reason,
        "resolution": incident.resolution,
        "opened_at": incident.opened_at.isoformat(),
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
    }


def _tell(session: Session, ctx: TenantContext, rule: AlertRule, incident: AlertIncident) -> None:
    """The recipients and the event subscribers, once per incident and state (keys make a retried
    evaluation find what it already wrote)."""
    key = f"{EVENT}:{incident.id}:{incident.status}"
    title = rule.name or f"{rule.metric} ({rule.condition})"
    if incident.status == OPEN:
        subject, body = f"Alert: {title}", incident.reason
    else:
        subject, body = f"Resolved: {title}", f"{incident.resolution}; it opened with: {incident.reason}"
    notify_assignees(
        session,
        ctx,
        rule.notify,
        kind=EVENT,
        title=subject,
        body=body,
        data={"alert_id": str(rule.id), "incident_id": str(incident.id), "state": incident.status},
        category=CATEGORY,
        dedup_prefix=key,
    )
    events.emit(session, ctx, EVENT, _payload(rule, incident), dedup_key=key)


def _follow(
    session: Session, ctx: TenantContext, rule: AlertRule, verdict: Verdict, now: datetime
) -> AlertIncident | None:
    """Open, keep or resolve the rule's incident after ``verdict``."""
    held = open_incident(session, ctx, rule.id)
    if verdict.firing and held is None:
        held = AlertIncident.new(
            ctx,
            id=uuid.uuid4(),
            alert_id=rule.id,
            status=OPEN,
            opened_at=now,
            **verdict.figures(),
        )
        session.add(held)
        session.flush()
        _tell(session, ctx, rule, held)
    elif verdict.state == "normal" and held is not None:
        held.status, held.resolved_at, held.resolution = RESOLVED, now, f"back to normal: {verdict.reason}"
        session.flush()
        _tell(session, ctx, rule, held)
    return held


def evaluate(
    session: Session, ctx: TenantContext, alert_id: uuid.UUID, now: datetime | None = None
) -> Evaluation:
    """Evaluate the rule now (locked meanwhile, so two evaluations never both open an incident)."""
    ctx.require(analytics.WRITE)
    rule = get(session, ctx, alert_id, for_update=True)
    moment = now or datetime.now(UTC)
    verdict = judge(session, ctx, rule, moment)
    held = _follow(session, ctx, rule, verdict, moment)
    rule.state, rule.evaluated_at = verdict.state, moment
    session.flush()
    shown: IncidentOut | None = incident_view(held) if held is not None else None
    return Evaluation(
        alert_id=rule.id,
        metric=rule.metric,
        condition=rule.condition,
        state=verdict.state,
        firing=verdict.firing,
        z=verdict.z,
        previous=verdict.previous,
        incident=shown,
        **verdict.figures(),
        evaluated_at=moment,
    )


def due(session: Session, ctx: TenantContext) -> list[uuid.UUID]:
    """The tenant's enabled rules, the least recently evaluated first (so a round cut short by its time
    budget starts the next with the rules it left)."""
    stmt = (
        select(AlertRule.id)
        .where(*mine(ctx, AlertRule), AlertRule.enabled)
        .order_by(AlertRule.evaluated_at.asc().nulls_first(), AlertRule.id)
    )
    return list(session.scalars(stmt))

"""Alert rules evaluated on real facts: an anomaly on a weekly-seasonal daily count found by STL, and
the fold's evaluation of a tenant's rules, where one rule that fails holds up no other."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from activities import Deps
from activities.analytics import evaluate_alerts
from db.models import DeliveryMessage
from db.models.analytics_alerts import AlertIncident
from db.session import tenant_session
from domain.analytics.alerts import evaluation, service
from domain.analytics.alerts.conditions import Verdict
from domain.analytics.alerts.schemas import AlertIn
from domain.context import TenantContext
from keel.settings import Settings
from tests.conftest import TenantFixture
from tests.domain.analytics.rows import process_row

TODAY = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
WEEKLY = (10, 12, 13, 12, 11, 4, 3)  # processes ended per weekday, Monday first


def ctx_of(tenant: TenantFixture) -> TenantContext:
    return TenantContext.system(tenant.id, tenant.domain)


def made(engine: Engine, tenant: TenantFixture, **body: object) -> uuid.UUID:
    with tenant_session(engine, tenant.id) as session:
        return service.create(session, ctx_of(tenant), AlertIn.model_validate(body)).id


def add_days(engine: Engine, tenant: TenantFixture, first: int, last: int, spike: int | None = None) -> None:
    """Processes ended on each day from ``first`` to ``last`` days ago, as many as the weekday takes
    (``spike`` on the day ``last`` days ago instead)."""
    with tenant_session(engine, tenant.id) as session:
        for ago in range(first, last - 1, -1):
            day = TODAY - timedelta(days=ago)
            count = spike if spike is not None and ago == last else WEEKLY[day.weekday()]
            for i in range(count):
                end = day + timedelta(hours=9, minutes=i)
                session.add(process_row(tenant.id, end=end, took=timedelta(minutes=30)))


def test_a_spike_in_a_weekly_series_opens_an_incident_stating_the_expected_range(
    engine: Engine, tenant: TenantFixture
):
    alert_id = made(
        engine,
        tenant,
        metric="process-throughput",
        condition="anomaly",
        params={"grain": "day", "season": 7, "lookback": 56},
        notify=[tenant.admin_email],
    )
    normal_day = WEEKLY[(TODAY - timedelta(days=1)).weekday()]
    add_days(engine, tenant, 56, 1)
    with tenant_session(engine, tenant.id) as session:
        usual = evaluation.evaluate(session, ctx_of(tenant), alert_id)
    assert usual.state == "normal" and usual.observed == normal_day and usual.incident is None
    assert usual.expected_low is not None and usual.expected_high is not None
    assert usual.expected_low <= normal_day <= usual.expected_high

    add_days(engine, tenant, 1, 1, spike=40)  # 40 more yesterday: normal_day + 40 in all
    with tenant_session(engine, tenant.id) as session:
        spiked = evaluation.evaluate(session, ctx_of(tenant), alert_id)
    assert spiked.state == "firing" and spiked.observed == normal_day + 40 and (spiked.z or 0) > 3.5
    assert spiked.expected_high is not None and spiked.expected_high < normal_day + 40
    assert spiked.incident is not None and spiked.incident.status == "open"
    day = (TODAY - timedelta(days=1)).strftime("%Y-%m-%d")
    assert spiked.reason.startswith(
        f"observed {normal_day + 40} process-throughput at {day} 00:00, expected "
    )
    with tenant_session(engine, tenant.id) as session:
        assert session.scalar(select(func.count()).select_from(AlertIncident)) == 1
        emails = select(func.count()).select_from(DeliveryMessage).where(DeliveryMessage.channel == "email")
        assert session.scalar(emails) == 1


def test_the_fold_evaluates_every_enabled_rule_and_one_that_fails_stops_no_other(
    engine: Engine,
    settings: Settings,
    tenant: TenantFixture,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
):
    rule = {"metric": "process-throughput", "condition": "threshold", "params": {"op": ">=", "value": 0}}
    broken, sound = made(engine, tenant, **rule), made(engine, tenant, **rule)
    made(engine, tenant, **rule, enabled=False)
    judged = evaluation.judge

    def judge(session: object, ctx: TenantContext, alert: object, now: datetime) -> Verdict:
        if getattr(alert, "id", None) == broken:
            raise RuntimeError("a fit that breaks")
        return judged(session, ctx, alert, now)  # type: ignore[arg-type]

    monkeypatch.setattr(evaluation, "judge", judge)
    beats: list[tuple[object, ...]] = []
    with caplog.at_level(logging.ERROR, logger="keel.analytics"):
        assert (
            evaluate_alerts(Deps(engine=engine, settings=settings), tenant.id, lambda *d: beats.append(d))
            == 2
        )
    assert len(beats) == 2 and "alert not evaluated" in caplog.text
    with tenant_session(engine, tenant.id) as session:
        states = {a.id: a.state for a in service.listing(session, ctx_of(tenant), limit=None, cursor=None)[0]}
    assert states[broken] is None and states[sound] == "firing"


def test_a_change_compares_the_last_window_with_the_one_before(engine: Engine, tenant: TenantFixture):
    with tenant_session(engine, tenant.id) as session:
        for ago, count in ((4, 3), (3, 7), (2, 20), (1, 10)):  # 10 in the two days before, 30 in the last two
            end = TODAY - timedelta(days=ago) + timedelta(hours=10)
            session.add_all(process_row(tenant.id, end=end) for _ in range(count))
    params = {"absolute": 15, "direction": "up", "grain": "day", "window": 2}
    alert_id = made(engine, tenant, metric="process-throughput", condition="change", params=params)
    with tenant_session(engine, tenant.id) as session:
        rose = evaluation.evaluate(session, ctx_of(tenant), alert_id)
    assert rose.state == "firing" and (rose.observed, rose.previous) == (30, 10)
    assert (rose.expected_low, rose.expected_high) == (None, 25)
    two_days_ago = (TODAY - timedelta(days=2)).strftime("%Y-%m-%d")
    assert rose.reason == (
        f"observed 30 process-throughput at {two_days_ago} 00:00, +20 (+200 %) on 10 the period before, "
        "expected at most 25"
    )
    with tenant_session(engine, tenant.id) as session:
        falls = service.create(
            session,
            ctx_of(tenant),
            AlertIn(metric="process-throughput", condition="change", params={**params, "direction": "down"}),
        )
        assert evaluation.evaluate(session, ctx_of(tenant), falls.id).state == "normal"

"""The analytics-models housekeeping job: each tenant's models trained again where its history is long
enough, the others left alone, a heartbeat after each model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from activities import Deps
from activities.housekeeping import HousekeepingActivities
from activities.predictions import train_tenant
from db.models.analytics_predictions import AnalyticsModel
from db.session import tenant_session
from domain.analytics.predictions import service as predictions
from domain.housekeeping.schemas import SweepIn
from keel.settings import Settings
from tests.conftest import TenantFixture
from tests.domain.analytics.rows import process_row


def stored(engine: Engine, tenant: TenantFixture) -> dict[str, tuple[datetime, int]]:
    with tenant_session(engine, tenant.id) as session:
        rows = session.execute(select(AnalyticsModel.kind, AnalyticsModel.trained_at, AnalyticsModel.samples))
        return {kind: (at, samples) for kind, at, samples in rows}


def test_models_are_trained_again_where_the_history_allows(
    engine: Engine, settings: Settings, tenant: TenantFixture, monkeypatch: pytest.MonkeyPatch
):
    deps = Deps(engine=engine, settings=settings)
    beats: list[tuple[object, ...]] = []
    assert train_tenant(deps, tenant.id, lambda *d: beats.append(d)) == 0  # nothing to learn from
    assert stored(engine, tenant) == {} and len(beats) == len(predictions.KINDS)

    now = datetime.now(UTC)
    with tenant_session(engine, tenant.id) as session:
        for i in range(predictions.MIN_PROCESSES):
            session.add(
                process_row(tenant.id, end=now - timedelta(hours=i + 1), took=timedelta(minutes=30 + i))
            )
    assert train_tenant(deps, tenant.id, lambda *d: None) == 1  # no bookings: no no-show model
    first = stored(engine, tenant)
    assert (
        set(first) == {"process_completion"} and first["process_completion"][1] == predictions.MIN_PROCESSES
    )

    monkeypatch.setattr(HousekeepingActivities, "tenants", lambda self: [tenant.id])
    swept = HousekeepingActivities(deps).sweep(SweepIn(job="analytics-models"))
    assert swept.tenants == 1 and swept.counts == {"analytics_models": 1}
    assert stored(engine, tenant)["process_completion"][0] > first["process_completion"][0]  # replaced

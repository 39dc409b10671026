"""The analytics-rollups housekeeping job for one tenant: it folds the metrics whose facts moved, and
then none until something happens again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, update

from activities import Deps
from activities.analytics import fold_tenant
from activities.housekeeping import HousekeepingActivities
from db.models.analytics import MetricWatermark
from db.session import tenant_session
from domain.analytics import service
from domain.context import TenantContext
from domain.housekeeping.schemas import SweepIn
from keel.settings import Settings
from tests.conftest import TenantFixture
from tests.domain.analytics.rows import process_row


def foldable() -> list[str]:
    """The shipped metrics a fold keeps (a level such as the open task backlog is always read live)."""
    return [name for name, m in service.shipped().items() if not m.facts.live]


def test_a_tenant_is_folded_then_left_alone(engine: Engine, settings: Settings, tenant: TenantFixture):
    deps = Deps(engine=engine, settings=settings)
    beats: list[tuple[object, ...]] = []
    end = datetime.now(UTC) - timedelta(hours=3)
    with tenant_session(engine, tenant.id) as session:
        for key in ("a", "b"):
            session.add(process_row(tenant.id, end=end, key=key))
    assert fold_tenant(deps, tenant.id, lambda *d: beats.append(d)) > 0
    assert len(beats) == len(foldable())  # every metric was new: each folded once
    with tenant_session(engine, tenant.id) as session:
        ctx = TenantContext.system(tenant.id, tenant.domain)
        assert session.scalar(select(func.count()).select_from(MetricWatermark)) == len(foldable())
        series = service.series(
            session, ctx, "process-throughput", end - timedelta(hours=1), end + timedelta(hours=1)
        )
        assert sum(b.value for b in series.buckets if isinstance(b.value, int)) == 2
        # Nothing new, and the rows written long enough before the fold began: nothing to fold.
        session.execute(update(MetricWatermark).values(folded_at=func.now() + timedelta(minutes=30)))
    beats.clear()
    assert fold_tenant(deps, tenant.id, lambda *d: beats.append(d)) == 0 and beats == []


def test_the_housekeeping_job_folds_each_tenant(
    engine: Engine, settings: Settings, tenant: TenantFixture, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(HousekeepingActivities, "tenants", lambda self: [tenant.id])
    swept = HousekeepingActivities(Deps(engine=engine, settings=settings)).sweep(
        SweepIn(job="analytics-rollups")
    )
    assert swept.tenants == 1 and swept.counts == {"analytics_rollups": 0}  # nothing to fold yet
    with tenant_session(engine, tenant.id) as session:
        marks = session.scalar(select(func.count()).select_from(MetricWatermark))
    assert marks == len(foldable())

"""Rollups against a full recomputation on random facts: several time zones (a DST day among them),
every grain, grouped and not, facts recorded late inside the lookback, a fact changed after its bucket
was folded, and a fold run twice. Both answers must be equal, figure for figure."""

from __future__ import annotations

import operator
import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session

from db.models import Booking, Process
from db.models.analytics import MetricRollup, MetricWatermark
from db.session import tenant_session
from domain.analytics import answers as analytics_answers
from domain.analytics import rollups, service
from domain.context import TenantContext
from domain.errors import ValidationFailed
from tests.conftest import TenantFixture
from tests.domain.analytics.rows import process_row

Unit = Callable[[], AbstractContextManager[tuple[Session, TenantContext]]]
START = datetime(2026, 10, 20, 3, 7, tzinfo=UTC)  # the Berlin and New York autumn DST changes follow
DEFINITIONS = ("approval", "onboarding", "purchase")
STATUSES = ("completed", "completed", "failed", "cancelled")
TOTAL_SECONDS = """
name: total-duration
version: 1
title: Total process time
source: processes
measure: {agg: sum, field: duration}
dimensions: [definition, status]
"""


@pytest.fixture
def unit(engine: Engine, tenant: TenantFixture) -> Unit:
    @contextmanager
    def run() -> Iterator[tuple[Session, TenantContext]]:
        with tenant_session(engine, tenant.id) as session:
            yield session, TenantContext.system(tenant.id, tenant.domain)

    return run


def add_processes(session: Session, ctx: TenantContext, rng: random.Random, ends: list[datetime]) -> None:
    for end in ends:
        took = timedelta(seconds=rng.randint(1, 3 * 86400), microseconds=rng.randint(0, 999_999))
        row = process_row(ctx.tenant_id, definition=rng.choice(DEFINITIONS), end=end, took=took)
        row.status = rng.choice(STATUSES)
        session.add(row)


def add_bookings(session: Session, ctx: TenantContext, rng: random.Random, made: list[datetime]) -> None:
    for at in made:
        start = at + timedelta(hours=rng.randint(1, 400))
        session.add(
            Booking(
                tenant_id=ctx.tenant_id,
                status=rng.choice(("completed", "no_show", "confirmed", "cancelled")),
                start_at=start,
                end_at=start + timedelta(hours=1),
                created_at=at,
            )
        )


def random_times(rng: random.Random, start: datetime, end: datetime, n: int) -> list[datetime]:
    span = (end - start).total_seconds()
    return [start + timedelta(seconds=rng.uniform(0, span)) for _ in range(n)]


def answers(unit: Unit, name: str, end: datetime, **kw: object) -> tuple[object, object]:
    with unit() as (session, ctx):
        folded = service.series(session, ctx, name, START, end, **kw)  # type: ignore[arg-type]
        full = service.series(session, ctx, name, START, end, from_rollups=False, **kw)  # type: ignore[arg-type]
    return folded.model_dump(), full.model_dump()


def rollup_rows(unit: Unit) -> list[tuple[object, ...]]:
    with unit() as (session, ctx):
        stmt = select(
            MetricRollup.metric, MetricRollup.bucket, MetricRollup.dims, MetricRollup.count, MetricRollup.sum
        ).where(MetricRollup.tenant_id == ctx.tenant_id)
        return sorted(tuple(r) for r in session.execute(stmt))


def fold_all(unit: Unit) -> int:
    written = 0
    with unit() as (session, ctx):
        names = service.names(session, ctx)
    for name in names:
        with unit() as (session, ctx):
            written += service.fold(session, ctx, name)
    return written


def test_folded_rollups_answer_what_a_full_recomputation_answers(unit: Unit):
    rng = random.Random(16)
    now = datetime.now(UTC)
    with unit() as (session, ctx):
        service.publish(session, ctx, TOTAL_SECONDS)
        add_processes(session, ctx, rng, random_times(rng, START, START + timedelta(days=16), 400))
        add_bookings(session, ctx, rng, random_times(rng, START, START + timedelta(days=16), 150))
    assert fold_all(unit) > 0
    first = rollup_rows(unit)
    assert fold_all(unit) > 0 and rollup_rows(unit) == first  # folding again changes nothing
    with unit() as (session, ctx):
        mark = rollups.watermark(session, ctx, "process-throughput")
        now_there = session.scalar(select(func.now()))
        assert mark is not None and now_there is not None and mark.folded_to == rollups.floor(now_there)
        # Late facts inside the lookback, facts of the open bucket, and an old fact changed.
        add_processes(session, ctx, rng, random_times(rng, mark.folded_to - timedelta(minutes=50), now, 30))
        old = session.scalar(select(Process.id).where(Process.ended_at < START + timedelta(days=2)).limit(1))
        session.execute(
            update(Process).where(Process.id == old).values(status="failed", definition="changed-late")
        )
        session.execute(update(Booking).where(Booking.status == "confirmed").values(status="no_show"))
    with unit() as (session, ctx):
        stale = set(service.stale(session, ctx))
    assert {"process-throughput", "total-duration", "booking-no-show-rate"} <= stale
    assert not stale & {"revenue", "webhook-latency", "sla-breaches"}  # nothing happened there
    fold_all(unit)
    with unit() as (session, ctx):  # an hour later, with nothing new: no metric needs a fold
        for model in (Process, Booking):
            session.execute(update(model).values(updated_at=model.updated_at - timedelta(hours=1)))
        session.execute(
            update(MetricWatermark).values(folded_at=MetricWatermark.folded_at + timedelta(minutes=1))
        )
        assert service.stale(session, ctx) == []
    end = now + timedelta(hours=1)
    for zone in ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"):
        for grain in ("hour", "day", "week", "month"):
            for name, group in (("process-throughput", "definition,status"), ("total-duration", None)):
                folded, full = answers(unit, name, end, grain=grain, timezone=zone, group_by=group)
                assert folded == full, (zone, grain, name)
        for name in ("process-cycle-time", "booking-no-show-rate", "booking-lead-time"):
            folded, full = answers(unit, name, end, timezone=zone)
            assert folded == full, (zone, name)
    with unit() as (session, ctx):  # the answers above did come from the rollups: a changed one shows
        session.execute(
            update(MetricRollup).where(MetricRollup.metric == "process-throughput").values(count=1000)
        )
    folded, full = answers(unit, "process-throughput", end, grain="day")
    assert folded != full
    with unit() as (session, ctx):
        rollups.reset(session, ctx, "process-throughput")
    fold_all(unit)
    assert operator.eq(*answers(unit, "process-throughput", end, grain="day"))
    folded, _ = answers(unit, "process-throughput", end, grain="day", timezone="Europe/Berlin")
    days = {b["start"][:10]: b["start"] for b in folded["buckets"]}  # type: ignore[index]
    assert days["2026-10-25"].endswith("+02:00") and days["2026-10-26"].endswith("+01:00")  # a 25-hour day
    assert sum(b["value"] for b in folded["buckets"]) == 430  # type: ignore[index]


def test_a_changed_declaration_is_folded_again_from_its_first_fact(unit: Unit):
    rng = random.Random(7)
    with unit() as (session, ctx):
        service.publish(session, ctx, TOTAL_SECONDS)
        add_processes(session, ctx, rng, random_times(rng, START, START + timedelta(days=2), 40))
    fold_all(unit)
    with unit() as (session, ctx):
        service.publish(
            session, ctx, TOTAL_SECONDS.replace("version: 1", "version: 2").replace(", status", "")
        )
        service.fold(session, ctx, "total-duration")
        shas = set(
            session.scalars(
                select(MetricRollup.sha256).where(MetricRollup.metric == "total-duration").distinct()
            )
        )
        mark = session.get(MetricWatermark, (ctx.tenant_id, "total-duration"))
        assert mark is not None and shas == {mark.sha256}
    folded, full = answers(unit, "total-duration", datetime.now(UTC), grain="week", group_by="definition")
    assert folded == full


def test_a_query_past_its_statement_timeout_is_a_422_naming_the_range(unit: Unit):
    with pytest.raises(ValidationFailed) as caught, unit() as (session, _ctx):
        session.execute(text("SET LOCAL statement_timeout = 50"))
        analytics_answers._run(session, select(func.pg_sleep(1)))
    assert caught.value.details["fields"][0]["field"] == "to"


def test_too_many_changed_buckets_fold_the_metric_from_scratch(unit: Unit, monkeypatch: pytest.MonkeyPatch):
    rng = random.Random(3)
    with unit() as (session, ctx):
        add_processes(session, ctx, rng, random_times(rng, START, START + timedelta(days=3), 60))
    fold_all(unit)
    monkeypatch.setattr(rollups, "MAX_CHANGED", 2)
    with unit() as (session, ctx):  # old facts of many buckets change
        session.execute(
            update(Process).where(Process.ended_at < START + timedelta(days=2)).values(status="failed")
        )
        written = service.fold(session, ctx, "process-throughput")
        quarters = (MetricRollup.metric == "process-throughput", MetricRollup.width == 900)
        held = select(func.count()).where(*quarters)
        assert written == (session.scalar(held) or 0) > 0  # every bucket written again
    folded, full = answers(unit, "process-throughput", datetime.now(UTC), grain="day", group_by="status")
    assert folded == full

"""Hourly and daily rollups: a query reads the coarsest level its grain and time zone allow, and a
fold keeps every level equal to the 15-minute rows it sums (a bucket the watermark cuts included)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from db.models.analytics import MetricRollup
from domain.analytics import answers, rollups, service
from domain.analytics.facts import Slice
from tests.domain.analytics.test_rollups import Unit, add_processes, fold_all, random_times, unit

__all__ = ["unit"]  # the fixture, shared with the full-recomputation tests
SPRING = (datetime(2026, 3, 20, 5, 11, tzinfo=UTC), datetime(2026, 4, 9, tzinfo=UTC))  # Paris: DST on 29th


def test_the_level_read_follows_the_grain_and_the_zone_offsets():
    assert answers.widths(SPRING, Slice("day", "UTC")) == [900, 3600, 86400]
    assert answers.widths(SPRING, Slice("week", "UTC")) == [900, 3600, 86400]
    assert answers.widths(SPRING, Slice("month", "Europe/Paris")) == [900, 3600]  # whole hours, DST or not
    assert answers.widths(SPRING, Slice("hour", "UTC")) == [900, 3600]
    assert answers.widths(SPRING, Slice("day", "Asia/Kolkata")) == [900]  # +05:30
    assert answers.widths(SPRING, Slice("day", "Australia/Lord_Howe")) == [900]  # +11, +10:30 from April
    assert answers.widths(SPRING, Slice(None, "Asia/Kolkata")) == [900, 3600, 86400]  # one figure
    year_one = (datetime(1, 1, 1, tzinfo=UTC), datetime(1, 2, 1, tzinfo=UTC))
    assert answers.widths(year_one, Slice("day", "America/New_York")) == []  # local time before year 1


def series(unit: Unit, start: datetime, end: datetime, **kw: object) -> tuple[object, object]:
    with unit() as (session, ctx):
        folded = service.series(session, ctx, "process-throughput", start, end, **kw)  # type: ignore[arg-type]
        full = service.series(session, ctx, "process-throughput", start, end, from_rollups=False, **kw)  # type: ignore[arg-type]
    return folded.model_dump(), full.model_dump()


def counted(unit: Unit, width: int) -> int:
    with unit() as (session, _ctx):
        level = (MetricRollup.metric == "process-throughput", MetricRollup.width == width)
        return int(session.scalar(select(func.sum(MetricRollup.count)).where(*level)) or 0)


def test_hourly_and_daily_rows_sum_the_quarter_hours_fold_after_fold(unit: Unit):
    rng = random.Random(33)
    now = datetime.now(UTC)
    start = now - timedelta(days=12, minutes=7)
    with unit() as (session, ctx):
        add_processes(session, ctx, rng, random_times(rng, start, now - timedelta(hours=2), 300))
    fold_all(unit)
    assert counted(unit, 900) == counted(unit, 3600) == counted(unit, 86400) == 300
    with unit() as (session, ctx):  # new facts before the watermark, which cuts an hour and a day
        mark = rollups.watermark(session, ctx, "process-throughput")
        assert mark is not None
        late = random_times(rng, mark.folded_to - timedelta(minutes=55), mark.folded_to, 20)
        add_processes(session, ctx, rng, late)
    fold_all(unit)
    assert counted(unit, 900) == counted(unit, 3600) == counted(unit, 86400) == 320
    end = datetime.now(UTC) + timedelta(hours=1)
    for zone, grain in (("UTC", "day"), ("UTC", "week"), ("Europe/Paris", "day"), ("Europe/Paris", "hour")):
        folded, full = series(unit, start, end, grain=grain, timezone=zone, group_by="definition")
        assert folded == full, (zone, grain)
    with unit() as (session, _ctx):  # a day in UTC is read from the daily rows: a changed one shows
        daily = (MetricRollup.metric == "process-throughput", MetricRollup.width == 86400)
        session.execute(update(MetricRollup).where(*daily).values(count=MetricRollup.count + 1))
    folded, full = series(unit, start, end, grain="day", timezone="UTC")
    assert folded != full
    folded, full = series(unit, start, end, grain="day", timezone="Asia/Kolkata")  # reads 15 minutes
    assert folded == full

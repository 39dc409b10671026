"""A metric's next periods, forecast from its own series (``domain/analytics/service.py``'s ``series``):
a ridge regression on the trend and, for days and months, the season's slots (weekday, month of the
year). Measured first on its newest buckets held out (the fit on the older ones), then fitted on all.

The history read is the last year of days, three years of weeks or five years of months before the
current bucket (which is still filling and not a figure yet); leading buckets before the metric's
first non-zero figure are left out. The interval is the forecast plus or minus the 90th percentile of
the absolute errors, back-tested and in-sample."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from domain.analytics import service as analytics
from domain.analytics.predictions import training
from domain.analytics.predictions.schemas import Forecast, ForecastPoint, ForecastQuality, Grain
from domain.analytics.predictions.training import InsufficientHistory
from domain.context import TenantContext
from domain.errors import ValidationFailed

MAX_PERIODS = 90
HISTORY = {"day": timedelta(days=366), "week": timedelta(weeks=157), "month": timedelta(days=5 * 366)}
SEASON: dict[str, int | None] = {"day": 7, "week": None, "month": 12}
# Two seasons at least (two weeks of days, two years of months); a trend alone needs eight weeks.
MIN_BUCKETS = {"day": 14, "week": 8, "month": 24}
STEP = {"day": relativedelta(days=1), "week": relativedelta(weeks=1), "month": relativedelta(months=1)}


def _starts(current: str, timezone: str, grain: Grain, periods: int) -> list[str]:
    """The local starts of the current bucket and the ones after it (wall-clock steps across DST)."""
    zone = ZoneInfo(timezone)
    first = datetime.fromisoformat(current).astimezone(zone).replace(tzinfo=None)
    return [(first + STEP[grain] * k).replace(tzinfo=zone).isoformat() for k in range(periods)]


def forecast(
    session: Session,
    ctx: TenantContext,
    name: str,
    *,
    grain: Grain = "day",
    periods: int = 7,
    timezone: str | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
    now: datetime | None = None,
) -> Forecast:
    if not 1 <= periods <= MAX_PERIODS:
        raise ValidationFailed.one("periods", f"must be from 1 to {MAX_PERIODS}")
    now = now or datetime.now(UTC)
    series = analytics.series(
        session, ctx, name, now - HISTORY[grain], now, grain=grain, timezone=timezone, where=where
    )
    closed = series.buckets[1:-1]  # the oldest began before the range; the newest is still filling
    first = next((i for i, b in enumerate(closed) if b.value not in (None, 0)), len(closed))
    kept = closed[first:]
    pairs = [(i, float(b.value)) for i, b in enumerate(kept) if b.value is not None]
    need = MIN_BUCKETS[grain]
    if len(pairs) < need:
        raise InsufficientHistory(f"{grain}s with a figure of '{name}'", len(pairs), need)
    index, values = [i for i, _ in pairs], [v for _, v in pairs]
    season = SEASON[grain]
    held = max(1, min(periods, len(pairs) // 5))
    with training.one_thread():
        quality, errors = training.back_test_series(index, values, season, held)
        fitted = training.fit_trend(index, values, season)
        ahead = list(range(len(kept), len(kept) + periods))
        predicted = fitted.predict(ahead)
    width = float(np.percentile(np.abs(np.concatenate([errors, fitted.residuals])), 90))
    # Every measure of every source is a count, a duration or an amount: never below zero.
    points = [
        ForecastPoint(
            start=start,
            value=round(max(v, 0.0), 4),
            lower=round(max(v - width, 0.0), 4),
            upper=round(max(v + width, 0.0), 4),
        )
        for start, v in zip(
            _starts(series.buckets[-1].start, series.timezone, grain, periods), predicted, strict=True
        )
    ]
    return Forecast(
        metric=series.metric,
        version=series.version,
        grain=grain,
        timezone=series.timezone,
        unit=series.unit,
        history=len(pairs),
        season=season,
        points=points,
        quality=ForecastQuality.model_validate(quality),
    )

"""The alert conditions judged on figures alone: thresholds and changes with their expected ranges and
reasons, and STL anomalies on a weekly-seasonal daily series (a spike fires, a normal day does not, too
little history is refused, a flat history does not divide by zero)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from pydantic import ValidationError

from domain.analytics.alerts.conditions import anomaly, change, number, threshold
from domain.analytics.alerts.schemas import AnomalyParams, ChangeParams, ThresholdParams

AT = "2026-12-06T10:00:00+01:00"
WEEK = [100.0, 120.0, 130.0, 125.0, 110.0, 40.0, 30.0]  # a working week, then a quiet weekend


def days(values: Sequence[float | None]) -> list[tuple[str, float | None]]:
    start = datetime(2026, 9, 1, tzinfo=UTC)
    return [((start + timedelta(days=i)).isoformat(), v) for i, v in enumerate(values)]


def weekly(n: int, seed: int = 7) -> list[float | None]:
    """``n`` days of the weekly pattern, a slow rise and noise of 3 (one standard deviation)."""
    rng = np.random.default_rng(seed)
    return [WEEK[i % 7] + 0.2 * i + float(rng.normal(0, 3)) for i in range(n)]


@pytest.mark.parametrize(
    ("op", "observed", "firing", "expected"),
    [
        (">", 42.0, True, "expected at most 20"),
        (">", 20.0, False, "expected at most 20"),
        (">=", 20.0, True, "expected below 20"),
        ("<", 3.5, True, "expected at least 20"),
        ("<=", 25.0, False, "expected above 20"),
    ],
)
def test_a_threshold_fires_on_its_side_of_the_value_and_says_what_was_expected(
    op: str, observed: float, firing: bool, expected: str
):
    params = ThresholdParams.model_validate({"op": op, "value": 20})
    verdict = threshold(params, observed, AT, "process-cycle-time hours")
    assert verdict.firing is firing and verdict.state == ("firing" if firing else "normal")
    assert verdict.observed == observed and verdict.at == AT
    assert verdict.reason.startswith(f"observed {observed:g} process-cycle-time hours at 2026-12-06 10:00")
    assert verdict.reason.endswith(expected)
    assert (verdict.low, verdict.high) == ((None, 20) if op.startswith(">") else (20, None))


def test_a_threshold_without_a_figure_has_no_data_and_never_fires():
    verdict = threshold(ThresholdParams(op="<", value=1), None, AT, "revenue amount")
    assert (
        verdict.state == "no_data" and not verdict.firing and "no revenue amount measured" in verdict.reason
    )


def test_a_change_fires_past_its_percentage_or_amount_in_its_direction():
    up = ChangeParams(percent=50, direction="up")
    fired = change(up, 160.0, 100.0, AT, "bookings")
    assert fired.firing and (fired.low, fired.high, fired.previous) == (None, 150.0, 100.0)
    assert "+60 (+60 %) on 100 the period before, expected at most 150" in fired.reason
    assert not change(up, 40.0, 100.0, AT, "bookings").firing  # a fall, but only rises were asked
    either = ChangeParams(absolute=10)
    assert change(either, 89.0, 100.0, AT, "x").firing and not change(either, 95.0, 100.0, AT, "x").firing
    assert (change(either, 95.0, 100.0, AT, "x").low, change(either, 95.0, 100.0, AT, "x").high) == (90, 110)
    from_zero = change(ChangeParams(percent=10), 5.0, 0.0, AT, "x")
    assert from_zero.firing and "+5 on 0 the period before" in from_zero.reason
    assert not change(ChangeParams(percent=10), 0.0, 0.0, AT, "x").firing
    assert change(ChangeParams(percent=10), None, 3.0, AT, "x").state == "no_data"


def test_change_params_take_one_size_and_anomaly_params_two_seasons():
    with pytest.raises(ValidationError, match="either `percent` or `absolute`"):
        ChangeParams(percent=5, absolute=3)
    with pytest.raises(ValidationError, match="either `percent` or `absolute`"):
        ChangeParams()
    assert AnomalyParams().model_dump() == {"grain": "day", "season": 7, "lookback": 56, "z": 3.5}
    assert AnomalyParams.model_validate({"grain": "hour"}).season == 24
    with pytest.raises(ValidationError, match="two seasons"):
        AnomalyParams(season=20, lookback=30)
    with pytest.raises(ValidationError):
        AnomalyParams(lookback=2001)


def test_an_anomaly_fires_on_a_spike_with_its_expected_range_and_not_on_a_normal_day():
    history = weekly(56)
    normal = anomaly(AnomalyParams(), days(history), "bookings")
    assert normal.state == "normal" and normal.low is not None and normal.high is not None
    assert normal.low <= float(history[-1] or 0) <= normal.high and abs(normal.z or 0) < 3.5
    spiked = anomaly(AnomalyParams(), days([*history[:-1], 300.0]), "bookings")
    assert spiked.firing and spiked.observed == 300 and (spiked.z or 0) > 3.5
    assert spiked.high is not None and spiked.high < 300
    # The expected range is where that day of the week is expected, give or take the noise.
    assert spiked.low is not None and 25 < spiked.low < spiked.high < 70
    assert spiked.reason.startswith("observed 300 bookings at 2026-10-26 00:00, expected ")
    dip = anomaly(AnomalyParams(), days([*history[:-1], 0.5]), "bookings")
    assert dip.firing and (dip.z or 0) < -3.5


def test_a_missing_day_inside_the_history_is_interpolated():
    history = weekly(56)
    history[20] = None
    assert anomaly(AnomalyParams(), days(history), "x").state == "normal"


def test_fewer_than_two_seasons_of_history_is_refused_never_fired():
    verdict = anomaly(AnomalyParams(), days([*([0.0] * 30), *weekly(10)[:-1], 900.0]), "x")
    assert verdict.state == "insufficient_history" and not verdict.firing
    assert "9 days of history" in verdict.reason and "14 days" in verdict.reason  # leading zeros are none
    assert anomaly(AnomalyParams(), days([]), "x").state == "no_data"
    assert anomaly(AnomalyParams(), days([*weekly(30)[:-1], None]), "x").state == "no_data"


def test_a_flat_history_with_no_spread_fires_on_a_departure_only():
    flat = [5.0] * 40
    steady = anomaly(AnomalyParams(), days(flat), "x")
    assert steady.state == "normal" and steady.z == pytest.approx(0, abs=1e-3)
    moved = anomaly(AnomalyParams(), days([*flat[:-1], 6.0]), "x")
    assert moved.firing and moved.z is not None and np.isfinite(moved.z)
    assert moved.low == pytest.approx(5) and moved.high == pytest.approx(5)


def test_amounts_are_read_as_numbers():
    assert number("12.30") == 12.3 and number(7) == 7.0 and number(None) is None

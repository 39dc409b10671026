"""Whether a condition holds, judged on figures already computed: no database, no clock.

Each judge answers a ``Verdict``: its state (``firing``, ``normal``, or why it could not judge:
``no_data``, ``insufficient_history``), the observed figure and the range expected, and the reason in
words, as the incident and its notification state it.

The anomaly judge decomposes the series with STL (seasonal-trend decomposition by LOESS, robust to
outliers), expects the observed bucket's trend plus seasonal component, and scales the distance by the
history's residuals' median absolute deviation (a robust z-score: one outlier in the history does not
widen the band the way a standard deviation would). Measured on eight weeks of a daily pattern with
normal noise: z 3.5 fired on 5 of 300 normal last points, on 87 of 100 that were 8 noise deviations off
and on all of 100 that were 16 off.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from domain.analytics.alerts.schemas import AnomalyParams, ChangeParams, State, ThresholdParams
from domain.analytics.schemas import Value

MAD_SCALE = 1.4826  # MAD * this estimates the standard deviation of normal residuals
MEAN_AD_SCALE = 1.2533  # the same for the mean absolute deviation, when over half the residuals are equal
OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
# What a threshold's normal side is, in words: "> 20" fires above 20, so at most 20 is expected.
EXPECTED = {">": "at most", ">=": "below", "<": "at least", "<=": "above"}


@dataclass(frozen=True)
class Verdict:
    state: State
    reason: str
    observed: float | None = None
    at: str | None = None  # the observed window's start, local RFC 3339
    low: float | None = None
    high: float | None = None
    z: float | None = None
    previous: float | None = None

    @property
    def firing(self) -> bool:
        return self.state == "firing"

    def figures(self) -> dict[str, Any]:
        """What an incident records and an evaluation shows of the verdict, under their names."""
        return {
            "observed": self.observed,
            "observed_at": self.at,
            "expected_low": self.low,
            "expected_high": self.high,
            "reason": self.reason,
        }


def number(value: Value) -> float | None:
    """A figure as a float: amounts come as decimal strings, nothing measured as None."""
    if value is None:
        return None
    return float(Decimal(value)) if isinstance(value, str) else float(value)


def shown(x: float) -> str:
    """A figure in a sentence: whole numbers without decimals, others to two places."""
    return str(int(x)) if x == int(x) else f"{x:.2f}".rstrip("0").rstrip(".")


def when(at: str) -> str:
    """``2026-12-06T10:00:00+01:00`` as ``2026-12-06 10:00``."""
    return at[:16].replace("T", " ")


def _observed(observed: float, label: str, at: str) -> str:
    return f"observed {shown(observed)} {label} at {when(at)}"


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{shown(low)} to {shown(high)}"
    return f"at least {shown(low)}" if low is not None else f"at most {shown(high or 0.0)}"


def threshold(p: ThresholdParams, observed: float | None, at: str, label: str) -> Verdict:
    if observed is None:
        return Verdict("no_data", f"no {label} measured since {when(at)}", at=at)
    low, high = (None, p.value) if p.op in (">", ">=") else (p.value, None)
    holds = OPS[p.op](observed, p.value)
    reason = f"{_observed(observed, label, at)}, expected {EXPECTED[p.op]} {shown(p.value)}"
    return Verdict("firing" if holds else "normal", reason, observed, at, low, high)


def change(p: ChangeParams, observed: float | None, previous: float | None, at: str, label: str) -> Verdict:
    if observed is None or previous is None:
        return Verdict("no_data", f"no {label} measured since {when(at)} or in the period before", at=at)
    allowed = p.absolute if p.absolute is not None else abs(previous) * (p.percent or 0.0) / 100
    low = previous - allowed if p.direction in ("down", "either") else None
    high = previous + allowed if p.direction in ("up", "either") else None
    delta = observed - previous
    rose, fell = delta > 0 and high is not None, delta < 0 and low is not None
    # Reaching the limit fires; from zero, any change is an infinite percentage.
    holds = (rose or fell) and abs(delta) >= allowed
    sign = "+" if delta >= 0 else "-"
    moved = f"{sign}{shown(abs(delta))}"
    if previous:
        moved += f" ({sign}{shown(abs(delta) / abs(previous) * 100)} %)"
    reason = (
        f"{_observed(observed, label, at)}, {moved} on {shown(previous)} the period before, "
        f"expected {_range(low, high)}"
    )
    return Verdict("firing" if holds else "normal", reason, observed, at, low, high, previous=previous)


def _filled(values: Sequence[float | None]) -> np.ndarray:
    """The values, a bucket without a figure interpolated from its neighbours."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    return np.interp(np.arange(len(values)), [i for i, _ in known], [v for _, v in known])


def _scale(residuals: np.ndarray, center: float) -> float:
    """The residuals' spread: the MAD, else (over half of them equal) the mean absolute deviation,
    else (a flat history) a hair's breadth, so that any real departure from it fires."""
    med = float(np.median(residuals))
    spread = MAD_SCALE * float(np.median(np.abs(residuals - med)))
    floor = 1e-9 * max(1.0, abs(center))
    if spread <= floor:
        spread = MEAN_AD_SCALE * float(np.mean(np.abs(residuals - med)))
    return max(spread, floor)


def anomaly(p: AnomalyParams, points: Sequence[tuple[str, float | None]], label: str) -> Verdict:
    """``points``: (bucket start, figure) oldest first, the last the observed bucket. A history starts at
    its first bucket with a non-zero figure; with fewer than two seasons of it, nothing is judged."""
    first = next((i for i, (_, v) in enumerate(points) if v), len(points))
    points = points[first:]
    if not points or points[-1][1] is None:
        at = points[-1][0] if points else ""
        return Verdict("no_data", f"no {label} measured" + (f" at {when(at)}" if at else ""), at=at or None)
    at, observed = points[-1][0], float(points[-1][1])
    history = [v for _, v in points[:-1]]
    if len(history) < 2 * p.season:
        reason = (
            f"{len(history)} {p.grain}s of history; anomalies are judged after two seasons "
            f"({2 * p.season} {p.grain}s)"
        )
        return Verdict("insufficient_history", reason, observed, at)
    # The observed point is decomposed with its history: robust STL gives an outlier no weight in the
    # fit, so its residual shows it whole (a fit on the history alone, extrapolated one bucket, errs
    # more than its in-sample residuals say and fires on normal points).
    from statsmodels.tsa.seasonal import STL  # here: importing it takes seconds, which no other path needs

    fit = STL(_filled([*history, observed]), period=p.season, robust=True).fit()
    residuals = np.asarray(fit.resid, dtype=float)
    past = residuals[:-1]
    center = float(fit.trend[-1] + fit.seasonal[-1] + np.median(past))
    scale = _scale(past, center)
    z = (observed - center) / scale
    low, high = center - p.z * scale, center + p.z * scale
    reason = f"{_observed(observed, label, at)}, expected {_range(low, high)} (robust z {z:.1f})"
    return Verdict("firing" if abs(z) > p.z else "normal", reason, observed, at, low, high, round(z, 3))

"""The figures a benchmark prints, one JSON line each, for `benchmarks/run.py` to put in one table.

Each script calls ``record`` for its headline figures. The lines go to the file named by
KEEL_BENCH_RESULTS; without it nothing is written, so a script run alone only prints.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, Literal

ENV = "KEEL_BENCH_RESULTS"
Better = Literal["higher", "lower"]


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def met(value: float | None, target: float | None, better: Better) -> bool | None:
    """Whether ``value`` reaches ``target`` in the ``better`` direction; None without both."""
    if value is None or target is None:
        return None
    return value >= target if better == "higher" else value <= target


def record(
    benchmark: str,
    measure: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str | None = None,
    better: Better = "higher",
    target: float | None = None,
    ratio_target: float | None = None,
) -> None:
    """One figure; its ratio is ``value / baseline`` (same unit, same run). ``target`` is the issue's
    goal for the value, ``ratio_target`` for the ratio, both read in the ``better`` direction."""
    path = os.environ.get(ENV)
    if not path:
        return
    number, base = _finite(float(value)), _finite(None if baseline is None else float(baseline))
    ratio = _finite(number / base) if number is not None and base else None
    verdicts = [v for v in (met(number, target, better), met(ratio, ratio_target, better)) if v is not None]
    figure: dict[str, Any] = {
        "benchmark": benchmark,
        "measure": measure,
        "value": number,
        "unit": unit,
        "better": better,
        "baseline": base,
        "baseline_name": baseline_name,
        "ratio": ratio,
        "target": target,
        "ratio_target": ratio_target,
        "met": all(verdicts) if verdicts else None,
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(figure) + "\n")

"""Period buckets of a report (day, ISO week, month, quarter, year) between two dates, inclusive.

A bucket is the calendar period that holds a date; the first and the last are clipped to the
report's range so that their ``start`` and ``end`` say which days they really cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Period = Literal["day", "week", "month", "quarter", "year"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True)
class Bucket:
    label: str  # 2026-01-15, 2026-W03, 2026-01, 2026-Q1, 2026
    start: date  # the first day in the report's range
    end: date  # the last day in the report's range (inclusive)


def start_of(day: date, period: Period) -> date:
    """The first day of the period holding ``day``."""
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def _next_start(start: date, period: Period) -> date | None:
    """The first day of the following period; None past the last representable date."""
    try:
        if period == "day":
            return start + timedelta(days=1)
        if period == "week":
            return start + timedelta(days=7)
        months = {"month": 1, "quarter": 3, "year": 12}[period]
        index = start.year * 12 + start.month - 1 + months
        return date(index // 12, index % 12 + 1, 1)
    except (OverflowError, ValueError):
        return None


def label_of(start: date, period: Period) -> str:
    if period == "day":
        return start.isoformat()
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}"


def buckets(first: date, last: date, period: Period) -> list[Bucket]:
    """Every period from the one holding ``first`` to the one holding ``last``, in order."""
    out: list[Bucket] = []
    start: date | None = start_of(first, period)
    while start is not None and start <= last:
        following = _next_start(start, period)
        end = last if following is None else min(last, following - timedelta(days=1))
        out.append(Bucket(label_of(start, period), max(start, first), end))
        start = following
    return out

"""Billing periods, in calendar terms and anchored, so they never drift.

Period ``n`` (from 0) starts at ``anchor + n * interval_count * interval``, computed from the anchor
each time rather than from the previous period: a month-end anchor clamps in a shorter month and
comes back (Jan 31 -> Feb 28 -> Mar 31 -> Apr 30). ``day`` and ``week`` are exact durations;
``month`` and ``year`` keep the anchor's wall-clock time (UTC) and day of month where it exists.
The anchor is the subscription's start, or the end of its trial when it has one.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

INTERVALS = ("day", "week", "month", "year")


def _add_months(anchor: datetime, months: int) -> datetime:
    total = anchor.month - 1 + months
    year, month = anchor.year + total // 12, total % 12 + 1
    day = min(anchor.day, calendar.monthrange(year, month)[1])
    return anchor.replace(year=year, month=month, day=day)


def boundary(anchor: datetime, interval: str, count: int, n: int) -> datetime:
    """The start of period ``n`` (the end of period ``n - 1``)."""
    steps = count * n
    if interval == "day":
        return anchor + timedelta(days=steps)
    if interval == "week":
        return anchor + timedelta(weeks=steps)
    if interval == "month":
        return _add_months(anchor, steps)
    if interval == "year":
        return _add_months(anchor, 12 * steps)
    raise ValueError(f"unknown interval {interval!r}")


def period(anchor: datetime, interval: str, count: int, n: int) -> tuple[datetime, datetime]:
    """``[start, end)`` of period ``n``."""
    return boundary(anchor, interval, count, n), boundary(anchor, interval, count, n + 1)


def index_at(anchor: datetime, interval: str, count: int, at: datetime) -> int:
    """The period that contains ``at`` (0 before or at the anchor's first period)."""
    if at <= anchor:
        return 0
    span = (boundary(anchor, interval, count, 1) - anchor).total_seconds()
    n = max(int((at - anchor).total_seconds() // span) - 1, 0)
    while boundary(anchor, interval, count, n + 1) <= at:
        n += 1
    return n

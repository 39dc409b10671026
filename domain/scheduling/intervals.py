"""Half-open UTC intervals [start, end) as sorted lists, local wall time to UTC across DST, and the
dates a closure's RRULE yields.

Wall-time policy (documented in the API): a local time that does not exist (the skipped hour when
clocks go forward) maps to the next instant that exists, i.e. the transition itself, for starts and
ends alike; a local time that occurs twice (clocks go back) maps to its first occurrence for a start
(``fold=0``) and to its second for an end (``fold=1``). So 09:00 stays 09:00 local on every day, and a
01:00-04:00 rule lasts 2 h on a spring-forward day and 4 h on a fall-back day.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

Interval = tuple[datetime, datetime]
MIDNIGHT = time(0, 0)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-empty, with touching or overlapping intervals joined."""
    out: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def subtract(base: list[Interval], holes: list[Interval]) -> list[Interval]:
    """``base`` minus ``holes``; both merged (sorted, disjoint). Linear in their lengths."""
    out: list[Interval] = []
    j = 0
    for start, end in base:
        cur = start
        while j < len(holes) and holes[j][1] <= cur:
            j += 1
        k = j
        while k < len(holes) and holes[k][0] < end:
            h_start, h_end = holes[k]
            if h_start > cur:
                out.append((cur, h_start))
            cur = max(cur, h_end)
            if cur >= end:
                break
            k += 1
        if cur < end:
            out.append((cur, end))
    return out


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """Both merged; the instants in both. Linear."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def clip(intervals: list[Interval], start: datetime, end: datetime) -> list[Interval]:
    return [(max(s, start), min(e, end)) for s, e in intervals if s < end and e > start]


def covers(intervals: list[Interval], start: datetime, end: datetime) -> bool:
    """Whether one interval of a merged list contains [start, end)."""
    return any(s <= start and end <= e for s, e in intervals)


def _exists(wall: datetime, tz: ZoneInfo) -> bool:
    back = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    return back.replace(tzinfo=None, fold=0) == wall.replace(fold=0)


def _transition_after(lo: datetime, hi: datetime, tz: ZoneInfo) -> datetime:
    """The first UTC instant in (lo, hi] whose offset is hi's (the transition), to the second."""
    target = hi.astimezone(tz).utcoffset()
    lo_s, hi_s = int(lo.timestamp()), int(hi.timestamp())
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        if datetime.fromtimestamp(mid, tz).utcoffset() == target:
            hi_s = mid
        else:
            lo_s = mid
    return datetime.fromtimestamp(hi_s, UTC)


def wall_to_utc(day: date, at: time, tz: ZoneInfo, *, is_end: bool) -> datetime:
    """The UTC instant of a local wall time on a local date, by the policy in the module docstring."""
    wall = datetime.combine(day, at)
    if not _exists(wall, tz):
        # In a gap fold=1 applies the later offset (an earlier instant), fold=0 the earlier one.
        before = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
        after = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
        lo, hi = min(before, after), max(before, after)
        return _transition_after(lo, hi, tz)
    return wall.replace(tzinfo=tz, fold=1 if is_end else 0).astimezone(UTC)


@lru_cache(maxsize=65536)
def local_span(day: date, start: time, end: time, tz: ZoneInfo) -> Interval:
    """[start, end) on a local date in UTC; an end of 00:00 is the following midnight. Cached: many
    resources share a zone and hours, and the conversion is most of the cost of open time."""
    end_day = day + timedelta(days=1) if end == MIDNIGHT else day
    return wall_to_utc(day, start, tz, is_end=False), wall_to_utc(end_day, end, tz, is_end=True)


def local_days(start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
    """Every local date that [start, end) touches, one day of margin each side."""
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@lru_cache(maxsize=4096)
def _occurrences(text: str, year: int) -> frozenset[date]:
    """A closure's dates in one year. dateutil walks from DTSTART (COUNT needs it), so an old DTSTART
    costs thousands of steps: done once per rule and year, then cached (rules are immutable)."""
    rule = rrulestr(text)
    assert isinstance(rule, rrule)
    start, end = datetime(year, 1, 1), datetime(year, 12, 31)
    return frozenset(o.date() for o in rule.between(start, end, inc=True))


def occurrence_dates(text: str, first: date, last: date) -> list[date]:
    """The dates an RRULE (with its DTSTART line) yields in [first, last]."""
    found: set[date] = set()
    for year in range(first.year, last.year + 1):
        found |= _occurrences(text, year)
    return sorted(d for d in found if first <= d <= last)


LAST_YEAR = 2200  # instants end in 2199 (domain.instants); local dates with their margins, in 2200
MAX_GAP_DAYS = 3660  # a closure's pattern may leave at most ten years between two of its dates
EXPANSION_SECONDS = 10.0  # a safety net only: the check below ends by itself in about a second
# In a child process, dateutil's walk is made to stop after the last year any query reaches plus one
# gap (its loops give up past datetime.MAXYEAR, read from its own module reference), and the pattern
# (COUNT and UNTIL left out) is listed from DTSTART: the child prints the longest gap in days, or -1
# when the pattern has no date at all.
_GAPS = f"""
import datetime, sys, types
from dateutil import rrule as module
bounded = types.ModuleType("datetime")
bounded.__dict__.update(datetime.__dict__)
bounded.MAXYEAR = {LAST_YEAR + 11}
module.datetime = bounded
rule = module.rrulestr(sys.stdin.read()).replace(count=None, until=None)
days = [d.toordinal() for d in rule]
if not days:
    print(-1)
else:
    ends = [rule._dtstart.toordinal(), *days, datetime.date({LAST_YEAR + 1}, 1, 1).toordinal()]
    print(max(b - a for a, b in zip(ends, ends[1:]) if a <= b))
"""


def pattern_gap(text: str) -> int | None:
    """The longest span in days without a date of the RRULE's pattern (COUNT and UNTIL aside) from its
    DTSTART to the end of the last year queries reach; -1 when it has no date; None when the check did
    not finish.

    dateutil walks from DTSTART period by period, and a rule that never matches (FREQ=DAILY;BYMONTH=2;
    BYMONTHDAY=30) walks on to year 9999, for tens of seconds, UNTIL or not; a rule with long gaps
    walks as far to reach its next date. A loop that never yields cannot be interrupted in-process, so
    the walk runs, bounded, in a child process; only rules whose gaps are short are stored, and then
    every expansion here stops within one gap of the year asked."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", _GAPS],
            input=text,
            text=True,
            capture_output=True,
            timeout=EXPANSION_SECONDS,
            check=True,
        )
        return int(done.stdout.strip())
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError, ValueError):
        return None

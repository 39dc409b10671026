"""When a subscription runs: a 5-field cron expression or an RFC 5545 RRULE, checked strictly here so
that nothing malformed reaches a Temporal Schedule, and previewed with python-dateutil.

Both read as a :class:`Timing`: one minute of the hour (so a subscription runs at most once an hour),
the hours, and the days of the month, months and weekdays it is restricted to. A cron expression keeps
its text (Temporal runs it as a cron spec); an RRULE becomes a calendar spec of those fields. RRULEs
are accepted as far as a calendar spec expresses them exactly: FREQ DAILY, WEEKLY or MONTHLY with
INTERVAL=1 and BYDAY (plain weekdays), BYMONTHDAY (1 to 31), BYMONTH, BYHOUR and BYMINUTE; anything
else is refused with the reason.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, rrule, rruleset, weekday

from domain.analytics.subscriptions.schemas import MAX_CHARS
from domain.errors import ValidationFailed

FIELD = "schedule"
PREVIEW = 5
HORIZON = timedelta(days=366 * 5)
"""How far ahead a preview looks: a schedule with no run in five years is refused as never running."""
LOOKBACK = timedelta(days=400)
"""How far back the previous run is looked for (a subscription's period starts there)."""

Kind = Literal["cron", "rrule"]
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
CRON_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
RRULE_DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
CRON_FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, MONTHS),
    ("day of week", 0, 7, CRON_DAYS),
)
RRULE_KEYS = frozenset({"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYHOUR", "BYMINUTE", "WKST"})
REFUSED = {
    "COUNT": "COUNT is not supported: a subscription runs until it is paused or deleted",
    "UNTIL": "UNTIL is not supported: a subscription runs until it is paused or deleted",
    "BYSECOND": "BYSECOND is not supported: runs start on the minute",
    "BYSETPOS": "BYSETPOS cannot be scheduled exactly",
    "BYWEEKNO": "BYWEEKNO cannot be scheduled exactly",
    "BYYEARDAY": "BYYEARDAY cannot be scheduled exactly",
}
NUMBER = re.compile(r"^[0-9]{1,2}$")


@dataclass(frozen=True)
class Timing:
    """A checked schedule. Empty ``days_of_month``, ``months`` or ``weekdays`` mean any; ``weekdays``
    count from Sunday (0). ``either_day``: cron's rule that a day matches when either its day of the
    month or its weekday does, when both are restricted."""

    kind: Kind
    text: str
    minute: int
    hours: tuple[int, ...]
    days_of_month: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    weekdays: tuple[int, ...] = ()
    either_day: bool = False


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed.one(FIELD, message)


# -- cron -----------------------------------------------------------------------------------------
def _cron_value(text: str, name: str, lo: int, hi: int, names: tuple[str, ...]) -> int:
    upper = text.upper()
    if upper in names:
        return names.index(upper) + (1 if names is MONTHS else 0)
    if not NUMBER.match(text) or not lo <= int(text) <= hi:
        raise _refuse(f"cron {name} field: '{text[:20]}' is not a value from {lo} to {hi}")
    return int(text)


def _cron_field(text: str, name: str, lo: int, hi: int, names: tuple[str, ...]) -> tuple[int, ...]:
    """The values a cron field allows (every value for ``*``): lists, ranges and steps."""
    values: set[int] = set()
    for item in text.split(","):
        base, slash, step_text = item.partition("/")
        step = 1
        if slash:
            if not NUMBER.match(step_text) or not 1 <= int(step_text) <= hi:
                raise _refuse(f"cron {name} field: '{item[:20]}' has a step that is not from 1 to {hi}")
            step = int(step_text)
        if base == "*":
            first, last = lo, hi
        elif "-" in base:
            a, _, b = base.partition("-")
            first, last = _cron_value(a, name, lo, hi, names), _cron_value(b, name, lo, hi, names)
            if first > last:
                raise _refuse(f"cron {name} field: the range '{base[:20]}' runs backwards")
        else:
            first = _cron_value(base, name, lo, hi, names)
            last = hi if slash else first
        values.update(range(first, last + 1, step))
    return tuple(sorted(values))


def parse_cron(text: str) -> Timing:
    parts = text.split()
    if len(parts) != len(CRON_FIELDS):
        raise _refuse(
            "is neither a cron expression of 5 fields (minute hour day-of-month month day-of-week) "
            "nor an RRULE (FREQ=…)"
        )
    minute, hours, days, months, weekdays = (
        _cron_field(part, *spec) for part, spec in zip(parts, CRON_FIELDS, strict=True)
    )
    if len(minute) != 1:
        raise _refuse("cron minute field: give one minute (a subscription runs at most once an hour)")
    restricted_days, restricted_weekdays = not parts[2].startswith("*"), not parts[4].startswith("*")
    return Timing(
        kind="cron",
        text=" ".join(parts),
        minute=minute[0],
        hours=hours,
        days_of_month=days if restricted_days else (),
        months=months if not parts[3].startswith("*") else (),
        weekdays=tuple(sorted({d % 7 for d in weekdays})) if restricted_weekdays else (),
        either_day=restricted_days and restricted_weekdays,
    )


# -- RRULE ----------------------------------------------------------------------------------------
def _numbers(key: str, text: str, lo: int, hi: int) -> tuple[int, ...]:
    items = text.split(",")
    if len(items) > 31 or any(not NUMBER.match(i) or not lo <= int(i) <= hi for i in items):
        raise _refuse(f"{key}={text[:40]}: give values from {lo} to {hi}")
    return tuple(sorted({int(i) for i in items}))


def _rrule_parts(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for part in text.split(";"):
        key, equals, value = part.partition("=")
        key = key.strip().upper()
        if not equals or not value.strip():
            raise _refuse(f"'{part[:40]}' is not a KEY=VALUE part of an RRULE")
        if key in REFUSED:
            raise _refuse(REFUSED[key])
        if key not in RRULE_KEYS:
            raise _refuse(f"{key[:20]} is not an RRULE part a schedule supports")
        if key in parts:
            raise _refuse(f"{key} is given twice")
        parts[key] = value.strip().upper()
    return parts


def _weekdays(text: str) -> tuple[int, ...]:
    days = []
    for day in text.split(","):
        if day not in RRULE_DAYS:
            reason = "the n-th weekday of a month" if day[-2:] in RRULE_DAYS else "not a weekday (MO … SU)"
            raise _refuse(f"BYDAY={day[:10]}: {reason} cannot be scheduled")
        days.append(RRULE_DAYS.index(day))
    return tuple(sorted(set(days)))


def parse_rrule(text: str) -> Timing:
    body = re.sub(r"^RRULE:", "", text.strip(), flags=re.IGNORECASE)
    parts = _rrule_parts(body)
    freq = parts.get("FREQ")
    if freq in ("SECONDLY", "MINUTELY", "HOURLY"):
        raise _refuse(f"FREQ={freq}: a subscription runs at most once an hour (DAILY, WEEKLY or MONTHLY)")
    if freq not in ("DAILY", "WEEKLY", "MONTHLY"):
        raise _refuse(f"FREQ={(freq or '')[:20]}: give FREQ=DAILY, WEEKLY or MONTHLY")
    if parts.get("WKST", "MO") not in RRULE_DAYS:
        raise _refuse("WKST: give a weekday (MO … SU)")
    if parts.get("INTERVAL", "1") != "1":
        raise _refuse("INTERVAL: only 1 can be scheduled exactly (every day, week or month)")
    if "BYHOUR" not in parts:
        raise _refuse("BYHOUR is needed: the hour (or hours) of the run")
    minutes = _numbers("BYMINUTE", parts.get("BYMINUTE", "0"), 0, 59)
    if len(minutes) != 1:
        raise _refuse("BYMINUTE: give one minute (a subscription runs at most once an hour)")
    weekdays = _weekdays(parts["BYDAY"]) if "BYDAY" in parts else ()
    days = _numbers("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31) if "BYMONTHDAY" in parts else ()
    if freq == "WEEKLY" and (not weekdays or days):
        raise _refuse("FREQ=WEEKLY takes BYDAY (and no BYMONTHDAY)")
    if freq == "MONTHLY" and not (days or weekdays):
        raise _refuse("FREQ=MONTHLY needs BYMONTHDAY or BYDAY")
    canonical = ";".join(f"{k}={v}" for k, v in parts.items())
    return Timing(
        kind="rrule",
        text=canonical,
        minute=minutes[0],
        hours=_numbers("BYHOUR", parts["BYHOUR"], 0, 23),
        days_of_month=days,
        months=_numbers("BYMONTH", parts["BYMONTH"], 1, 12) if "BYMONTH" in parts else (),
        weekdays=weekdays,
    )


def parse(text: str) -> Timing:
    """The schedule checked: 422 on ``schedule`` with the reason for anything else."""
    if len(text) > MAX_CHARS or not text.isascii() or not text.strip():
        raise _refuse(f"give a cron expression or an RRULE of at most {MAX_CHARS} characters")
    return parse_rrule(text) if "FREQ=" in text.upper() else parse_cron(text)


# -- occurrences ----------------------------------------------------------------------------------
def _rules(timing: Timing, start: datetime, until: datetime) -> rruleset:
    """The runs from ``start`` to ``until`` (wall times of ``start``'s zone) as dateutil rules."""
    weekdays = [weekday((d - 1) % 7) for d in timing.weekdays]  # dateutil counts from Monday

    def days(monthdays: tuple[int, ...], on: list[weekday]) -> rrule:
        return rrule(
            DAILY,
            dtstart=start,
            until=until,
            bymonth=timing.months or None,
            bymonthday=monthdays or None,
            byweekday=on or None,
            byhour=timing.hours,
            byminute=timing.minute,
            bysecond=0,
        )

    rules = rruleset()
    if timing.either_day:
        rules.rrule(days(timing.days_of_month, []))
        rules.rrule(days((), weekdays))
    else:
        rules.rrule(days(timing.days_of_month, weekdays))
    return rules


def next_runs(timing: Timing, zone: str, after: datetime, count: int = PREVIEW) -> list[datetime]:
    """The next ``count`` runs strictly after ``after``, as times in ``zone``."""
    tz = ZoneInfo(zone)
    start = (after.astimezone(tz) + timedelta(minutes=1)).replace(second=0, microsecond=0)
    found = itertools.islice(_rules(timing, start, start + HORIZON), count)
    # A wall time a DST change skips is read with the offset before it, then shown as it really is.
    return [at.astimezone(UTC).astimezone(tz) for at in found]


def previous_run(timing: Timing, zone: str, before: datetime) -> datetime | None:
    """The last run strictly before ``before`` (within ``LOOKBACK``), in UTC; None when there is none."""
    tz = ZoneInfo(zone)
    end = before.astimezone(tz)
    found = _rules(timing, (end - LOOKBACK).replace(second=0, microsecond=0), end).before(end)
    return found.astimezone(UTC) if found is not None else None


def check_runs(timing: Timing, zone: str, now: datetime) -> list[datetime]:
    """The preview, refusing a schedule that never runs (the 31st of February)."""
    runs = next_runs(timing, zone, now)
    if not runs:
        raise _refuse("never runs (no date in the next five years matches it)")
    return runs


def cron_text(timing: Timing) -> str:
    """A cron expression's fields as plain numbers (names, ranges and steps spelt out, Sunday 0), the
    one spelling every cron reader agrees on."""

    def field(values: tuple[int, ...]) -> str:
        return ",".join(str(v) for v in values) if values else "*"

    hours = "*" if len(timing.hours) == 24 else field(timing.hours)
    days = (timing.days_of_month, timing.months, timing.weekdays)
    return " ".join([str(timing.minute), hours, *(field(v) for v in days)])

"""Hostile iCalendar files are refused quickly (422 ``invalid_calendar`` on the ``file`` field), with
the reading bounded in CPU and memory by a child process; real calendars still read."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import ValidationFailed
from domain.scheduling.calendars import ics_reading
from domain.scheduling.calendars.ics_reading import busy_times

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def cal(*lines: str) -> bytes:
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", *lines, "END:VCALENDAR"]) + "\r\n"
    ).encode()


def event(*lines: str, start: str = "20261205T090000Z", end: str = "20261205T100000Z") -> list[str]:
    head = ["BEGIN:VEVENT", "UID:a", "DTSTAMP:20260101T000000Z", f"DTSTART:{start}", f"DTEND:{end}"]
    return [*head, *lines, "END:VEVENT"]


def refused(content: bytes, within: float = 5.0) -> str:
    began = time.monotonic()
    with pytest.raises(ValidationFailed) as caught:
        busy_times(content, "Europe/Paris", NOW)
    assert time.monotonic() - began < within
    assert caught.value.code == "invalid_calendar"
    assert [f.field for f in caught.value.fields] == ["file"]
    return caught.value.message


SIXTY = ",".join(str(i) for i in range(60))
HOSTILE = {
    "every second": (cal(*event("RRULE:FREQ=SECONDLY")), "HOURLY"),
    "a billion seconds": (cal(*event("RRULE:FREQ=SECONDLY;COUNT=1000000000")), "HOURLY"),
    "every minute to 9999": (cal(*event("RRULE:FREQ=MINUTELY;UNTIL=99991231T000000Z")), "HOURLY"),
    "seconds since 1900": (
        cal(*event("RRULE:FREQ=SECONDLY;COUNT=1000000000", start="19000101T000000Z", end="19000101T000001Z")),
        "HOURLY",
    ),
    "BYSECOND list": (cal(*event(f"RRULE:FREQ=HOURLY;BYMINUTE=0;BYSECOND={SIXTY}")), "BYSECOND"),
    "BYMINUTE list": (cal(*event(f"RRULE:FREQ=DAILY;BYMINUTE={SIXTY}")), "BYMINUTE"),
    "INTERVAL=0": (cal(*event("RRULE:FREQ=DAILY;INTERVAL=0")), "INTERVAL"),
    "INTERVAL=-1": (cal(*event("RRULE:FREQ=WEEKLY;INTERVAL=-1")), "INTERVAL"),
    "nested components": (cal(*(["BEGIN:X"] * 5000), *(["END:X"] * 5000)), "nested"),
    "too many lines": (cal(*(["X-A:b"] * 100_001)), "lines"),
    "VTIMEZONE garbage": (
        cal(
            "BEGIN:VTIMEZONE",
            "TZID:Bad",
            "BEGIN:STANDARD",
            "DTSTART:garbage",
            "TZOFFSETFROM:+9999",
            "TZOFFSETTO:zz",
            "END:STANDARD",
            "END:VTIMEZONE",
            *event(start="20261205T090000", end="20261205T100000"),
        ),
        "cannot be read",
    ),
    "NUL in a date": (cal(*event(start="20261205T09\x000000Z")), "cannot be read"),
    "a TZID too long for a file name": (
        cal(*event(start="20261205T090000")).replace(b"DTSTART:", b"DTSTART;TZID=" + b"A" * 100_000 + b":"),
        "(OSError)",
    ),
    "an hour past year 9999": (
        cal("BEGIN:VEVENT", "UID:a", "DTSTART:99991231T230000Z", "DURATION:PT2H", "END:VEVENT"),
        "out of range",
    ),
    "an all-day event on 9999-12-31": (
        cal("BEGIN:VEVENT", "UID:a", "DTSTART;VALUE=DATE:99991231", "END:VEVENT"),
        "out of range",
    ),
    "an hour before year 1": (
        cal("BEGIN:VEVENT", "UID:a", "DTSTART:00010101T000000Z", "DURATION:-PT2H", "END:VEVENT"),
        "out of range",
    ),
    "not UTF-8": (b"BEGIN:VCALENDAR\r\n\xff\xfe\r\nEND:VCALENDAR\r\n", "UTF-8"),
    "a period for a start": (
        cal("BEGIN:VEVENT", "UID:a", "DTSTART;VALUE=PERIOD:20261205T090000Z/PT1H", "END:VEVENT"),
        "cannot be read",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_calendars_are_refused_quickly(name):
    content, word = HOSTILE[name]
    message = refused(content)
    assert word in message and "/site-packages/" not in message


def test_a_rule_that_never_matches_is_stopped_by_the_cpu_limit(monkeypatch):
    """dateutil walks every day up to year 9999 looking for a 30 February: the child is stopped."""
    monkeypatch.setattr(ics_reading, "CPU_SECONDS", 1)
    never = cal(*event("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"))
    assert "too costly" in refused(never, within=8.0)


NEW_YEAR = [(datetime(2027, 1, 1, 12, tzinfo=UTC), datetime(2027, 1, 2, 12, tzinfo=UTC))]


@pytest.mark.parametrize(
    ("start", "end", "yearly"),
    [
        ("00010101T000000", "00010102T000000", NEW_YEAR),  # floating: read in UTC-12
        ("99991231T230000", "99991231T235959", []),
        ("99991231T000000Z", "99991231T235959Z", []),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_read_not_crashed_on(start, end, yearly):
    assert busy_times(cal(*event(start=start, end=end)), "Etc/GMT+12", NOW) == []
    assert busy_times(cal(*event("RRULE:FREQ=YEARLY", start=start, end=end)), "Etc/GMT+12", NOW) == yearly


def test_real_calendars_still_read():
    weekly = cal(*event("RRULE:FREQ=WEEKLY;COUNT=3", "SUMMARY:stand-up \x00 notes"))
    first = datetime(2026, 12, 5, 9, tzinfo=UTC)
    assert busy_times(weekly, "Europe/Paris", NOW) == [
        (first + timedelta(weeks=w), first + timedelta(weeks=w, hours=1)) for w in range(3)
    ]
    quarters = cal(*event("RRULE:FREQ=HOURLY;BYMINUTE=0,15,30,45;COUNT=4", end="20261205T091000Z"))
    assert len(busy_times(quarters, "UTC", NOW)) == 4

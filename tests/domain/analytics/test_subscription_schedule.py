"""Subscription schedules: cron and RRULE read strictly (every refusal a 422 on `schedule` with its
reason), and the next runs previewed in the subscription's time zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.analytics.subscriptions.schedule import (
    check_runs,
    cron_text,
    next_runs,
    parse,
    previous_run,
)
from domain.errors import ValidationFailed

BERLIN = "Europe/Berlin"


def refusal(text: str) -> str:
    with pytest.raises(ValidationFailed) as caught:
        check_runs(parse(text), "UTC", datetime(2026, 1, 1, tzinfo=UTC))
    [field] = caught.value.fields
    assert field.field == "schedule"
    return field.message


def test_a_cron_expression_reads_lists_ranges_steps_and_names():
    timing = parse("15 */6 1,15 JAN-MAR mon-fri")
    assert (timing.kind, timing.minute, timing.hours) == ("cron", 15, (0, 6, 12, 18))
    assert timing.days_of_month == (1, 15) and timing.months == (1, 2, 3)
    assert timing.weekdays == (1, 2, 3, 4, 5) and timing.either_day  # cron: the 1st, 15th or a weekday
    assert cron_text(timing) == "15 0,6,12,18 1,15 1,2,3 1,2,3,4,5"
    assert parse("0 8 * * 7").weekdays == (0,)  # 7 is Sunday too
    assert cron_text(parse("0  8 * *  SUN")) == "0 8 * * 0"


def test_an_rrule_reads_into_a_calendar():
    timing = parse("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=8,17;BYMINUTE=30")
    assert timing.kind == "rrule" and timing.text == "FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=8,17;BYMINUTE=30"
    assert (timing.minute, timing.hours, timing.weekdays) == (30, (8, 17), (1, 3))
    monthly = parse("FREQ=MONTHLY;BYMONTHDAY=1,15;BYHOUR=6")
    assert monthly.days_of_month == (1, 15) and monthly.minute == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("garbage", "5 fields"),
        ("0 8 * *", "5 fields"),
        ("0 8 * * * *", "5 fields"),
        ("* 8 * * *", "one minute"),
        ("0,30 8 * * *", "one minute"),
        ("60 8 * * *", "minute field: '60'"),
        ("0 24 * * *", "hour field: '24'"),
        ("0 8 0 * *", "day of month field: '0'"),
        ("0 8 * 13 *", "month field: '13'"),
        ("0 8 * * 8", "day of week field: '8'"),
        ("0 8 * * FUNDAY", "day of week field"),
        ("0 */0 * * *", "step"),
        ("0 9-5 * * *", "backwards"),
        ("0 8 31 2 *", "never runs"),
        ("x" * 201, "at most 200"),
        ("FREQ=SECONDLY;BYHOUR=8", "at most once an hour"),
        ("FREQ=MINUTELY", "at most once an hour"),
        ("FREQ=HOURLY;BYMINUTE=0", "at most once an hour"),
        ("FREQ=YEARLY;BYHOUR=8", "FREQ=DAILY, WEEKLY or MONTHLY"),
        ("FREQ=DAILY;INTERVAL=2;BYHOUR=8", "INTERVAL"),
        ("FREQ=DAILY", "BYHOUR"),
        ("FREQ=DAILY;BYHOUR=8;BYMINUTE=0,30", "one minute"),
        ("FREQ=DAILY;BYHOUR=25", "BYHOUR=25"),
        ("FREQ=DAILY;BYHOUR=8;COUNT=3", "COUNT"),
        ("FREQ=DAILY;BYHOUR=8;UNTIL=20270101T000000Z", "UNTIL"),
        ("FREQ=MONTHLY;BYDAY=1MO;BYHOUR=8", "n-th weekday"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=8", "BYMONTHDAY=-1"),
        ("FREQ=MONTHLY;BYHOUR=8", "BYMONTHDAY or BYDAY"),
        ("FREQ=WEEKLY;BYHOUR=8", "BYDAY"),
        ("FREQ=WEEKLY;BYDAY=XX;BYHOUR=8", "not a weekday"),
        ("FREQ=DAILY;BYHOUR=8;BYSETPOS=1", "BYSETPOS"),
        ("FREQ=DAILY;BYHOUR=8;FOO=1", "FOO"),
        ("FREQ=DAILY;BYHOUR=8;BYHOUR=9", "twice"),
        ("FREQ=DAILY;BYHOUR", "KEY=VALUE"),
    ],
)
def test_garbage_and_what_cannot_be_scheduled_are_refused_with_the_reason(text: str, reason: str):
    assert reason in refusal(text)


def test_the_next_runs_keep_the_local_hour_across_dst_changes():
    weekly = parse("FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0")
    runs = next_runs(weekly, BERLIN, datetime(2026, 3, 20, 12, tzinfo=UTC))  # Berlin goes to CEST on 29 March
    assert [r.isoformat() for r in runs] == [
        "2026-03-23T08:00:00+01:00",
        "2026-03-30T08:00:00+02:00",
        "2026-04-06T08:00:00+02:00",
        "2026-04-13T08:00:00+02:00",
        "2026-04-20T08:00:00+02:00",
    ]
    daily = parse("0 8 * * *")
    autumn = next_runs(daily, BERLIN, datetime(2026, 10, 24, 12, tzinfo=UTC), 2)  # back to CET on 25 October
    assert [r.astimezone(UTC).hour for r in autumn] == [7, 7] and [r.hour for r in autumn] == [8, 8]
    assert next_runs(daily, BERLIN, datetime(2026, 10, 23, 12, tzinfo=UTC), 2)[0].astimezone(UTC).hour == 6


def test_a_run_at_a_skipped_wall_time_is_shown_as_it_happens():
    runs = next_runs(parse("30 2 * * *"), BERLIN, datetime(2026, 3, 28, 12, tzinfo=UTC), 2)
    assert [r.isoformat() for r in runs] == ["2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"]


def test_next_runs_are_strictly_after_and_the_previous_run_strictly_before():
    daily = parse("FREQ=DAILY;BYHOUR=9")
    at_nine = datetime(2026, 6, 1, 7, tzinfo=UTC)  # 09:00 in Berlin
    assert next_runs(daily, BERLIN, at_nine, 1)[0] == datetime(2026, 6, 2, 7, tzinfo=UTC)
    assert previous_run(daily, BERLIN, at_nine) == datetime(2026, 5, 31, 7, tzinfo=UTC)
    assert (
        previous_run(parse("0 8 29 2 *"), "UTC", datetime(2027, 6, 1, tzinfo=UTC)) is None
    )  # none in 400 days

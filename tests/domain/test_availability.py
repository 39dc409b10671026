"""Open time, busy time and free slots: local wall time across DST transitions in three zones,
overrides, closures by RRULE with EXDATE, blocks, buffers against allocations, collective slots."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.models import AvailabilityRule, Resource
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.scheduling.availability import service as availability
from domain.scheduling.intervals import merge, occurrence_dates, pattern_gap, subtract
from tests.booking_rows import write_booking
from tests.conftest import TenantFixture

H = timedelta(hours=1)
M = timedelta(minutes=1)
PAST = datetime(2026, 1, 1, tzinfo=UTC)  # the clock the slot queries run at: before their windows


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def weekly(start: str, end: str, days: list[int] | None = None) -> AvailabilityRule:
    return AvailabilityRule(
        kind="weekly",
        weekdays=list(range(7)) if days is None else days,
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
    )


def override(on: str, start: str | None = None, end: str | None = None) -> AvailabilityRule:
    return AvailabilityRule(
        kind="override",
        on_date=date.fromisoformat(on),
        start_time=time.fromisoformat(start) if start else None,
        end_time=time.fromisoformat(end) if end else None,
    )


def closure(
    rrule: str, exdates: list[str] | None = None, hours: tuple[str, str] | None = None
) -> AvailabilityRule:
    return AvailabilityRule(
        kind="closure",
        rrule=rrule,
        exdates=exdates or [],
        start_time=time.fromisoformat(hours[0]) if hours else None,
        end_time=time.fromisoformat(hours[1]) if hours else None,
    )


def block(starts: str, ends: str) -> AvailabilityRule:
    return AvailabilityRule(kind="block", starts_at=utc(starts), ends_at=utc(ends))


def local_open(
    zone: str, rules: list[AvailabilityRule], first: str, last: str
) -> list[tuple[datetime, datetime]]:
    """Open time over whole local days [first, last], as aware local datetimes."""
    tz = ZoneInfo(zone)
    lo = datetime.combine(date.fromisoformat(first), time(0), tz).astimezone(UTC)
    hi = datetime.combine(date.fromisoformat(last) + timedelta(days=1), time(0), tz).astimezone(UTC)
    return [(s.astimezone(tz), e.astimezone(tz)) for s, e in availability.compute_open(zone, rules, lo, hi)]


# (zone, transition day, UTC offset the day before, UTC offset the day after)
TRANSITIONS = [
    ("Europe/Paris", "2026-03-29", 1, 2),
    ("Europe/Paris", "2026-10-25", 2, 1),
    ("America/New_York", "2026-03-08", -5, -4),
    ("America/New_York", "2026-11-01", -4, -5),
    ("Australia/Sydney", "2026-04-05", 11, 10),
    ("Australia/Sydney", "2026-10-04", 10, 11),
]


@pytest.mark.parametrize(("zone", "day", "before", "after"), TRANSITIONS)
def test_nine_to_five_stays_nine_to_five_local_across_dst(
    zone: str, day: str, before: int, after: int
) -> None:
    transition = date.fromisoformat(day)
    first, last = transition - timedelta(days=1), transition + timedelta(days=1)
    spans = local_open(zone, [weekly("09:00", "17:00")], first.isoformat(), last.isoformat())
    assert len(spans) == 3
    for (start, end), offset in zip(spans, (before, after, after), strict=True):
        assert (start.hour, start.minute, end.hour, end.minute) == (9, 0, 17, 0)
        assert end.astimezone(UTC) - start.astimezone(UTC) == 8 * H
        # the UTC instants move by the offset change
        assert start.astimezone(UTC).hour == (9 - offset) % 24
        assert end.astimezone(UTC).hour == (17 - offset) % 24


@pytest.mark.parametrize(("zone", "day", "before", "after"), TRANSITIONS)
def test_a_rule_spanning_the_changed_hour_has_its_real_length(
    zone: str, day: str, before: int, after: int
) -> None:
    # 01:00-04:00 local covers the transition (02:00 or 03:00 local) in all three zones.
    (span,) = local_open(zone, [weekly("01:00", "04:00")], day, day)
    forward = after > before
    # (subtract in UTC: Python subtracts wall times when both sides share a tzinfo)
    assert span[1].astimezone(UTC) - span[0].astimezone(UTC) == (2 * H if forward else 4 * H)
    assert span[0].astimezone(UTC) == datetime.combine(
        date.fromisoformat(day), time(1), ZoneInfo(zone)
    ).astimezone(UTC)


def test_a_start_in_the_skipped_hour_starts_when_clocks_go_forward() -> None:
    # Paris, 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC); 02:30 does not exist.
    (span,) = local_open("Europe/Paris", [weekly("02:30", "05:00")], "2026-03-29", "2026-03-29")
    assert span[0].astimezone(UTC) == utc("2026-03-29T01:00:00Z")
    assert span[1].astimezone(UTC) == utc("2026-03-29T03:00:00Z")


def test_a_repeated_hour_starts_at_its_first_and_ends_at_its_second_occurrence() -> None:
    # New York, 2026-11-01: 01:00-02:00 happens twice (EDT, then EST).
    (span,) = local_open("America/New_York", [weekly("01:30", "01:45")], "2026-11-01", "2026-11-01")
    assert span[0].astimezone(UTC) == utc("2026-11-01T05:30:00Z")  # 01:30 EDT
    assert span[1].astimezone(UTC) == utc("2026-11-01T06:45:00Z")  # 01:45 EST


def test_weekdays_and_an_end_of_midnight() -> None:
    spans = local_open("Europe/Paris", [weekly("18:00", "00:00", [4])], "2026-06-01", "2026-06-07")
    assert spans == [
        (
            datetime(2026, 6, 5, 18, tzinfo=ZoneInfo("Europe/Paris")),
            datetime(2026, 6, 6, 0, tzinfo=ZoneInfo("Europe/Paris")),
        )
    ]


def test_an_override_replaces_the_days_weekly_hours() -> None:
    rules = [
        weekly("09:00", "17:00"),
        override("2026-06-02", "10:00", "12:00"),
        override("2026-06-02", "14:00", "15:00"),
        override("2026-06-03"),
    ]
    spans = local_open("Europe/Paris", rules, "2026-06-01", "2026-06-04")
    hours = [(s.date().isoformat(), s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in spans]
    assert hours == [
        ("2026-06-01", "09:00", "17:00"),
        ("2026-06-02", "10:00", "12:00"),
        ("2026-06-02", "14:00", "15:00"),
        ("2026-06-04", "09:00", "17:00"),
    ]


def test_closures_by_rrule_skip_their_exdates() -> None:
    # Closed every Wednesday except 2026-06-10; Friday afternoons closed from 13:00.
    rules = [
        weekly("09:00", "17:00"),
        closure("DTSTART:20260101\nRRULE:FREQ=WEEKLY;BYDAY=WE", ["2026-06-10"]),
        closure("DTSTART:20260101\nRRULE:FREQ=WEEKLY;BYDAY=FR", hours=("13:00", "00:00")),
    ]
    spans = local_open("America/New_York", rules, "2026-06-01", "2026-06-14")
    days = {s.date().isoformat(): (s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in spans}
    assert "2026-06-03" not in days and "2026-06-17" not in days
    assert days["2026-06-10"] == ("09:00", "17:00")
    assert days["2026-06-05"] == ("09:00", "13:00")
    assert len(days) == 13


def test_an_unbounded_yearly_closure_is_expanded_in_the_window_only() -> None:
    christmas = closure("DTSTART:20200101\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25")
    spans = local_open("Australia/Sydney", [weekly("09:00", "17:00"), christmas], "2031-12-24", "2031-12-26")
    assert [s.day for s, _ in spans] == [24, 26]


def test_closure_dates_honour_count_and_until() -> None:
    counted = "DTSTART:20260105\nRRULE:FREQ=WEEKLY;COUNT=3"
    assert occurrence_dates(counted, date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 1, 5),
        date(2026, 1, 12),
        date(2026, 1, 19),
    ]
    until = "DTSTART:20261230\nRRULE:FREQ=DAILY;UNTIL=20270102T000000"
    assert occurrence_dates(until, date(2026, 12, 1), date(2027, 1, 31)) == [
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
    ]


def test_blocks_cut_absolute_time() -> None:
    rules = [weekly("09:00", "17:00"), block("2026-06-01T10:00:00+02:00", "2026-06-01T11:30:00+02:00")]
    spans = local_open("Europe/Paris", rules, "2026-06-01", "2026-06-01")
    assert [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in spans] == [
        ("09:00", "10:00"),
        ("11:30", "17:00"),
    ]


def test_interval_arithmetic() -> None:
    t = [utc(f"2026-01-01T{h:02d}:00:00Z") for h in range(12)]
    assert merge([(t[3], t[5]), (t[1], t[2]), (t[2], t[3]), (t[6], t[6])]) == [(t[1], t[5])]
    assert subtract([(t[1], t[9])], [(t[0], t[2]), (t[3], t[4]), (t[8], t[10])]) == [
        (t[2], t[3]),
        (t[4], t[8]),
    ]
    assert subtract([(t[1], t[2]), (t[3], t[4])], [(t[1], t[4])]) == []


# -- with the database ---------------------------------------------------------------------------


@pytest.fixture
def session(engine: Engine, tenant: TenantFixture) -> Iterator[Session]:
    with tenant_session(engine, tenant.id) as s:
        yield s


@pytest.fixture
def ctx(tenant: TenantFixture) -> TenantContext:
    return TenantContext.system(tenant.id, tenant.domain)


@pytest.fixture
def make_resource(session: Session, ctx: TenantContext) -> Callable[..., Resource]:
    def make(zone: str, *rules: AvailabilityRule, before: int = 0, after: int = 0) -> Resource:
        resource = Resource(
            tenant_id=ctx.tenant_id,
            name=f"r-{uuid.uuid4().hex[:6]}",
            kind="room",
            capacity=1,
            timezone=zone,
            tags=[],
            buffer_before_seconds=before,
            buffer_after_seconds=after,
            active=True,
        )
        session.add(resource)
        session.flush()
        for rule in rules:
            rule.tenant_id, rule.resource_id = ctx.tenant_id, resource.id
            session.add(rule)
        session.flush()
        return resource

    return make


def allocate(session: Session, ctx: TenantContext, resource: Resource, start: str, end: str) -> None:
    """A booking and its allocation as the booking service writes them: the span includes buffers."""
    write_booking(session, ctx, [resource], utc(start), utc(end))


def starts(slots: list[tuple[datetime, datetime]], zone: str) -> list[str]:
    return [s.astimezone(ZoneInfo(zone)).strftime("%H:%M") for s, _ in slots]


def test_open_and_busy_intervals_from_the_database(session, ctx, make_resource) -> None:
    room = make_resource(
        "Europe/Paris",
        weekly("09:00", "12:00"),
        block("2026-06-01T10:00:00+02:00", "2026-06-01T10:30:00+02:00"),
    )
    allocate(session, ctx, room, "2026-06-01T11:00:00+02:00", "2026-06-01T11:30:00+02:00")
    lo, hi = utc("2026-06-01T00:00:00+02:00"), utc("2026-06-02T00:00:00+02:00")
    assert availability.open_intervals(session, ctx, room, lo, hi) == [
        (utc("2026-06-01T09:00:00+02:00"), utc("2026-06-01T10:00:00+02:00")),
        (utc("2026-06-01T10:30:00+02:00"), utc("2026-06-01T12:00:00+02:00")),
    ]
    busy = availability.busy_intervals(session, ctx, [room.id], lo, hi)
    assert busy == {room.id: [(utc("2026-06-01T11:00:00+02:00"), utc("2026-06-01T11:30:00+02:00"))]}


def test_buffers_keep_slots_clear_of_an_allocation(session, ctx, make_resource) -> None:
    # 15 min before and 10 min after each booking of this room.
    room = make_resource("Europe/Paris", weekly("09:00", "13:00"), before=15 * 60, after=10 * 60)
    allocate(session, ctx, room, "2026-06-01T10:30:00+02:00", "2026-06-01T11:00:00+02:00")
    lo, hi = utc("2026-06-01T00:00:00+02:00"), utc("2026-06-02T00:00:00+02:00")
    slots = availability.free_slots(session, ctx, [room.id], 30 * M, lo, hi, 5 * M, now=PAST)
    free = starts(slots, "Europe/Paris")
    # Busy span 10:15-11:10. A new booking [s, s+30) buffered to [s-15, s+40) must end by 10:15 → s ≤ 09:35,
    # and start its buffer at 11:10 or later → s ≥ 11:25.
    assert free[0] == "09:00" and "09:35" in free and "09:40" not in free
    assert "11:20" not in free and "11:25" in free and free[-1] == "12:30"


def test_collective_slots_for_two_resources_in_different_zones(session, ctx, make_resource) -> None:
    paris = make_resource("Europe/Paris", weekly("09:00", "17:00"))  # 07:00-15:00 UTC in June
    new_york = make_resource("America/New_York", weekly("09:00", "17:00"))  # 13:00-21:00 UTC
    allocate(session, ctx, new_york, "2026-06-01T13:30:00Z", "2026-06-01T14:00:00Z")
    lo, hi = utc("2026-06-01T00:00:00Z"), utc("2026-06-02T00:00:00Z")
    slots = availability.free_slots(session, ctx, [paris.id, new_york.id], 30 * M, lo, hi, 15 * M, now=PAST)
    assert [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in slots] == [
        ("13:00", "13:30"),
        ("14:00", "14:30"),
        ("14:15", "14:45"),
        ("14:30", "15:00"),
    ]
    assert (
        availability.free_slots(
            session, ctx, [paris.id, new_york.id], 30 * M, lo, hi, 15 * M, limit=2, now=PAST
        )
        == slots[:2]
    )


def test_slots_lie_on_the_granularity_grid(session, ctx, make_resource) -> None:
    room = make_resource("UTC", weekly("09:07", "10:00"))
    lo, hi = utc("2026-06-01T09:01:00Z"), utc("2026-06-01T11:00:00Z")
    slots = availability.free_slots(session, ctx, [room.id], 15 * M, lo, hi, 15 * M, now=PAST)
    assert starts(slots, "UTC") == ["09:15", "09:30", "09:45"]


def test_slots_across_a_dst_change_stay_on_local_hours(session, ctx, make_resource) -> None:
    room = make_resource("America/New_York", weekly("09:00", "10:00"))
    lo, hi = utc("2026-03-07T00:00:00Z"), utc("2026-03-10T00:00:00Z")
    slots = availability.free_slots(session, ctx, [room.id], H, lo, hi, 15 * M, now=PAST)
    assert [s.isoformat() for s, _ in slots] == [
        "2026-03-07T14:00:00+00:00",
        "2026-03-08T13:00:00+00:00",
        "2026-03-09T13:00:00+00:00",
    ]


def test_check_bookable_says_which_resource_and_why(session, ctx, make_resource) -> None:
    room = make_resource(
        "Europe/Paris",
        weekly("09:00", "17:00"),
        closure("DTSTART:20260101\nRRULE:FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=2"),
    )
    person = make_resource("Europe/Paris", weekly("09:00", "12:00"))
    availability.check_bookable(
        session, ctx, [room, person], utc("2026-06-01T09:00:00+02:00"), utc("2026-06-01T12:00:00+02:00")
    )
    with pytest.raises(ValidationFailed) as caught:
        availability.check_bookable(
            session, ctx, [room, person], utc("2026-06-01T11:00:00+02:00"), utc("2026-06-01T13:00:00+02:00")
        )
    assert caught.value.code == "outside_availability"
    assert caught.value.details["resources"] == [
        {"resource_id": str(person.id), "name": person.name, "reason": "outside_working_hours"}
    ]
    with pytest.raises(ValidationFailed) as caught:
        availability.check_bookable(
            session, ctx, [room], utc("2026-06-02T10:00:00+02:00"), utc("2026-06-02T11:00:00+02:00")
        )
    assert caught.value.details["resources"][0]["reason"] == "closed"
    assert caught.value.details["fields"][0]["field"] == "resources.0"


@pytest.mark.parametrize(
    ("rule", "gap"),
    [
        ("DTSTART:19700101\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", -1),  # never: bounded, not to 9999
        ("DTSTART:19700101\nRRULE:FREQ=DAILY;UNTIL=19710101;BYMONTH=4;BYMONTHDAY=31", -1),
        ("DTSTART:20260107\nRRULE:FREQ=WEEKLY;BYDAY=WE", 7),
        ("DTSTART:20260101\nRRULE:FREQ=DAILY;COUNT=3", 1),  # the pattern, COUNT aside
        ("DTSTART:20261225\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", 366),
    ],
)
def test_a_closure_pattern_gap_is_measured_in_bounded_time(rule: str, gap: int) -> None:
    started = datetime.now(UTC)
    assert pattern_gap(rule) == gap
    assert datetime.now(UTC) - started < timedelta(seconds=5)

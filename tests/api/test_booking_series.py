"""Recurring bookings through the live stack: a weekly series keeps 09:00 in Paris across the DST change,
all or nothing on a conflict (the dates named, nothing held), skip_conflicts reporting the dates skipped,
the cap on an unbounded rule, cancelling one occurrence, the following ones or all, and bad rules."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db.models.scheduling import BookingSeries
from db.session import tenant_session
from domain.scheduling.series import service as series
from tests.api.conftest import Api, data, error_of
from tests.api.test_bookings import allocations, at, iso, make_resource

PARIS = ZoneInfo("Europe/Paris")


def next_dst_change() -> date:
    """The next last Sunday of March or October (Paris changes its clocks then), at least a week away."""
    today = datetime.now(UTC).date()
    for year in (today.year, today.year + 1):
        for month in (3, 10):
            last = date(year, month, 31)
            sunday = last - timedelta(days=(last.weekday() - 6) % 7)
            if sunday > today + timedelta(days=7):
                return sunday
    raise AssertionError("unreachable")


def paris_morning(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=PARIS)


def book_series(admin: Api, resources: list[str], start: datetime, rule: str, **extra: Any) -> Any:
    body = {
        "resources": resources,
        "start": start.isoformat(),
        "duration": "PT1H",
        "subject": "Standup",
        "recurrence": rule,
        "requires_confirmation": False,
    }
    return admin.post("/api/v1/bookings", json=body | extra)


def series_count(engine: Any, tenant_id: uuid.UUID) -> int:
    with tenant_session(engine, tenant_id) as session:
        return int(session.scalar(select(func.count()).select_from(BookingSeries)) or 0)


@pytest.fixture
def paris_room(engine, tenant) -> str:
    return make_resource(engine, tenant.id, "Salle", timezone="Europe/Paris")


def test_a_weekly_series_keeps_nine_in_paris_across_the_dst_change(admin, engine, tenant, paris_room):
    change = next_dst_change()
    monday = change - timedelta(days=13)  # two weeks of Mondays and Wednesdays before, three after
    r = book_series(admin, [paris_room], paris_morning(monday), "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10")
    created = data(r, 201)
    assert r.headers["Location"] == f"/api/v1/booking-series/{created['id']}"
    assert r.json()["meta"] == {"capped": False, "booked": 10, "skipped": 0}
    assert created["timezone"] == "Europe/Paris" and created["duration"] == "PT1H"
    assert created["rrule"] == "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10" and created["skipped"] == []
    starts = [datetime.fromisoformat(b["start"]) for b in created["bookings"]]
    assert len(starts) == 10 and all(b["status"] == "confirmed" for b in created["bookings"])
    local = [s.astimezone(PARIS) for s in starts]
    assert all(s.time() == time(9) and s.weekday() in (0, 2) for s in local)
    assert local[0].date() == monday
    # The same wall time is a different UTC hour on each side of the change.
    offsets = {s.utcoffset() for s in local}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    assert all(
        datetime.fromisoformat(b["end"]) - datetime.fromisoformat(b["start"]) == timedelta(hours=1)
        for b in created["bookings"]
    )
    assert data(admin.get(f"/api/v1/booking-series/{created['id']}")) == created
    one = data(admin.get(f"/api/v1/bookings/{created['bookings'][0]['id']}"))
    assert one["series_id"] == created["id"] and one["workflow_id"] == f"booking-{one['id']}"
    assert allocations(engine, tenant.id, active=True) == 10


def test_a_conflict_refuses_the_whole_series_naming_the_dates(admin, engine, tenant, paris_room):
    first = paris_morning(next_dst_change() + timedelta(days=8))
    taken = [first + timedelta(days=2), first + timedelta(days=4, minutes=30)]
    for moment in taken:
        single = {"resources": [paris_room], "start": moment.isoformat(), "duration": "PT30M"}
        data(admin.post("/api/v1/bookings", json=single), 201)
    err = error_of(book_series(admin, [paris_room], first, "FREQ=DAILY;COUNT=7"), 409, "booking_conflict")
    occurrences = err["details"]["occurrences"]
    assert [o["date"] for o in occurrences] == [m.date().isoformat() for m in taken]
    assert all(len(o["conflicts"]) == 1 for o in occurrences)
    assert taken[0].date().isoformat() in err["message"]
    assert allocations(engine, tenant.id) == 2 and series_count(engine, tenant.id) == 0


def test_skip_conflicts_books_the_rest_and_reports_the_dates(admin, engine, tenant, paris_room):
    first = paris_morning(next_dst_change() + timedelta(days=8))
    blocker = {
        "resources": [paris_room],
        "start": (first + timedelta(days=1)).isoformat(),
        "duration": "PT2H",
    }
    other = data(admin.post("/api/v1/bookings", json=blocker), 201)
    r = book_series(admin, [paris_room], first, "FREQ=DAILY;COUNT=5", skip_conflicts=True)
    created = data(r, 201)
    assert r.json()["meta"] == {"capped": False, "booked": 4, "skipped": 1}
    skipped = created["skipped"]
    assert [(s["date"], s["reason"]) for s in skipped] == [
        ((first + timedelta(days=1)).date().isoformat(), "conflict")
    ]
    assert skipped[0]["conflicts"][0]["booking_id"] == other["id"]
    assert len(created["bookings"]) == 4
    assert data(admin.get(f"/api/v1/booking-series/{created['id']}"))["skipped"] == skipped
    assert allocations(engine, tenant.id, active=True) == 5


def test_outside_availability_is_refused_or_skipped(admin, engine, tenant):
    office = make_resource(engine, tenant.id, "Office", hours=(time(9), time(17)), timezone="Europe/Paris")
    start = paris_morning(next_dst_change() + timedelta(days=8)).replace(hour=16)  # 16:00-18:00: too late
    late = {"duration": "PT2H"}
    err = error_of(
        book_series(admin, [office], start, "FREQ=DAILY;COUNT=2", **late), 422, "outside_availability"
    )
    assert [o["date"] for o in err["details"]["occurrences"]] == [
        start.date().isoformat(),
        (start.date() + timedelta(days=1)).isoformat(),
    ]
    err = error_of(
        book_series(admin, [office], start, "FREQ=DAILY;COUNT=2", skip_conflicts=True, **late),
        409,
        "booking_conflict",
    )
    assert [s["reason"] for s in err["details"]["skipped"]] == ["outside_availability"] * 2
    assert allocations(engine, tenant.id) == 0 and series_count(engine, tenant.id) == 0


def test_an_unbounded_rule_is_capped(admin, engine, tenant, paris_room):
    start = paris_morning(datetime.now(UTC).date() + timedelta(days=3))
    r = book_series(admin, [paris_room], start, "RRULE:FREQ=MONTHLY")
    created = data(r, 201)
    assert r.json()["meta"]["capped"] is True and created["capped"] is True
    last = datetime.fromisoformat(created["bookings"][-1]["start"])
    assert last <= start + series.MAX_SPAN and len(created["bookings"]) in (24, 25)
    assert created["rrule"] == f"RRULE:FREQ=MONTHLY;COUNT={len(created['bookings'])}"
    # A daily rule without an end stops at 366 occurrences (expanded only; no need to book them all).
    daily = series.expand("RRULE:FREQ=DAILY", start, PARIS)
    assert daily.capped and len(daily.starts) == series.MAX_OCCURRENCES
    assert all(s.astimezone(PARIS).time() == time(9) for s in daily.starts)
    assert daily.starts[-1].astimezone(PARIS).date() == start.date() + timedelta(days=365)


def ids_of(created: dict[str, Any]) -> list[str]:
    return [b["id"] for b in created["bookings"]]


def statuses(admin: Api, series_id: str) -> list[str]:
    return [b["status"] for b in data(admin.get(f"/api/v1/booking-series/{series_id}"))["bookings"]]


def test_cancel_this_following_or_all(admin, engine, tenant, paris_room):
    start = paris_morning(datetime.now(UTC).date() + timedelta(days=3))
    created = data(book_series(admin, [paris_room], start, "FREQ=DAILY;COUNT=6"), 201)
    ids = ids_of(created)
    one = data(admin.post(f"/api/v1/bookings/{ids[1]}/cancel", json={"reason": "holiday"}))
    assert one["status"] == "cancelled"
    assert statuses(admin, created["id"]) == ["confirmed", "cancelled"] + ["confirmed"] * 4
    r = admin.post(f"/api/v1/bookings/{ids[3]}/cancel", json={"scope": "following"})
    assert data(r)["status"] == "cancelled" and r.json()["meta"]["cancelled"] == ids[3:]
    assert statuses(admin, created["id"]) == ["confirmed", "cancelled", "confirmed"] + ["cancelled"] * 3
    r = admin.post(f"/api/v1/bookings/{ids[5]}/cancel", json={"scope": "all"})
    assert r.json()["meta"]["cancelled"] == [ids[0], ids[2]]
    after = data(admin.get(f"/api/v1/booking-series/{created['id']}"))
    assert after["status"] == "cancelled" and set(statuses(admin, created["id"])) == {"cancelled"}
    assert allocations(engine, tenant.id, active=True) == 0
    # Again changes nothing; a scope on a booking outside a series is refused.
    assert (
        data(admin.post(f"/api/v1/bookings/{ids[0]}/cancel", json={"scope": "all"}))["status"] == "cancelled"
    )
    single = {"resources": [paris_room], "start": iso(at(3, 20)), "duration": "PT1H"}
    alone = data(admin.post("/api/v1/bookings", json=single), 201)
    err = error_of(
        admin.post(f"/api/v1/bookings/{alone['id']}/cancel", json={"scope": "all"}), 422, "validation_failed"
    )
    assert err["details"]["fields"][0]["field"] == "scope"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=SOMETIMES", "FREQ must be one of"),
        ("RRULE:FREQ=HOURLY;COUNT=3", "FREQ must be one of"),
        ("RRULE:FREQ=DAILY;COUNT=367", "may not exceed 366"),
        ("RRULE:FREQ=DAILY;COUNT=0", "at least 1"),
        ("RRULE:FREQ=DAILY;INTERVAL=0", "at least 1"),
        ("RRULE:FREQ=DAILY;COUNT=2;UNTIL=20990101", "not both"),
        ("RRULE:FREQ=DAILY;UNTIL=20990101", "more than 2 years"),
        ("RRULE:FREQ=YEARLY;COUNT=5", "more than 2 years"),
        ("RRULE:FREQ=DAILY;UNTIL=tomorrow", "UNTIL must be a date"),
        ("RRULE:FREQ=WEEKLY;BYDAY=XX", "invalid 'BYDAY'"),
        ("RRULE:FREQ=DAILY;BYHOUR=7", "BYHOUR is not supported"),
        ("DTSTART:20270101T090000\nRRULE:FREQ=DAILY", "one RRULE line"),
        ("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no occurrence"),
        ("RRULE:FREQ", "NAME=VALUE"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(admin, engine, tenant, paris_room, rule, message):
    start = paris_morning(datetime.now(UTC).date() + timedelta(days=3))
    err = error_of(book_series(admin, [paris_room], start, rule), 422, "validation_failed")
    assert [(f["field"], message in f["message"]) for f in err["details"]["fields"]] == [
        ("recurrence", True)
    ], err
    assert allocations(engine, tenant.id) == 0 and series_count(engine, tenant.id) == 0


def test_other_bad_series_input(admin, engine, tenant, paris_room):
    start = paris_morning(datetime.now(UTC).date() + timedelta(days=3))
    err = error_of(
        book_series(admin, [paris_room], start, "FREQ=DAILY;COUNT=2", timezone="Mars/Olympus"),
        422,
        "validation_failed",
    )
    assert err["details"]["fields"][0]["field"] == "timezone"
    # Two-day occurrences every day would hold the room twice at once.
    err = error_of(
        book_series(admin, [paris_room], start, "FREQ=DAILY;COUNT=3", duration="P2D"),
        422,
        "validation_failed",
    )
    assert "overlap" in err["details"]["fields"][0]["message"]
    single = {
        "resources": [paris_room],
        "start": start.isoformat(),
        "duration": "PT1H",
        "skip_conflicts": True,
    }
    err = error_of(admin.post("/api/v1/bookings", json=single), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "skip_conflicts"
    assert allocations(engine, tenant.id) == 0 and series_count(engine, tenant.id) == 0


def test_another_tenants_series_is_not_found(admin, api, make_tenant, paris_room):
    start = paris_morning(datetime.now(UTC).date() + timedelta(days=3))
    created = data(book_series(admin, [paris_room], start, "FREQ=DAILY;COUNT=2"), 201)
    stranger = api(make_tenant("Other").api_key)
    error_of(stranger.get(f"/api/v1/booking-series/{created['id']}"), 404, "not_found")
    error_of(admin.get(f"/api/v1/booking-series/{uuid.uuid4()}"), 404, "not_found")

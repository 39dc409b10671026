"""Rescheduling through the live stack: move one booking (its old time freed, the new one held), a taken
slot refused with the old one still held, shifting the following occurrences of a series in local wall
time, the late-change policy, and bookings that can no longer move."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from db.models import OutboxEvent
from db.models.scheduling import Booking
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of
from tests.api.test_booking_series import next_dst_change
from tests.api.test_bookings import allocations, at, book, iso, make_resource, soon

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def room(engine, tenant) -> str:
    return make_resource(engine, tenant.id)


def move(admin: Api, booking_id: str, start: datetime, **extra: Any) -> Any:
    body: dict[str, Any] = {"start": iso(start)}
    if "end" not in extra:
        body["duration"] = "PT1H"
    return admin.patch(f"/api/v1/bookings/{booking_id}", json=body | extra)


def test_move_one_booking_frees_the_old_time(admin, engine, tenant, room):
    booking = data(book(admin, [room], at(3, 10)), 201)
    r = move(admin, booking["id"], at(3, 14), end=iso(at(3, 15, 30)))
    moved = data(r)
    assert r.json()["meta"]["moved"] == [booking["id"]]
    assert (moved["start"], moved["end"]) == (iso(at(3, 14)), iso(at(3, 15, 30)))
    assert [(a["start"], a["end"], a["active"]) for a in moved["allocations"]] == [
        (iso(at(3, 14)), iso(at(3, 15, 30)), True)
    ]
    assert moved["status"] == "held" and moved["hold_expires_at"] == booking["hold_expires_at"]
    assert allocations(engine, tenant.id, active=True) == 1
    data(book(admin, [room], at(3, 10)), 201)  # the old time is free again
    with tenant_session(engine, tenant.id) as session:
        event = session.scalar(select(OutboxEvent).where(OutboxEvent.type == "booking.rescheduled"))
    assert event is not None and event.payload["start"] == at(3, 14).isoformat()


def test_a_move_overlapping_its_own_time_is_no_conflict(admin, room):
    booking = data(book(admin, [room], at(3, 10)), 201)
    assert data(move(admin, booking["id"], at(3, 10, 30)))["start"] == iso(at(3, 10, 30))


def test_moving_into_a_taken_slot_keeps_the_old_one(admin, engine, tenant, room):
    mine = data(book(admin, [room], at(3, 10)), 201)
    theirs = data(book(admin, [room], at(3, 14)), 201)
    err = error_of(move(admin, mine["id"], at(3, 14, 30)), 409, "booking_conflict")
    assert [c["booking_id"] for c in err["details"]["conflicts"]] == [theirs["id"]]
    assert err["details"]["alternatives"][0]["start"] == iso(at(3, 15))
    after = data(admin.get(f"/api/v1/bookings/{mine['id']}"))
    assert after["start"] == iso(at(3, 10)) and [a["active"] for a in after["allocations"]] == [True]
    error_of(book(admin, [room], at(3, 10)), 409, "booking_conflict")  # still held
    assert allocations(engine, tenant.id, active=True) == 2


def test_shift_the_following_occurrences_in_local_time(admin, engine, tenant):
    salle = make_resource(engine, tenant.id, "Salle", timezone="Europe/Paris")
    first = datetime.combine(next_dst_change() - timedelta(days=2), time(9), tzinfo=PARIS)
    body = {
        "resources": [salle],
        "start": first.isoformat(),
        "duration": "PT1H",
        "recurrence": "RRULE:FREQ=DAILY;COUNT=5",
        "requires_confirmation": False,
    }
    created = data(admin.post("/api/v1/bookings", json=body), 201)
    ids = [b["id"] for b in created["bookings"]]
    second = datetime.fromisoformat(created["bookings"][1]["start"])
    r = move(admin, ids[1], second + timedelta(hours=1), duration="PT90M", scope="following")
    assert r.json()["meta"]["moved"] == ids[1:]
    after = data(admin.get(f"/api/v1/booking-series/{created['id']}"))["bookings"]
    local = [datetime.fromisoformat(b["start"]).astimezone(PARIS) for b in after]
    # 09:00 became 10:00 from the second day on, before and after the clocks change.
    assert [s.time() for s in local] == [time(9)] + [time(10)] * 4
    assert [datetime.fromisoformat(b["end"]) - datetime.fromisoformat(b["start"]) for b in after] == [
        timedelta(hours=1)
    ] + [timedelta(minutes=90)] * 4
    # All: an hour earlier, each by the same change of local time (all or nothing).
    r = move(admin, ids[0], first - timedelta(hours=1), scope="all")
    assert r.json()["meta"]["moved"] == ids
    after = data(admin.get(f"/api/v1/booking-series/{created['id']}"))["bookings"]
    clock = [datetime.fromisoformat(b["start"]).astimezone(PARIS).time() for b in after]
    assert clock == [time(8)] + [time(9)] * 4


def test_a_shift_into_a_taken_slot_moves_nothing(admin, engine, tenant, room):
    body = {
        "resources": [room],
        "start": iso(at(3, 9)),
        "duration": "PT1H",
        "recurrence": "FREQ=DAILY;COUNT=3",
    }
    created = data(admin.post("/api/v1/bookings", json=body), 201)
    ids = [b["id"] for b in created["bookings"]]
    data(book(admin, [room], at(5, 11)), 201)
    err = error_of(move(admin, ids[0], at(3, 11), scope="all"), 409, "booking_conflict")
    assert [o["date"] for o in err["details"]["occurrences"]] == [at(5, 11).date().isoformat()]
    after = data(admin.get(f"/api/v1/booking-series/{created['id']}"))["bookings"]
    assert [b["start"] for b in after] == [iso(at(d, 9)) for d in (3, 4, 5)]
    assert allocations(engine, tenant.id, active=True) == 4


def test_a_late_reschedule_needs_the_fee_accepted(admin, engine, tenant, room):
    booking = data(book(admin, [room], soon(), requires_confirmation=False), 201)
    err = error_of(move(admin, booking["id"], at(3, 10)), 409, "late_reschedule")
    assert "accept_fee" in err["message"] and err["details"]["free_cancellation_hours"] == 24
    assert data(admin.get(f"/api/v1/bookings/{booking['id']}"))["start"] == booking["start"]
    moved = data(move(admin, booking["id"], at(3, 10), accept_fee=True))
    assert moved["start"] == iso(at(3, 10)) and moved["details"]["late_reschedule"] is True
    # An early reschedule (or an unconfirmed hold) costs nothing.
    held = data(book(admin, [room], soon() + timedelta(hours=2)), 201)
    assert "late_reschedule" not in data(move(admin, held["id"], at(4, 10)))["details"]


def test_a_started_cancelled_or_expired_booking_cannot_move(admin, engine, tenant, room):
    booking = data(book(admin, [room], at(3, 10), requires_confirmation=False), 201)
    with tenant_session(engine, tenant.id) as session:
        session.execute(
            update(Booking)
            .where(Booking.id == uuid.UUID(booking["id"]))
            .values(start_at=datetime.now(UTC) - timedelta(minutes=5))
        )
    err = error_of(move(admin, booking["id"], at(4, 10), accept_fee=True), 409, "booking_started")
    assert "start" in err["details"]
    cancelled = data(book(admin, [room], at(3, 12)), 201)
    data(admin.post(f"/api/v1/bookings/{cancelled['id']}/cancel"))
    err = error_of(move(admin, cancelled["id"], at(4, 12)), 409, "booking_not_active")
    assert err["details"] == {"status": "cancelled"}
    with tenant_session(engine, tenant.id) as session:
        session.execute(
            update(Booking).where(Booking.id == uuid.UUID(cancelled["id"])).values(status="expired")
        )
    error_of(move(admin, cancelled["id"], at(4, 12)), 409, "booking_not_active")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end": -1}, "end"),
        ({"start": "past"}, "start"),
        ({"duration": "PT0S"}, "duration"),
        ({"scope": "following"}, "scope"),
        ({"scope": "some"}, "scope"),
    ],
)
def test_bad_reschedules_change_nothing(admin, room, change, field):
    booking = data(book(admin, [room], at(3, 10)), 201)
    body: dict[str, Any] = {"start": iso(at(3, 12)), "duration": "PT1H"}
    for key, value in change.items():
        if key == "end":
            body.pop("duration")
            body["end"] = iso(at(3, 12) + timedelta(hours=value))
        elif value == "past":
            body["start"] = iso(datetime.now(UTC) - timedelta(hours=1))
        else:
            body[key] = value
    err = error_of(admin.patch(f"/api/v1/bookings/{booking['id']}", json=body), 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == [field], err
    assert data(admin.get(f"/api/v1/bookings/{booking['id']}"))["start"] == iso(at(3, 10))


def test_outside_availability_and_other_tenants(admin, api, engine, tenant, make_tenant):
    office = make_resource(engine, tenant.id, "Office", hours=(time(9), time(17)))
    booking = data(book(admin, [office], at(3, 10)), 201)
    err = error_of(move(admin, booking["id"], at(3, 16, 30)), 422, "outside_availability")
    assert err["details"]["resources"][0]["resource_id"] == office
    stranger = api(make_tenant("Other").api_key)
    error_of(move(stranger, booking["id"], at(3, 12)), 404, "not_found")
    assert data(admin.get(f"/api/v1/bookings/{booking['id']}"))["start"] == iso(at(3, 10))

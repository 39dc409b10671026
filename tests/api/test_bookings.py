"""Bookings through the live stack: all-or-nothing holds, conflicts answered with alternatives, buffers,
50 concurrent requests for one slot, confirm, cancel with its policy, no-show, and bad input."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from db.models import AuditLog, OutboxEvent
from db.models.scheduling import Allocation, AvailabilityRule, Booking, Resource
from db.session import tenant_session
from tests.api import entity_helpers
from tests.api.conftest import Api, data, error_of

ALWAYS = (time(0), time(0))  # 00:00-00:00: the whole day


def make_resource(
    engine: Any,
    tenant_id: uuid.UUID,
    name: str = "Room",
    *,
    before: int = 0,
    after: int = 0,
    hours: tuple[time, time] = ALWAYS,
    timezone: str = "UTC",
) -> str:
    with tenant_session(engine, tenant_id) as session:
        resource = Resource(
            tenant_id=tenant_id,
            name=name,
            kind="room",
            timezone=timezone,
            tags=[],
            capacity=1,
            buffer_before_seconds=before,
            buffer_after_seconds=after,
        )
        session.add(resource)
        session.flush()
        session.add(
            AvailabilityRule(
                tenant_id=tenant_id,
                resource_id=resource.id,
                kind="weekly",
                weekdays=list(range(7)),
                start_time=hours[0],
                end_time=hours[1],
            )
        )
        return str(resource.id)


def allocations(engine: Any, tenant_id: uuid.UUID, *, active: bool | None = None) -> int:
    with tenant_session(engine, tenant_id) as session:
        stmt = select(func.count()).select_from(Allocation).where(Allocation.tenant_id == tenant_id)
        if active is not None:
            stmt = stmt.where(Allocation.active.is_(active))
        return int(session.scalar(stmt) or 0)


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in UTC some days from today."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def iso(moment: datetime) -> str:
    """As the API writes UTC times."""
    return moment.isoformat().replace("+00:00", "Z")


def book(admin: Api, resources: list[str], start: datetime, **extra: Any) -> httpx.Response:
    body: dict[str, Any] = {"resources": resources, "start": iso(start), "subject": "Planning"}
    if "end" not in extra and "duration" not in extra:
        body["duration"] = "PT1H"
    return admin.post("/api/v1/bookings", json=body | extra)


@pytest.fixture
def room(engine, tenant) -> str:
    return make_resource(engine, tenant.id)


def test_book_holds_every_resource_and_reads_back(admin, engine, tenant, room):
    projector = make_resource(engine, tenant.id, "Projector", before=600, after=900)
    start = at(3, 10)
    before = datetime.now(UTC)
    r = book(admin, [room, projector], start, end=iso(start + timedelta(minutes=90)), details={"seats": 4})
    booking = data(r, 201)
    assert r.headers["Location"] == f"/api/v1/bookings/{booking['id']}"
    assert booking["status"] == "held" and booking["requires_confirmation"] is True
    assert booking["workflow_id"] == f"booking-{booking['id']}" and booking["details"] == {"seats": 4}
    expires = datetime.fromisoformat(booking["hold_expires_at"])
    assert before + timedelta(minutes=10) <= expires <= datetime.now(UTC) + timedelta(minutes=10)
    spans = {a["resource_id"]: (a["start"], a["end"], a["active"]) for a in booking["allocations"]}
    assert spans[room] == (iso(start), iso(start + timedelta(minutes=90)), True)
    # The projector's buffers widen what it holds: 10 minutes before, 15 after.
    assert spans[projector] == (
        iso(start - timedelta(minutes=10)),
        iso(start + timedelta(minutes=105)),
        True,
    )
    assert data(admin.get(f"/api/v1/bookings/{booking['id']}")) == booking

    listed = data(admin.get("/api/v1/bookings", params={"resource": projector, "status": "held"}))
    assert [b["id"] for b in listed] == [booking["id"]]
    window = {"from": iso(start + timedelta(hours=2)), "to": iso(start + timedelta(hours=3))}
    assert data(admin.get("/api/v1/bookings", params=window)) == []
    with tenant_session(engine, tenant.id) as session:
        kinds = session.scalars(select(OutboxEvent.type).where(OutboxEvent.tenant_id == tenant.id)).all()
        audited = session.scalars(select(AuditLog.action).where(AuditLog.entity_id == booking["id"])).all()
    assert "booking.held" in kinds and audited == ["booking.created"]


def test_without_confirmation_a_booking_is_confirmed_at_once(admin, room):
    booking = data(book(admin, [room], at(3, 9), requires_confirmation=False), 201)
    assert booking["status"] == "confirmed" and booking["hold_expires_at"] is None
    assert booking["confirmed_at"] is not None


def test_list_pages_with_a_cursor(admin, room):
    ids = [data(book(admin, [room], at(4, h)), 201)["id"] for h in (8, 10, 12)]
    first = admin.get("/api/v1/bookings", params={"limit": 2}).json()
    assert [b["id"] for b in first["data"]] == ids[::-1][:2]
    rest = data(admin.get("/api/v1/bookings", params={"limit": 2, "cursor": first["meta"]["next_cursor"]}))
    assert [b["id"] for b in rest] == [ids[0]]


def test_a_conflict_answers_409_with_what_is_in_the_way_and_alternatives(admin, engine, tenant, room):
    other = make_resource(engine, tenant.id, "Other room")
    start = at(3, 10)
    first = data(book(admin, [room], start), 201)
    held = allocations(engine, tenant.id)
    # All or nothing: the free room is not held either.
    err = error_of(book(admin, [other, room], start + timedelta(minutes=30)), 409, "booking_conflict")
    assert err["details"]["conflicts"] == [
        {
            "resource_id": room,
            "start": iso(start),
            "end": iso(start + timedelta(hours=1)),
            "booking_id": first["id"],
        }
    ]
    # The next free hours for both rooms on the 15-minute grid, from the asked start on.
    assert [a["start"] for a in err["details"]["alternatives"]] == [
        iso(start + timedelta(minutes=m)) for m in (60, 75, 90)
    ]
    assert all(
        datetime.fromisoformat(a["end"]) - datetime.fromisoformat(a["start"]) == timedelta(hours=1)
        for a in err["details"]["alternatives"]
    )
    assert allocations(engine, tenant.id) == held
    # Touching is not overlapping: [11:00, 12:00) fits right after [10:00, 11:00).
    data(book(admin, [other, room], start + timedelta(hours=1)), 201)


def test_buffers_cause_conflicts(admin, engine, tenant):
    cleaned = make_resource(engine, tenant.id, "Operating room", after=1800)  # 30 min cleaning after
    start = at(3, 10)
    data(book(admin, [cleaned], start), 201)
    err = error_of(book(admin, [cleaned], start + timedelta(minutes=75)), 409, "booking_conflict")
    assert err["details"]["conflicts"][0]["end"] == iso(start + timedelta(minutes=90))
    assert err["details"]["alternatives"][0]["start"] == iso(start + timedelta(minutes=90))
    data(book(admin, [cleaned], start + timedelta(minutes=90)), 201)


def test_fifty_concurrent_requests_for_one_slot_exactly_one_wins(live, admin, engine, tenant, room):
    start = at(5, 14)
    body = {"resources": [room], "start": iso(start), "duration": "PT45M", "subject": "Race"}
    barrier = threading.Barrier(50)
    headers = {"Authorization": f"Bearer {tenant.api_key}"}
    with httpx.Client(base_url=live.url, headers=headers, timeout=60) as client:

        def attempt(_: int) -> httpx.Response:
            barrier.wait()
            return client.post("/api/v1/bookings", json=body)

        with ThreadPoolExecutor(max_workers=50) as pool:
            responses = list(pool.map(attempt, range(50)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 49, [r.text for r in responses if r.status_code not in (201, 409)]
    winner = next(r.json()["data"]["id"] for r in responses if r.status_code == 201)
    for r in responses:
        if r.status_code == 409:
            assert r.json()["error"]["details"]["conflicts"][0]["booking_id"] == winner
    assert allocations(engine, tenant.id, active=True) == 1
    assert allocations(engine, tenant.id) == 1


def test_concurrent_requests_naming_the_resources_in_either_order_never_deadlock(live, engine, tenant):
    rooms = [make_resource(engine, tenant.id, f"Room {i}") for i in range(2)]
    start = at(5, 9)
    barrier = threading.Barrier(20)
    headers = {"Authorization": f"Bearer {tenant.api_key}"}
    with httpx.Client(base_url=live.url, headers=headers, timeout=60) as client:

        def attempt(i: int) -> int:
            body = {"resources": rooms[:: 1 if i % 2 else -1], "start": iso(start), "duration": "PT30M"}
            barrier.wait()
            return client.post("/api/v1/bookings", json=body).status_code

        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = sorted(pool.map(attempt, range(20)))
    assert statuses == [201] + [409] * 19
    assert allocations(engine, tenant.id, active=True) == 2


def test_confirm_a_held_booking(admin, room):
    booking = data(book(admin, [room], at(3, 10)), 201)
    confirmed = data(admin.post(f"/api/v1/bookings/{booking['id']}/confirm"))
    assert confirmed["status"] == "confirmed" and confirmed["confirmed_at"] is not None
    assert data(admin.post(f"/api/v1/bookings/{booking['id']}/confirm"))["status"] == "confirmed"


def test_an_expired_or_cancelled_booking_cannot_be_confirmed(admin, engine, tenant, room):
    cancelled = data(book(admin, [room], at(3, 10)), 201)
    data(admin.post(f"/api/v1/bookings/{cancelled['id']}/cancel", json={"reason": "changed plans"}))
    err = error_of(admin.post(f"/api/v1/bookings/{cancelled['id']}/confirm"), 409, "booking_not_active")
    assert err["details"] == {"status": "cancelled"}
    late = data(book(admin, [room], at(3, 12)), 201)
    with tenant_session(engine, tenant.id) as session:  # the hold's time is up; the timer has not fired
        session.execute(
            update(Booking)
            .where(Booking.id == uuid.UUID(late["id"]))
            .values(hold_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    error_of(admin.post(f"/api/v1/bookings/{late['id']}/confirm"), 409, "hold_expired")


def test_cancel_frees_the_slot_at_once(admin, engine, tenant, room):
    start = at(3, 10)
    booking = data(book(admin, [room], start, requires_confirmation=False), 201)
    cancelled = data(admin.post(f"/api/v1/bookings/{booking['id']}/cancel", json={"reason": "rain"}))
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "rain"
    assert cancelled["late_cancellation"] is False and cancelled["cancelled_at"] is not None
    assert [a["active"] for a in cancelled["allocations"]] == [False]
    again = data(book(admin, [room], start), 201)
    assert again["status"] == "held"
    # Cancelling again changes nothing.
    assert (
        data(admin.post(f"/api/v1/bookings/{booking['id']}/cancel"))["cancelled_at"]
        == cancelled["cancelled_at"]
    )
    with tenant_session(engine, tenant.id) as session:
        event = session.scalar(
            select(OutboxEvent).where(
                OutboxEvent.tenant_id == tenant.id, OutboxEvent.type == "booking.cancelled"
            )
        )
    assert event is not None and event.payload["booking_id"] == booking["id"]


def soon() -> datetime:
    """A start within the next 24 hours, on the quarter hour."""
    now = datetime.now(UTC) + timedelta(hours=2)
    return now.replace(minute=0, second=0, microsecond=0)


def test_late_cancellation_needs_the_fee_accepted(admin, engine, tenant, room):
    booking = data(book(admin, [room], soon(), requires_confirmation=False), 201)
    url = f"/api/v1/bookings/{booking['id']}/cancel"
    err = error_of(admin.post(url, json={"reason": "ill"}), 409, "late_cancellation")
    assert "accept_fee" in err["message"] and err["details"]["free_cancellation_hours"] == 24
    assert data(admin.get(f"/api/v1/bookings/{booking['id']}"))["status"] == "confirmed"
    assert allocations(engine, tenant.id, active=True) == 1
    cancelled = data(admin.post(url, json={"reason": "ill", "accept_fee": True}))
    assert cancelled["status"] == "cancelled" and cancelled["late_cancellation"] is True
    assert allocations(engine, tenant.id, active=True) == 0


def test_an_unconfirmed_hold_or_an_early_cancellation_costs_nothing(admin, room):
    held = data(book(admin, [room], soon()), 201)
    assert data(admin.post(f"/api/v1/bookings/{held['id']}/cancel"))["late_cancellation"] is False
    early = data(book(admin, [room], at(3, 10), requires_confirmation=False), 201)
    assert data(admin.post(f"/api/v1/bookings/{early['id']}/cancel"))["late_cancellation"] is False


def test_no_show_only_after_the_start(admin, engine, tenant, room):
    booking = data(book(admin, [room], at(3, 10), requires_confirmation=False), 201)
    url = f"/api/v1/bookings/{booking['id']}/no-show"
    error_of(admin.post(url), 409, "not_started")
    with tenant_session(engine, tenant.id) as session:
        session.execute(
            update(Booking)
            .where(Booking.id == uuid.UUID(booking["id"]))
            .values(start_at=datetime.now(UTC) - timedelta(minutes=5))
        )
    assert data(admin.post(url))["status"] == "no_show"
    error_of(admin.post(f"/api/v1/bookings/{booking['id']}/cancel"), 409, "booking_not_active")


def test_a_live_entity_can_be_named(admin, room):
    entity_helpers.customer_type(admin)
    customer = entity_helpers.create(admin, {"name": "Ada"})
    booking = data(book(admin, [room], at(3, 10), entity_id=customer["id"]), 201)
    assert booking["entity_id"] == customer["id"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end": -1}, "end", "must be after start"),
        ({"end": 0}, "end", "must be after start"),
        ({"duration": "PT0S"}, "duration", "longer than zero"),
        ({"duration": "-PT1H"}, "duration", "not an ISO 8601 duration"),
        ({"duration": "PT1H", "end": 1}, "duration", "not both"),
        ({"duration": None}, "end", "either end or duration"),
        ({"hold": "PT0S"}, "hold", "longer than zero"),
        ({"hold": "P2D"}, "hold", "P1D"),
        ({"resources": "twice"}, "resources", "twice"),
        ({"resources": []}, "resources", "at least 1"),
        ({"start": "naive"}, "start", "timezone"),
        ({"start": "past"}, "start", "in the past"),
        ({"recurrence": "RRULE:FREQ=SOMETIMES"}, "recurrence", "FREQ must be"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_held(admin, engine, tenant, room, change, field, message):
    start = at(3, 10)
    body: dict[str, Any] = {"resources": [room], "start": iso(start), "duration": "PT1H"}
    special = {
        "twice": [room, room],
        "naive": start.replace(tzinfo=None).isoformat(),
        "past": iso(datetime.now(UTC) - timedelta(minutes=1)),
    }
    for key, value in change.items():
        if key == "end":  # hours after the start
            body.pop("duration")
            body["end"] = iso(start + timedelta(hours=value))
    for key, value in change.items():
        if value is None:
            body.pop(key)
        elif key != "end":
            body[key] = special.get(value, value) if isinstance(value, str) else value
    err = error_of(admin.post("/api/v1/bookings", json=body), 422, "validation_failed")
    assert [(f["field"], message in f["message"]) for f in err["details"]["fields"]] == [(field, True)], err
    assert allocations(engine, tenant.id) == 0


def test_domain_checks_are_refused_and_nothing_is_held(admin, engine, tenant, room):
    err = error_of(book(admin, [room], at(3, 10), entity_id=str(uuid.uuid4())), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "entity_id"
    office = make_resource(engine, tenant.id, "Office", hours=(time(9), time(17)))
    err = error_of(book(admin, [room, office], at(3, 16, 30)), 422, "outside_availability")
    assert err["details"]["resources"] == [
        {"resource_id": office, "name": "Office", "reason": "outside_working_hours"}
    ]
    too_many = [make_resource(engine, tenant.id, f"R{i}") for i in range(11)]
    error_of(book(admin, too_many, at(3, 10)), 422, "validation_failed")
    assert allocations(engine, tenant.id) == 0


def test_another_tenants_resource_or_booking_is_not_found(admin, api, engine, make_tenant, room):
    other = make_tenant("Other")
    theirs = make_resource(engine, other.id, "Their room")
    error_of(book(admin, [room, theirs], at(3, 10)), 404, "not_found")
    error_of(book(admin, [str(uuid.uuid4())], at(3, 10)), 404, "not_found")
    assert allocations(engine, other.id) == 0
    mine = data(book(admin, [room], at(3, 10)), 201)
    stranger = api(other.api_key)
    error_of(stranger.get(f"/api/v1/bookings/{mine['id']}"), 404, "not_found")
    error_of(stranger.post(f"/api/v1/bookings/{mine['id']}/cancel"), 404, "not_found")
    assert data(stranger.get("/api/v1/bookings")) == []

"""No slot is offered, and no booking may start, before now plus the resource's minimum notice: through
GET /availability, POST /availability/search, POST /bookings (single and recurring) and reschedule."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models.scheduling import Allocation, Resource
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of

ALWAYS = {"kind": "weekly", "weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "24:00"}


def resource(admin: Api, tag: str | None = None, **extra: Any) -> dict[str, Any]:
    body = {"name": f"r-{uuid.uuid4().hex[:6]}", "kind": "room", "timezone": "UTC"} | extra
    if tag:
        body["tags"] = [tag]
    created = data(admin.post("/api/v1/resources", json=body), 201)
    data(admin.post(f"/api/v1/resources/{created['id']}/availability-rules", json=ALWAYS), 201)
    return created


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def slot_starts(admin: Api, rid: str, start: datetime, end: datetime) -> list[datetime]:
    params = {"resources": rid, "duration": "PT15M", "from": iso(start), "to": iso(end), "limit": 2000}
    return [when(s["start"]) for s in data(admin.get("/api/v1/availability", params=params))]


def bookings_of(engine: Any, tenant_id: uuid.UUID, rid: str) -> int:
    with tenant_session(engine, tenant_id) as session:
        stmt = select(func.count()).select_from(Allocation).where(Allocation.resource_id == uuid.UUID(rid))
        return int(session.scalar(stmt) or 0)


def test_a_window_that_starts_in_the_past_offers_nothing_before_now(admin) -> None:
    room = resource(admin)
    before = datetime.now(UTC)
    starts = slot_starts(admin, room["id"], before - timedelta(days=2), before + timedelta(hours=3))
    assert starts and min(starts) >= before
    # The first start is the first grid step from now on: nothing was lost but the past.
    assert min(starts) - before <= timedelta(minutes=15) + timedelta(seconds=30)


def test_with_a_notice_nothing_before_now_plus_the_notice(admin) -> None:
    room = resource(admin, minimum_notice="PT2H")
    assert room["minimum_notice"] == "PT2H"
    before = datetime.now(UTC)
    starts = slot_starts(admin, room["id"], before - timedelta(hours=1), before + timedelta(hours=6))
    assert starts and min(starts) >= before + timedelta(hours=2)
    assert min(starts) <= datetime.now(UTC) + timedelta(hours=2, minutes=15)
    # Of two resources queried together, the longer notice applies.
    plain = resource(admin)
    params = {
        "resources": f"{plain['id']},{room['id']}",
        "duration": "PT15M",
        "from": iso(before),
        "to": iso(before + timedelta(hours=6)),
    }
    both = [when(s["start"]) for s in data(admin.get("/api/v1/availability", params=params))]
    assert both and min(both) >= before + timedelta(hours=2)


def test_search_earliest_starts_no_sooner_than_the_notice(admin) -> None:
    tag = f"notice-{uuid.uuid4().hex[:6]}"
    quick, slow = resource(admin, tag), resource(admin, tag, minimum_notice="PT2H")
    before = datetime.now(UTC)
    window = {"from": iso(before - timedelta(days=1)), "to": iso(before + timedelta(days=1))}
    body = {"requirements": [{"tag": tag, "count": 1}], "duration": "PT30M", "window": window, "limit": 3}
    options = data(admin.post("/api/v1/availability/search", json=body))
    assert options and all(when(o["start"]) >= before for o in options)
    assert options[0]["resources"][0]["id"] == quick["id"]  # only it is free this soon
    body["requirements"] = [{"tag": tag, "count": 2}]  # both: the longer notice applies
    options = data(admin.post("/api/v1/availability/search", json=body))
    assert options and when(options[0]["start"]) >= before + timedelta(hours=2)
    assert {r["id"] for r in options[0]["resources"]} == {quick["id"], slow["id"]}
    named = {"requirements": [{"resource": slow["id"]}], "duration": "PT30M", "window": window}
    assert when(
        data(admin.post("/api/v1/availability/search", json=named))[0]["start"]
    ) >= before + timedelta(hours=2)


def test_a_booking_inside_the_notice_is_refused_and_nothing_is_stored(admin, engine, tenant) -> None:
    room = resource(admin, minimum_notice="PT2H")
    soon = datetime.now(UTC) + timedelta(hours=1)
    body = {"resources": [room["id"]], "start": iso(soon), "duration": "PT30M"}
    error = error_of(admin.post("/api/v1/bookings", json=body), 422, "validation_failed")
    assert error["details"]["fields"][0]["field"] == "start"
    assert "minimum notice" in error["details"]["fields"][0]["message"]
    # A recurring booking whose first occurrence is inside the notice: refused too.
    series = body | {"recurrence": "RRULE:FREQ=DAILY;COUNT=3"}
    assert error_of(admin.post("/api/v1/bookings", json=series), 422, "validation_failed")
    assert bookings_of(engine, tenant.id, room["id"]) == 0
    later = datetime.now(UTC) + timedelta(hours=3)
    booking = data(admin.post("/api/v1/bookings", json=body | {"start": iso(later)}), 201)
    # Moving it inside the notice is refused and leaves it where it was.
    move = {"start": iso(soon), "duration": "PT30M", "accept_fee": True}
    moved = admin.patch(f"/api/v1/bookings/{booking['id']}", json=move)
    assert error_of(moved, 422, "validation_failed")["details"]["fields"][0]["field"] == "start"
    assert data(admin.get(f"/api/v1/bookings/{booking['id']}"))["start"] == booking["start"]
    assert bookings_of(engine, tenant.id, room["id"]) == 1


@pytest.mark.parametrize("notice", ["P366D", "2 hours", 7200, "PT-1H", "P99999999999999999999D"])
def test_a_bad_notice_is_refused_and_nothing_is_written(admin, engine, tenant, notice) -> None:
    name = f"bad-{uuid.uuid4().hex[:6]}"
    body = {"name": name, "kind": "room", "timezone": "UTC", "minimum_notice": notice}
    error = error_of(admin.post("/api/v1/resources", json=body), 422, "validation_failed")
    assert [f["field"] for f in error["details"]["fields"]] == ["minimum_notice"]
    with tenant_session(engine, tenant.id) as session:
        assert session.scalar(select(func.count()).select_from(Resource).where(Resource.name == name)) == 0


def test_the_notice_is_shown_replaced_and_cleared(admin, engine, tenant) -> None:
    room = resource(admin, minimum_notice="P1DT2H")
    assert room["minimum_notice"] == "P1DT2H"
    assert resource(admin)["minimum_notice"] == "PT0S"
    body = {"name": room["name"], "kind": "room", "timezone": "UTC", "minimum_notice": "P365D"}
    assert data(admin.put(f"/api/v1/resources/{room['id']}", json=body))["minimum_notice"] == "P365D"
    body.pop("minimum_notice")
    assert data(admin.put(f"/api/v1/resources/{room['id']}", json=body))["minimum_notice"] == "PT0S"
    with tenant_session(engine, tenant.id) as session:
        assert session.get(Resource, uuid.UUID(room["id"])).minimum_notice_seconds == 0  # type: ignore[union-attr]


def test_moving_a_series_inside_the_notice_is_refused(admin, engine, tenant) -> None:
    room = resource(admin, minimum_notice="PT2H")
    first = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    body = {"resources": [room["id"]], "start": iso(first), "duration": "PT30M"}
    created = admin.post("/api/v1/bookings", json=body | {"recurrence": "RRULE:FREQ=DAILY;COUNT=3"})
    assert created.status_code == 201, created.text
    listed = data(admin.get("/api/v1/bookings", params={"resource": room["id"]}))
    head = min(listed, key=lambda b: b["start"])
    move = {"start": iso(first - timedelta(hours=2)), "duration": "PT30M", "scope": "all", "accept_fee": True}
    error = error_of(admin.patch(f"/api/v1/bookings/{head['id']}", json=move), 422, "validation_failed")
    assert error["details"]["fields"][0]["field"] == "start"
    after = data(admin.get("/api/v1/bookings", params={"resource": room["id"]}))
    assert sorted(b["start"] for b in after) == sorted(b["start"] for b in listed)  # nothing moved
    assert bookings_of(engine, tenant.id, room["id"]) == 3

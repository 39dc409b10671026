"""A member changes only the bookings (and series) it made; ``bookings:manage`` changes anyone's."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from db.models.scheduling import Booking
from db.session import tenant_session
from domain.identity.permissions import MEMBER_DEFAULT
from tests.api.conftest import Api, data, error_of
from tests.api.test_bookings import allocations, at, book, iso, make_resource
from tests.conftest import TenantFixture

PASSWORD = "a-long-password"


@dataclass
class People:
    admin: Api
    owner: Api
    other: Api
    manager: Api
    room: str


@pytest.fixture
def people(admin: Api, api: Callable[[str | None], Api], engine: Any, tenant: TenantFixture) -> People:
    """Two members and a front-desk manager (a member with ``bookings:manage``)."""
    desk = {"name": "desk", "permissions": [*MEMBER_DEFAULT, "bookings:manage"]}
    data(admin.post("/api/v1/roles", json=desk), 201)
    signed_in = {}
    for name, role in (("owner", "member"), ("other", "member"), ("manager", "desk")):
        email = f"{name}@{tenant.domain}"
        body = {"email": email, "password": PASSWORD, "roles": [role]}
        data(admin.post("/api/v1/users", json=body), 201)
        signed_in[name] = api(None).login(email, PASSWORD)
    return People(admin, **signed_in, room=make_resource(engine, tenant.id))


def _started(engine: Any, tenant_id: uuid.UUID, booking_id: str) -> None:
    """Move the start into the past, as a no-show needs."""
    with tenant_session(engine, tenant_id) as session:
        session.execute(
            update(Booking)
            .where(Booking.id == uuid.UUID(booking_id))
            .values(start_at=datetime.now(UTC) - timedelta(minutes=5))
        )


# action: (method, path suffix, body, whether the booking is held rather than confirmed, started)
ACTIONS: dict[str, tuple[str, str, dict[str, Any] | None, bool, bool]] = {
    "confirm": ("post", "/confirm", None, True, False),
    "cancel": ("post", "/cancel", {"reason": "not mine"}, False, False),
    "reschedule": ("patch", "", None, False, False),  # to 5 days from now, at ``hour``
    "no-show": ("post", "/no-show", None, False, True),
}


def _act(who: Api, action: str, booking_id: str, hour: int = 14) -> httpx.Response:
    method, suffix, body, _, _ = ACTIONS[action]
    if action == "reschedule":
        body = {"start": iso(at(5, hour)), "duration": "PT30M"}
    call = getattr(who, method)
    return call(f"/api/v1/bookings/{booking_id}{suffix}", **({"json": body} if body else {}))


@pytest.mark.parametrize("action", list(ACTIONS))
def test_only_the_owner_or_a_manager_changes_a_booking(
    people: People, engine: Any, tenant: TenantFixture, action: str
) -> None:
    _, _, _, held, started = ACTIONS[action]
    mine, for_manager = (
        data(book(people.owner, [people.room], at(3, hour), requires_confirmation=held), 201)
        for hour in (9, 11)
    )
    assert mine["created_by"] is not None
    if started:
        _started(engine, tenant.id, mine["id"])
        _started(engine, tenant.id, for_manager["id"])
    before = data(people.admin.get(f"/api/v1/bookings/{mine['id']}"))
    active = allocations(engine, tenant.id, active=True)

    err = error_of(_act(people.other, action, mine["id"]), 403, "forbidden")
    assert err["details"] == {"missing": ["bookings:manage"]}
    assert data(people.admin.get(f"/api/v1/bookings/{mine['id']}")) == before  # nothing changed
    assert allocations(engine, tenant.id, active=True) == active
    # Reading stays open to every bookings:read holder.
    assert data(people.other.get(f"/api/v1/bookings/{mine['id']}"))["id"] == mine["id"]

    changed = data(_act(people.owner, action, mine["id"]))
    by_manager = data(_act(people.manager, action, for_manager["id"], hour=16))
    expected = {
        "confirm": "confirmed",
        "cancel": "cancelled",
        "reschedule": "confirmed",
        "no-show": "no_show",
    }
    assert changed["status"] == by_manager["status"] == expected[action]
    if action == "reschedule":
        assert changed["start"] == iso(at(5, 14))


def test_a_booking_made_without_a_user_is_changed_only_by_a_manager(
    people: People, engine: Any, tenant: TenantFixture
) -> None:
    booking = data(book(people.owner, [people.room], at(3, 9)), 201)
    with tenant_session(engine, tenant.id) as session:
        session.execute(update(Booking).where(Booking.id == uuid.UUID(booking["id"])).values(created_by=None))
    error_of(_act(people.owner, "confirm", booking["id"]), 403, "forbidden")
    assert data(people.admin.get(f"/api/v1/bookings/{booking['id']}"))["status"] == "held"
    assert data(_act(people.manager, "confirm", booking["id"]))["status"] == "confirmed"


def _series(who: Api, room: str, hour: int = 8) -> dict[str, Any]:
    body = {
        "resources": [room],
        "start": iso(at(3, hour)),
        "duration": "PT1H",
        "recurrence": "RRULE:FREQ=DAILY;COUNT=4",
        "requires_confirmation": False,
    }
    return dict(data(who.post("/api/v1/bookings", json=body), 201))


def _occurrences(admin: Api, series_id: str) -> list[dict[str, Any]]:
    return list(data(admin.get(f"/api/v1/booking-series/{series_id}"))["bookings"])


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("cancel", {"scope": "all"}),
        ("cancel", {"scope": "following"}),
        ("cancel", {"scope": "this"}),
        ("reschedule", {"scope": "all", "start": iso(at(3, 16)), "duration": "PT1H"}),
    ],
)
def test_only_the_owner_or_a_manager_changes_a_series(
    people: People, engine: Any, tenant: TenantFixture, action: str, body: dict[str, Any]
) -> None:
    series = _series(people.owner, people.room)
    first = series["bookings"][0]["id"]
    url = f"/api/v1/bookings/{first}" + ("/cancel" if action == "cancel" else "")
    method = "post" if action == "cancel" else "patch"
    before = data(people.admin.get(f"/api/v1/booking-series/{series['id']}"))
    active = allocations(engine, tenant.id, active=True)

    err = error_of(getattr(people.other, method)(url, json=body), 403, "forbidden")
    assert err["details"] == {"missing": ["bookings:manage"]}
    assert data(people.admin.get(f"/api/v1/booking-series/{series['id']}")) == before
    assert allocations(engine, tenant.id, active=True) == active == 4

    data(getattr(people.owner, method)(url, json=body))
    changed = _occurrences(people.admin, series["id"])
    assert changed != before["bookings"]

    # A manager changes another member's series the same way.
    theirs = _series(people.other, people.room, hour=12) if action == "cancel" else None
    if theirs is not None:
        url = f"/api/v1/bookings/{theirs['bookings'][0]['id']}/cancel"
        data(people.manager.post(url, json=body))
        assert _occurrences(people.admin, theirs["id"])[0]["status"] == "cancelled"


def test_a_manager_reschedules_another_members_series(people: People) -> None:
    series = _series(people.other, people.room, hour=12)
    first = series["bookings"][0]["id"]
    body = {"scope": "all", "start": iso(at(3, 17)), "duration": "PT1H"}
    error_of(people.owner.patch(f"/api/v1/bookings/{first}", json=body), 403, "forbidden")
    moved = people.manager.patch(f"/api/v1/bookings/{first}", json=body)
    assert len(moved.json()["meta"]["moved"]) == 4, moved.text
    assert [b["start"][11:16] for b in _occurrences(people.admin, series["id"])] == ["17:00"] * 4


def test_openapi_says_who_may_change_a_booking(anonymous: Api) -> None:
    paths = anonymous.get("/openapi.json").json()["paths"]
    item = "/api/v1/bookings/{booking_id}"
    for path, method in (
        (item, "patch"),
        *((f"{item}/{a}", "post") for a in ("confirm", "cancel", "no-show")),
    ):
        operation = paths[path][method]
        assert "bookings:manage" in operation["description"] and "403" in operation["responses"], path

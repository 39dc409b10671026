"""GET /api/v1/resources/{id}/utilisation through the live API: exact hours from known rules and
bookings (blocks, buffers, cancelled bookings, clipping), local days across DST, and bad input."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from db.models.scheduling import Resource
from db.session import tenant_session
from domain.context import TenantContext
from tests.api.conftest import Api, data, error_of
from tests.booking_rows import write_booking
from tests.conftest import TenantFixture

WORKDAYS = {"kind": "weekly", "weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}
ALL_DAY = {"kind": "weekly", "weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "24:00"}


def resource(admin: Api, *rules: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {"name": f"r-{uuid.uuid4().hex[:6]}", "kind": "room", "timezone": "Europe/Paris"} | extra
    created = data(admin.post("/api/v1/resources", json=body), 201)
    for rule in rules:
        data(admin.post(f"/api/v1/resources/{created['id']}/availability-rules", json=rule), 201)
    return created


def book(
    engine: Engine, tenant: TenantFixture, room: dict[str, Any], start: str, end: str, status: str
) -> None:
    """A booking of the room in ``status``; its allocation holds the room's buffers."""
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        resource = session.get_one(Resource, uuid.UUID(room["id"]))
        write_booking(
            session, ctx, [resource], datetime.fromisoformat(start), datetime.fromisoformat(end), status
        )


def utilisation(admin: Api, room: dict[str, Any], start: str, end: str, **params: Any) -> Any:
    query = {"from": start, "to": end} | params
    return admin.get(f"/api/v1/resources/{room['id']}/utilisation", params=query)


def test_exact_hours_per_day_with_blocks_buffers_and_cancellations(admin, engine, tenant):
    room = resource(admin, WORKDAYS, buffer_after="PT30M")
    block = {
        "kind": "block",
        "starts_at": "2026-06-03T13:00:00+02:00",
        "ends_at": "2026-06-03T15:00:00+02:00",
    }
    data(admin.post(f"/api/v1/resources/{room['id']}/availability-rules", json=block), 201)
    book(engine, tenant, room, "2026-06-01T10:00:00+02:00", "2026-06-01T12:00:00+02:00", "confirmed")
    book(engine, tenant, room, "2026-06-02T09:00:00+02:00", "2026-06-02T10:30:00+02:00", "held")
    book(engine, tenant, room, "2026-06-03T09:00:00+02:00", "2026-06-03T10:00:00+02:00", "cancelled")
    body = data(utilisation(admin, room, "2026-06-01T00:00:00+02:00", "2026-06-08T00:00:00+02:00"))
    assert body["available_hours"] == 38.0  # 5 x 8 h, minus the 2 h block
    assert body["booked_hours"] == 3.5  # buffers are not booked time; the cancelled booking is not
    assert body["utilisation"] == round(3.5 / 38, 4)
    assert body["granularity"] == "P1D" and body["timezone"] == "Europe/Paris"
    periods = body["periods"]
    assert [p["start"] for p in periods][:2] == ["2026-05-31T22:00:00Z", "2026-06-01T22:00:00Z"]
    assert [p["available_hours"] for p in periods] == [8, 8, 6, 8, 8, 0, 0]
    assert [p["booked_hours"] for p in periods] == [2, 1.5, 0, 0, 0, 0, 0]
    assert periods[0]["utilisation"] == 0.25 and periods[5]["utilisation"] is None

    # The window clips both: from 11:00 on Monday, 6 h open and 1 h of the booking.
    clipped = data(utilisation(admin, room, "2026-06-01T11:00:00+02:00", "2026-06-02T00:00:00+02:00"))
    assert (clipped["available_hours"], clipped["booked_hours"]) == (6.0, 1.0)
    week = data(
        utilisation(admin, room, "2026-06-01T00:00:00+02:00", "2026-06-08T00:00:00+02:00", granularity="P7D")
    )
    assert [(p["available_hours"], p["booked_hours"]) for p in week["periods"]] == [(38, 3.5)]


def test_local_days_across_dst(admin, engine, tenant):
    room = resource(admin, ALL_DAY)
    # Spring forward in Paris on 29 March 2026: 01:00-04:00 local is 2 hours.
    book(engine, tenant, room, "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00", "confirmed")
    spring = data(utilisation(admin, room, "2026-03-28T00:00:00+01:00", "2026-03-31T00:00:00+02:00"))
    assert [p["available_hours"] for p in spring["periods"]] == [24, 23, 24]
    assert [p["booked_hours"] for p in spring["periods"]] == [0, 2, 0]
    assert [p["start"] for p in spring["periods"]] == [
        "2026-03-27T23:00:00Z",
        "2026-03-28T23:00:00Z",
        "2026-03-29T22:00:00Z",
    ]
    assert spring["available_hours"] == 71.0 and spring["booked_hours"] == 2.0
    autumn = data(utilisation(admin, room, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"))
    assert [p["available_hours"] for p in autumn["periods"]] == [25]
    # Hour-based periods step in elapsed time: 12 h, then the remaining 11 h of the short day.
    halves = data(
        utilisation(
            admin, room, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", granularity="PT12H"
        )
    )
    assert [p["available_hours"] for p in halves["periods"]] == [12, 11]


def test_nothing_available_is_null(admin):
    room = resource(admin)
    body = data(utilisation(admin, room, "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z"))
    assert body["available_hours"] == 0 and body["booked_hours"] == 0 and body["utilisation"] is None


def test_bad_input(admin, make_tenant, api):
    room = resource(admin, WORKDAYS)

    def fields(response: Any) -> set[str]:
        return {f["field"] for f in error_of(response, 422, "validation_failed")["details"]["fields"]}

    day = "2026-06-01T00:00:00Z"
    assert fields(admin.get(f"/api/v1/resources/{room['id']}/utilisation")) == {"from", "to"}
    assert fields(utilisation(admin, room, "2026-06-02T00:00:00Z", day)) == {"to"}
    assert fields(utilisation(admin, room, day, "2027-06-03T00:00:00Z")) == {"to"}  # over 366 days
    assert fields(utilisation(admin, room, day, "2026-06-02T00:00:00")) == {"to"}  # no offset
    assert fields(utilisation(admin, room, "yesterday", "2026-06-02T00:00:00Z")) == {"from"}
    assert fields(utilisation(admin, room, day, "2026-06-02T00:00:00Z", granularity="PT30M")) == {
        "granularity"
    }
    assert fields(utilisation(admin, room, day, "2026-06-02T00:00:00Z", granularity="P1M")) == {"granularity"}
    assert fields(utilisation(admin, room, day, "2026-08-01T00:00:00Z", granularity="PT1H")) == {
        "granularity"
    }
    error_of(utilisation(admin, {"id": str(uuid.uuid4())}, day, "2026-06-02T00:00:00Z"), 404, "not_found")
    stranger = api(make_tenant().api_key)
    error_of(utilisation(stranger, room, day, "2026-06-02T00:00:00Z"), 404, "not_found")

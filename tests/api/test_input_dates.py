"""Instants outside 1900..2199 are a 422 naming the field wherever a client sends one, never a 500."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import customer_type


def _field(response: Any) -> str:
    """The first field refused (as ``a+b`` when two are); every message names the bounds."""
    err = error_of(response, 422, "validation_failed")
    fields = err["details"]["fields"]
    assert fields and all("1900" in f["message"] for f in fields), fields
    return "+".join(f["field"] for f in fields)


@pytest.fixture
def room(admin: Api) -> str:
    body = {"name": "Room", "kind": "room", "timezone": "UTC"}
    resource: dict[str, Any] = data(admin.post("/api/v1/resources", json=body), 201)
    rule = {"kind": "weekly", "weekdays": list(range(7)), "start": "00:00", "end": "24:00"}
    data(admin.post(f"/api/v1/resources/{resource['id']}/availability-rules", json=rule), 201)
    return str(resource["id"])


@pytest.mark.parametrize(
    ("start", "field"),
    [
        ("9999-12-31T23:00:00Z", "start"),
        ("0001-01-01T00:30:00+01:00", "start"),
        ("1899-12-31T12:00:00Z", "start"),
    ],
)
def test_bookings_out_of_range_are_refused_and_nothing_is_booked(
    admin: Api, room: str, start: str, field: str
) -> None:
    r = admin.post("/api/v1/bookings", json={"resources": [room], "start": start, "duration": "PT1H"})
    assert _field(r) == field
    end = admin.post(
        "/api/v1/bookings", json={"resources": [room], "start": "2030-01-01T10:00:00Z", "end": start}
    )
    assert _field(end) == "end"
    assert data(admin.get("/api/v1/bookings")) == []
    ok = admin.post(
        "/api/v1/bookings", json={"resources": [room], "start": "2199-12-31T10:00:00Z", "duration": "PT1H"}
    )
    assert data(ok, 201)["start"].startswith("2199-12-31T10:00:00")


def test_queries_out_of_range_are_refused(admin: Api, room: str) -> None:
    cases = [
        (
            f"/api/v1/availability?resources={room}&duration=PT1H&from=9999-12-30T00:00:00Z&to=9999-12-31T00:00:00Z",
            "from+to",
        ),
        (
            f"/api/v1/availability?resources={room}&duration=PT1H&from=2030-01-01T00:00:00Z&to=9999-12-31T23:59:59Z",
            "to",
        ),
        (
            f"/api/v1/resources/{room}/utilisation?from=0001-01-01T00:00:00%2B01:00&to=2030-02-01T00:00:00Z",
            "from",
        ),
        ("/api/v1/events?since=0062-01-05T12:25:34-20:31", "since"),
        ("/api/v1/search/analytics?from=1142-07-04T21:27:03%2B16:00", "from"),
        ("/api/v1/search/analytics?to=9999-12-31T23:59:59", "to"),
        ("/api/v1/entities/customer?created_after=0260-01-01T00:00:00Z", "created_after"),
        ("/api/v1/bookings?from=9999-12-31T23:00:00Z", "from"),
        (f"/api/v1/resources/{room}/calendar.ics?from=0001-01-01T00:00:00Z", "from"),
        ("/api/v1/bookings.ics?to=2200-01-01T00:00:00Z", "to"),
    ]
    customer_type(admin)
    for url, field in cases:
        assert _field(admin.get(url)) == field, url


def test_bodies_out_of_range_are_refused(admin: Api, room: str) -> None:
    window = {"from": "9999-12-30T00:00:00Z", "to": "9999-12-31T00:00:00Z"}
    r = admin.post(
        "/api/v1/availability/search",
        json={"requirements": [{"resource": room}], "duration": "PT1H", "window": window},
    )
    assert _field(r) == "window.from+window.to"
    block = {"kind": "block", "starts_at": "2030-01-01T00:00:00Z", "ends_at": "9999-12-31T23:59:59Z"}
    assert _field(admin.post(f"/api/v1/resources/{room}/availability-rules", json=block)) == "ends_at"
    replay = {"since": "0001-01-01T00:00:00+01:00"}
    assert _field(admin.post(f"/api/v1/webhooks/{uuid.uuid4()}/replay", json=replay)) == "since"


def test_in_range_queries_still_answer(admin: Api, room: str) -> None:
    customer_type(admin)
    data(admin.get("/api/v1/events?since=1900-01-01T00:00:00Z"))
    data(admin.get("/api/v1/entities/customer?created_after=1999-01-01T00:00:00Z"))
    data(admin.get("/api/v1/search/analytics?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"))
    data(admin.get(f"/api/v1/resources/{room}/utilisation?from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z"))


def test_an_instant_without_an_offset_is_refused_before_anything_is_looked_up(admin: Api) -> None:
    """A naive instant is ambiguous: the field is named, even for a webhook that does not exist."""
    replay = {"since": "2026-01-31T12:00:00"}
    err = error_of(
        admin.post(f"/api/v1/webhooks/{uuid.uuid4()}/replay", json=replay), 422, "validation_failed"
    )
    assert [f["field"] for f in err["details"]["fields"]] == ["since"]

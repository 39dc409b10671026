"""Query and path values of the resource, availability and definition routes: an unknown enum value or
an out-of-range number is a 422 naming the parameter, and far dates at zone edges compute."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import Api, data, error_of


def fields(error: dict) -> list[str]:
    return [f["field"] for f in error["details"]["fields"]]


@pytest.mark.parametrize("kind", ["spaceship", "ROOM", ""])
def test_an_unknown_resource_kind_filter_is_refused(admin: Api, kind: str) -> None:
    error = error_of(admin.get("/api/v1/resources", params={"kind": kind}), 422, "validation_failed")
    assert any("kind" in f for f in fields(error))


@pytest.mark.parametrize("version", ["0", "-1", "99999999999999999999", "x"])
def test_a_definition_version_out_of_range_is_a_422_or_404(admin: Api, version: str) -> None:
    r = admin.get(f"/api/v1/definitions/approval/versions/{version}")
    assert r.status_code in (404, 422), r.text
    assert r.json()["status"] == "error"


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [
        ("Pacific/Kiritimati", "2199-12-30T00:00:00Z", "2199-12-31T23:00:00Z"),
        ("Etc/GMT+12", "2199-12-30T00:00:00Z", "2199-12-31T23:00:00Z"),
        ("America/St_Johns", "2199-11-01T00:00:00Z", "2199-11-10T00:00:00Z"),
        ("Pacific/Kiritimati", "2026-12-30T00:00:00Z", "2027-01-02T00:00:00Z"),
    ],
)
def test_far_dates_at_zone_edges_compute(admin: Api, zone: str, start: str, end: str) -> None:
    body = {"name": f"edge-{uuid.uuid4().hex[:6]}", "kind": "room", "timezone": zone}
    room = data(admin.post("/api/v1/resources", json=body), 201)
    rule = {"kind": "weekly", "weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "24:00"}
    data(admin.post(f"/api/v1/resources/{room['id']}/availability-rules", json=rule), 201)
    closure = {"kind": "closure", "rrule": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", "dtstart": "2100-12-31"}
    data(admin.post(f"/api/v1/resources/{room['id']}/availability-rules", json=closure), 201)
    params = {"resources": room["id"], "duration": "PT1H", "from": start, "to": end, "limit": 2000}
    slots = data(admin.get("/api/v1/availability", params=params))
    assert all(start <= s["start"] and s["end"] <= end for s in slots)


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [
        ("Pacific/Kiritimati", "1900-01-01T00:00:00Z", "1900-03-01T00:00:00Z"),  # LMT offsets
        ("Asia/Kolkata", "1900-01-01T00:00:00Z", "1900-12-31T00:00:00Z"),
        ("Pacific/Kiritimati", "2199-01-01T00:00:00Z", "2199-12-31T23:00:00Z"),
        ("Etc/GMT+12", "2199-06-01T00:00:00Z", "2199-12-31T23:59:00Z"),
    ],
)
def test_utilisation_at_the_ends_of_the_range(admin: Api, zone: str, start: str, end: str) -> None:
    body = {"name": f"edge-{uuid.uuid4().hex[:6]}", "kind": "room", "timezone": zone}
    room = data(admin.post("/api/v1/resources", json=body), 201)
    rule = {"kind": "weekly", "weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}
    data(admin.post(f"/api/v1/resources/{room['id']}/availability-rules", json=rule), 201)
    params = {"from": start, "to": end, "granularity": "P7D"}
    out = data(admin.get(f"/api/v1/resources/{room['id']}/utilisation", params=params))
    assert out["available_hours"] > 0 and out["booked_hours"] == 0

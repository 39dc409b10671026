"""Resources and availability rules through the live API: CRUD, links, filters, cursors, audit and
events, every bad input (a clear 422 naming the field, nothing written), permissions and isolation."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from db.models import AvailabilityRule
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import create, customer_type

ROOM: dict[str, Any] = {
    "name": "Operating room 1",
    "kind": "room",
    "description": "east wing",
    "capacity": 2,
    "timezone": "Europe/Paris",
    "tags": ["or-room", "Sterile"],
    "buffer_before": "PT15M",
    "buffer_after": "PT30M",
}


def new_resource(admin: Api, **extra: Any) -> dict[str, Any]:
    r = admin.post("/api/v1/resources", json=ROOM | extra)
    out = data(r, 201)
    assert r.headers["location"] == f"/api/v1/resources/{out['id']}"
    return out


def fields(error: dict[str, Any]) -> list[str]:
    return [f["field"] for f in error["details"]["fields"]]


@pytest.fixture
def member(admin: Api, api, tenant) -> Api:
    email = f"mia@{tenant.domain}"
    data(
        admin.post(
            "/api/v1/users", json={"email": email, "password": "a-long-password", "roles": ["member"]}
        ),
        201,
    )
    return api(None).login(email, "a-long-password")


def test_create_read_replace_delete(admin, tenant):
    room = new_resource(admin)
    assert room["tags"] == ["or-room", "sterile"]
    assert (room["buffer_before"], room["buffer_after"], room["capacity"]) == ("PT15M", "PT30M", 2)
    assert room["timezone"] == "Europe/Paris" and room["active"] is True and room["deleted_at"] is None
    assert data(admin.get(f"/api/v1/resources/{room['id']}")) == room

    customer_type(admin)
    record = create(admin, {"name": "Dr Who"})
    body = ROOM | {
        "name": "Dr Who",
        "kind": "person",
        "tags": ["surgeon"],
        "buffer_before": None,
        "buffer_after": "PT1H",
        "timezone": "America/New_York",
        "user_id": str(tenant.admin_id),
        "entity_id": record["id"],
    }
    changed = data(admin.put(f"/api/v1/resources/{room['id']}", json=body))
    assert (
        changed["kind"] == "person"
        and changed["buffer_before"] == "PT0S"
        and changed["buffer_after"] == "PT1H"
    )
    assert changed["user_id"] == str(tenant.admin_id) and changed["entity_id"] == record["id"]
    assert changed["timezone"] == "America/New_York"

    gone = data(admin.delete(f"/api/v1/resources/{room['id']}"))
    assert gone["deleted_at"] is not None and gone["active"] is False
    error_of(admin.get(f"/api/v1/resources/{room['id']}"), 404, "not_found")
    error_of(admin.delete(f"/api/v1/resources/{room['id']}"), 404, "not_found")
    assert data(admin.get("/api/v1/resources")) == []

    audit = data(admin.get("/api/v1/audit", params={"entity_type": "resource", "entity_id": room["id"]}))
    assert {a["action"] for a in audit} == {"resource.created", "resource.updated", "resource.deleted"}
    types = [e["type"] for e in data(admin.get("/api/v1/events", params={"type": "resource.*"}))]
    assert sorted(types) == ["resource.created", "resource.deleted", "resource.updated"]


def test_filters_and_cursor_pages(admin):
    a = new_resource(admin, name="A", tags=["surgeon", "senior"], kind="person")
    b = new_resource(admin, name="B", tags=["surgeon"], kind="person")
    c = new_resource(admin, name="C", tags=["or-room"], kind="room")
    names = lambda rows: [r["name"] for r in rows]  # noqa: E731
    assert names(data(admin.get("/api/v1/resources", params={"tag": "surgeon"}))) == ["B", "A"]
    assert names(data(admin.get("/api/v1/resources", params={"tag": ["surgeon", "senior"]}))) == ["A"]
    assert names(data(admin.get("/api/v1/resources", params={"kind": "room"}))) == ["C"]
    assert names(data(admin.get("/api/v1/resources", params={"kind": "room", "tag": "surgeon"}))) == []
    first = admin.get("/api/v1/resources", params={"limit": 2}).json()
    assert names(first["data"]) == ["C", "B"] and first["meta"]["next_cursor"]
    second = admin.get(
        "/api/v1/resources", params={"limit": 2, "cursor": first["meta"]["next_cursor"]}
    ).json()
    assert names(second["data"]) == ["A"] and second["meta"]["next_cursor"] is None
    assert {a["id"], b["id"], c["id"]} == {r["id"] for r in first["data"] + second["data"]}
    error_of(admin.get("/api/v1/resources", params={"kind": "spaceship"}), 422, "validation_failed")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"capacity": 0}, "capacity"),
        ({"kind": "spaceship"}, "kind"),
        ({"buffer_before": "15 minutes"}, "buffer_before"),
        ({"buffer_after": "P1M"}, "buffer_after"),
        ({"tags": ["has space"]}, "tags.0"),
        ({"name": ""}, "name"),
        ({"colour": "red"}, "colour"),
        ({"user_id": "00000000-0000-0000-0000-000000000001"}, "user_id"),
        ({"entity_id": "00000000-0000-0000-0000-000000000001"}, "entity_id"),
    ],
)
def test_bad_resources_are_refused_and_nothing_is_written(admin, change, field):
    error = error_of(admin.post("/api/v1/resources", json=ROOM | change), 422, "validation_failed")
    assert any(f == field or f.endswith("." + field) or f.startswith(field) for f in fields(error)), error
    assert data(admin.get("/api/v1/resources")) == []


def test_a_user_or_record_of_another_tenant_cannot_be_linked(admin, api, make_tenant):
    other = make_tenant("Other")
    error = error_of(
        admin.post("/api/v1/resources", json=ROOM | {"user_id": str(other.admin_id)}),
        422,
        "validation_failed",
    )
    assert fields(error) == ["user_id"]


RULES: list[dict[str, Any]] = [
    {"kind": "weekly", "weekdays": ["MO", "tu", 2], "start": "09:00", "end": "17:00", "note": "office"},
    {"kind": "weekly", "weekdays": [5], "start": "20:00", "end": "24:00"},
    {"kind": "override", "date": "2026-12-24", "start": "09:00", "end": "12:00"},
    {"kind": "override", "date": "2026-12-31", "closed": True},
    {
        "kind": "closure",
        "rrule": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25",
        "dtstart": "2026-01-01",
        "exdates": ["2030-12-25"],
    },
    {
        "kind": "closure",
        "rrule": "RRULE:FREQ=WEEKLY;BYDAY=FR",
        "dtstart": "2026-01-02",
        "start": "13:00",
        "end": "24:00",
    },
    {"kind": "block", "starts_at": "2026-07-01T10:00:00+02:00", "ends_at": "2026-07-01T12:00:00+02:00"},
    {"kind": "closure", "rrule": "FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20261201T000000Z", "dtstart": "2026-01-01"},
]


def test_rules_are_added_listed_and_removed(admin):
    room = new_resource(admin)
    base = f"/api/v1/resources/{room['id']}/availability-rules"
    created = []
    for body in RULES:
        r = admin.post(base, json=body)
        rule = data(r, 201)
        assert r.headers["location"] == f"{base}/{rule['id']}"
        created.append(rule)
    assert created[0]["weekdays"] == [0, 1, 2] and created[0]["note"] == "office"
    assert (created[1]["start"], created[1]["end"]) == ("20:00", "24:00")
    assert created[2]["closed"] is False and created[3]["closed"] is True and created[3]["start"] is None
    assert (
        created[4]["rrule"] == "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"
        and created[4]["dtstart"] == "2026-01-01"
    )
    assert created[4]["exdates"] == ["2030-12-25"] and created[4]["start"] is None
    assert created[5]["rrule"] == "FREQ=WEEKLY;BYDAY=FR" and created[5]["start"] == "13:00"
    assert created[6]["starts_at"] == "2026-07-01T08:00:00+00:00"
    assert [r["id"] for r in data(admin.get(base))] == [r["id"] for r in created]

    removed = data(admin.delete(f"{base}/{created[0]['id']}"))
    assert removed["id"] == created[0]["id"]
    assert [r["id"] for r in data(admin.get(base))] == [r["id"] for r in created[1:]]
    error_of(admin.delete(f"{base}/{created[0]['id']}"), 404, "not_found")
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "resource", "entity_id": room["id"]}))
    assert sum(a["action"] == "availability_rule.created" for a in audit) == len(RULES)
    assert sum(a["action"] == "availability_rule.deleted" for a in audit) == 1
    events = data(admin.get("/api/v1/events", params={"type": "resource.availability_changed"}))
    assert len(events) == len(RULES) + 1


@pytest.mark.parametrize(
    ("body", "bad"),
    [
        ({"kind": "weekly", "weekdays": [7], "start": "09:00", "end": "17:00"}, ["weekdays.0"]),
        ({"kind": "weekly", "weekdays": ["XX"], "start": "09:00", "end": "17:00"}, ["weekdays.0"]),
        ({"kind": "weekly", "weekdays": [], "start": "09:00", "end": "17:00"}, ["weekdays"]),
        ({"kind": "weekly", "weekdays": [0], "start": "17:00", "end": "09:00"}, ["end"]),
        ({"kind": "weekly", "weekdays": [0], "start": "22:00", "end": "06:00"}, ["end"]),
        ({"kind": "weekly", "weekdays": [0], "start": "9h", "end": "25:00"}, ["start", "end"]),
        ({"kind": "weekly", "weekdays": [0], "start": "24:00", "end": "24:00"}, ["start"]),
        ({"kind": "weekly", "weekdays": [0], "start": "09:00"}, ["end"]),
        (
            {"kind": "weekly", "weekdays": [0], "start": "09:00", "end": "10:00", "date": "2026-01-01"},
            ["date"],
        ),
        ({"kind": "override", "start": "09:00", "end": "10:00"}, ["date"]),
        ({"kind": "override", "date": "2026-01-01", "closed": True, "start": "09:00"}, ["closed"]),
        ({"kind": "override", "date": "2026-02-30", "closed": True}, ["date"]),
        ({"kind": "closure", "dtstart": "2026-01-01"}, ["rrule"]),
        ({"kind": "closure", "rrule": "FREQ=YEARLY"}, ["dtstart"]),
        ({"kind": "closure", "rrule": "FREQ=SOMETIMES", "dtstart": "2026-01-01"}, ["rrule"]),
        ({"kind": "closure", "rrule": "FREQ=HOURLY", "dtstart": "2026-01-01"}, ["rrule"]),
        (
            {"kind": "closure", "rrule": "DTSTART:20260101\nRRULE:FREQ=DAILY", "dtstart": "2026-01-01"},
            ["rrule"],
        ),
        (
            {"kind": "closure", "rrule": "FREQ=DAILY", "dtstart": "2026-01-01", "exdates": ["soon"]},
            ["exdates.0"],
        ),
        ({"kind": "closure", "rrule": "FREQ=DAILY", "dtstart": "1800-01-01"}, ["dtstart"]),
        (
            {"kind": "block", "starts_at": "2026-07-01T12:00:00Z", "ends_at": "2026-07-01T10:00:00Z"},
            ["ends_at"],
        ),
        (
            {"kind": "block", "starts_at": "2026-07-01T10:00:00", "ends_at": "2026-07-01T12:00:00Z"},
            ["starts_at"],
        ),
        ({"kind": "block", "ends_at": "2026-07-01T12:00:00Z"}, ["starts_at"]),
        ({"kind": "holiday", "date": "2026-01-01"}, ["kind"]),
    ],
)
def test_bad_rules_are_refused_field_by_field(admin, body, bad):
    room = new_resource(admin)
    base = f"/api/v1/resources/{room['id']}/availability-rules"
    error = error_of(admin.post(base, json=body), 422, "validation_failed")
    assert fields(error) == bad, error
    assert data(admin.get(base)) == []


def test_permissions_and_isolation(admin, api, make_tenant, member):
    room = new_resource(admin)
    rule = data(admin.post(f"/api/v1/resources/{room['id']}/availability-rules", json=RULES[0]), 201)
    other = api(make_tenant("Other").api_key)
    item = f"/api/v1/resources/{room['id']}"
    error_of(other.get(item), 404, "not_found")
    error_of(other.put(item, json=ROOM), 404, "not_found")
    error_of(other.delete(item), 404, "not_found")
    error_of(other.get(item + "/availability-rules"), 404, "not_found")
    error_of(other.post(item + "/availability-rules", json=RULES[0]), 404, "not_found")
    error_of(other.delete(item + f"/availability-rules/{rule['id']}"), 404, "not_found")
    assert data(other.get("/api/v1/resources")) == []
    # members read resources but do not change them
    assert data(member.get(item))["id"] == room["id"]
    assert len(data(member.get(item + "/availability-rules"))) == 1
    error_of(member.post("/api/v1/resources", json=ROOM), 403, "forbidden")
    error_of(member.put(item, json=ROOM), 403, "forbidden")
    error_of(member.post(item + "/availability-rules", json=RULES[0]), 403, "forbidden")
    error_of(member.delete(item), 403, "forbidden")
    assert data(admin.get(item))["name"] == ROOM["name"]


@pytest.mark.parametrize(
    "rrule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # never: dateutil would walk to year 9999
        "FREQ=DAILY;UNTIL=20300101T000000Z;BYMONTH=4;BYMONTHDAY=31",  # UNTIL does not stop that walk
        "FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",  # every 28 to 40 years: each expansion walks that far
        "FREQ=YEARLY;INTERVAL=50",
    ],
)
def test_a_closure_that_never_occurs_is_refused_quickly(admin, rrule):
    room = new_resource(admin)
    base = f"/api/v1/resources/{room['id']}/availability-rules"
    started = time.monotonic()
    body = {"kind": "closure", "rrule": rrule, "dtstart": "1970-01-01"}
    error = error_of(admin.post(base, json=body), 422, "validation_failed")
    assert time.monotonic() - started < 5  # the walk is bounded to 2211, about a second
    assert fields(error) == ["rrule"] and "every ten years" in error["details"]["fields"][0]["message"]
    assert data(admin.get(base)) == []
    # One that occurs is taken as before, and availability over far years stays quick.
    body["rrule"] = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"
    data(admin.post(base, json=body), 201)


def test_closures_per_resource_are_capped(admin, engine, tenant):
    room = new_resource(admin)
    base = f"/api/v1/resources/{room['id']}/availability-rules"
    with tenant_session(engine, tenant.id) as session:  # 50 closures, written as the service writes them
        session.add_all(
            AvailabilityRule(
                tenant_id=tenant.id,
                resource_id=uuid.UUID(room["id"]),
                kind="closure",
                rrule=f"DTSTART:20260101\nRRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY={day}",
                weekdays=[],
                exdates=[],
            )
            for day in range(1, 31)
        )
        session.add_all(
            AvailabilityRule(
                tenant_id=tenant.id,
                resource_id=uuid.UUID(room["id"]),
                kind="closure",
                rrule=f"DTSTART:20260101\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY={day}",
                weekdays=[],
                exdates=[],
            )
            for day in range(1, 21)
        )
    body = {"kind": "closure", "rrule": "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", "dtstart": "2026-03-01"}
    error = error_of(admin.post(base, json=body), 422, "validation_failed")
    assert fields(error) == ["kind"] and "50 closures" in error["details"]["fields"][0]["message"]
    assert len(data(admin.get(base))) == 50
    weekly = {"kind": "weekly", "weekdays": [0], "start": "09:00", "end": "17:00"}
    data(admin.post(base, json=weekly), 201)  # other kinds are not capped

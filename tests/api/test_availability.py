"""GET /api/v1/availability through the live API: collective free slots across time zones, rules,
buffers against existing allocations, DST, every bad parameter, and other tenants' resources."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from db.models.scheduling import Resource
from db.session import tenant_session
from domain.context import TenantContext
from tests.api.conftest import Api, data, error_of
from tests.booking_rows import write_booking
from tests.conftest import TenantFixture

# Dates are in 2037, which has 2026's calendar (weekdays and DST dates): free slots are only ever
# offered from now on, so the windows lie in the future.
WEEKDAYS = {"kind": "weekly", "weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}


def resource(admin: Api, zone: str, *rules: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {"name": f"r-{uuid.uuid4().hex[:6]}", "kind": "room", "timezone": zone} | extra
    created = data(admin.post("/api/v1/resources", json=body), 201)
    for rule in rules:
        data(admin.post(f"/api/v1/resources/{created['id']}/availability-rules", json=rule), 201)
    return created


def slots(admin: Api, ids: list[str], **params: Any) -> Any:
    params = {"resources": ",".join(ids), "duration": "PT1H", "granularity": "PT15M"} | params
    return admin.get("/api/v1/availability", params=params)


def allocate(engine: Engine, tenant: TenantFixture, resource_id: str, start: str, end: str) -> None:
    """A confirmed booking with its allocation, as the booking service writes them (buffers included)."""
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        resource = session.get_one(Resource, uuid.UUID(resource_id))
        write_booking(session, ctx, [resource], datetime.fromisoformat(start), datetime.fromisoformat(end))


def test_collective_slots_across_zones_with_an_allocation(admin, engine, tenant):
    paris = resource(admin, "Europe/Paris", WEEKDAYS)  # 07:00-15:00 UTC in June
    new_york = resource(admin, "America/New_York", WEEKDAYS, buffer_after="PT30M")  # 13:00-21:00 UTC
    # New York's booking 13:00-13:30 UTC: its span holds the 30-minute after-buffer, to 14:00.
    allocate(engine, tenant, new_york["id"], "2037-06-01T13:00:00+00:00", "2037-06-01T13:30:00+00:00")
    body = slots(
        admin, [paris["id"], new_york["id"]], **{"from": "2037-06-01T00:00:00Z", "to": "2037-06-02T00:00:00Z"}
    ).json()
    assert body["status"] == "success"
    assert body["data"] == [{"start": "2037-06-01T14:00:00Z", "end": "2037-06-01T15:00:00Z"}]
    assert body["meta"]["resources"] == [
        {"id": paris["id"], "name": paris["name"], "timezone": "Europe/Paris"},
        {"id": new_york["id"], "name": new_york["name"], "timezone": "America/New_York"},
    ]
    assert body["meta"]["duration"] == "PT1H" and body["meta"]["granularity"] == "PT15M"
    assert body["meta"]["count"] == 1 and body["meta"]["truncated"] is False


def test_rules_shape_the_slots_and_limit_truncates(admin):
    room = resource(
        admin,
        "Europe/Paris",
        WEEKDAYS,
        {"kind": "override", "date": "2037-06-02", "start": "10:00", "end": "11:30"},
        {
            "kind": "closure",
            "rrule": "FREQ=WEEKLY;BYDAY=WE",
            "dtstart": "2037-01-07",
            "exdates": ["2037-06-10"],
        },
        {"kind": "block", "starts_at": "2037-06-01T09:00:00+02:00", "ends_at": "2037-06-01T16:00:00+02:00"},
    )
    found = data(
        slots(admin, [room["id"]], **{"from": "2037-06-01T00:00:00+02:00", "to": "2037-06-04T00:00:00+02:00"})
    )
    assert [s["start"] for s in found] == [
        "2037-06-01T14:00:00Z",  # 16:00-17:00 Paris after the block
        "2037-06-02T08:00:00Z",  # the override's 10:00-11:30
        "2037-06-02T08:15:00Z",
        "2037-06-02T08:30:00Z",
    ]  # Wednesday closed
    r = slots(
        admin,
        [room["id"]],
        limit=2,
        **{"from": "2037-06-01T00:00:00+02:00", "to": "2037-06-04T00:00:00+02:00"},
    )
    assert len(data(r)) == 2 and r.json()["meta"]["truncated"] is True


def test_slots_stay_on_local_hours_across_dst(admin):
    sydney = resource(
        admin, "Australia/Sydney", {"kind": "weekly", "weekdays": [5, 6], "start": "09:00", "end": "10:00"}
    )
    found = data(
        slots(admin, [sydney["id"]], **{"from": "2037-04-03T00:00:00Z", "to": "2037-04-06T00:00:00Z"})
    )
    # Sat 4 April 09:00 AEDT (+11) = 22:00 UTC on the 3rd; Sun 5 April 09:00 AEST (+10) = 23:00 UTC on the 4th
    assert found == [
        {"start": "2037-04-03T22:00:00Z", "end": "2037-04-03T23:00:00Z"},
        {"start": "2037-04-04T23:00:00Z", "end": "2037-04-05T00:00:00Z"},
    ]


def test_a_deleted_resource_has_no_availability(admin):
    room = resource(admin, "UTC", WEEKDAYS)
    data(admin.delete(f"/api/v1/resources/{room['id']}"))
    error_of(
        slots(admin, [room["id"]], **{"from": "2037-06-01T00:00:00Z", "to": "2037-06-02T00:00:00Z"}),
        404,
        "not_found",
    )


FROM, TO = "2037-06-01T00:00:00Z", "2037-06-02T00:00:00Z"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": TO, "to": FROM}, "to"),
        ({"from": FROM, "to": FROM}, "to"),
        ({"from": FROM, "to": "2037-08-03T00:00:00Z"}, "to"),  # 63 days
        ({"from": FROM, "to": TO, "duration": "PT0M"}, "duration"),
        ({"from": FROM, "to": TO, "duration": "-PT1H"}, "duration"),
        ({"from": FROM, "to": TO, "duration": "an hour"}, "duration"),
        ({"from": FROM, "to": TO, "duration": "PT50M"}, "duration"),  # not a multiple of 15 minutes
        ({"from": FROM, "to": TO, "granularity": "PT1M", "duration": "PT10M"}, "granularity"),
        ({"from": FROM, "to": TO, "granularity": "P1Y"}, "granularity"),
        ({"from": "2037-06-01T00:00:00", "to": TO}, "from"),  # no offset
        ({"from": "yesterday", "to": TO}, "from"),
        ({"to": TO}, "from"),
        ({"from": FROM, "to": TO, "limit": 0}, "limit"),
        ({"from": FROM, "to": TO, "resources": "not-an-id"}, "resources"),
        ({"from": FROM, "to": TO, "resources": ""}, "resources"),
        ({"from": FROM, "to": TO, "resources": ",".join(str(uuid.uuid4()) for _ in range(21))}, "resources"),
    ],
)
def test_bad_parameters_are_refused(admin, params, field):
    room = resource(admin, "UTC", WEEKDAYS)
    error = error_of(slots(admin, [room["id"]], **params), 422, "validation_failed")
    assert field in [f["field"] for f in error["details"]["fields"]], error


def test_a_window_of_62_days_is_accepted(admin):
    room = resource(admin, "UTC", {"kind": "weekly", "weekdays": [0], "start": "09:00", "end": "10:00"})
    start = datetime(2037, 6, 1, tzinfo=UTC)
    end = start + timedelta(days=62)
    found = data(slots(admin, [room["id"]], **{"from": start.isoformat(), "to": end.isoformat()}))
    assert len(found) == 9  # nine Mondays


def test_unknown_and_other_tenants_resources_are_404(admin, api, make_tenant):
    mine = resource(admin, "UTC", WEEKDAYS)
    other = api(make_tenant("Other").api_key)
    theirs = resource(other, "UTC", WEEKDAYS)
    window = {"from": FROM, "to": TO}
    error_of(slots(admin, [mine["id"], theirs["id"]], **window), 404, "not_found")
    error_of(slots(admin, [str(uuid.uuid4())], **window), 404, "not_found")
    error_of(slots(other, [mine["id"]], **window), 404, "not_found")
    assert len(data(slots(other, [theirs["id"]], **window))) > 0

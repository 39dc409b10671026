"""The shipped resource-utilisation metric through the live API: booked over available time per day,
per resource and per kind (weighted by open time), agreeing with GET /resources/{id}/utilisation; the
KPI with its previous period; filters; its bounds; another tenant's resources never counted; a
tenant metric on the source takes only its one measure."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from tests.api.conftest import Api, data, error_of
from tests.api.test_utilisation import WORKDAYS, book, resource, utilisation
from tests.conftest import TenantFixture

SERIES = "/api/v1/metrics/resource-utilisation/series"
WEEK = {"from": "2026-06-01T00:00:00+02:00", "to": "2026-06-08T00:00:00+02:00", "timezone": "Europe/Paris"}


def series(api: Api, **params: Any) -> Any:
    return api.get(SERIES, params=WEEK | params)


def by_group(bucket: dict[str, Any], dimension: str) -> dict[str, Any]:
    return {g["key"][dimension]: g["value"] for g in bucket["groups"]}


def test_utilisation_is_booked_over_available_time_per_day_resource_and_kind(
    admin: Api, engine: Engine, tenant: TenantFixture, make_tenant: Any, api: Any
):
    tag = f"t{tenant.id.hex[:8]}"  # this test's resources only: other tests share the tenant
    room = resource(admin, WORKDAYS, tags=[tag])
    desk = resource(admin, {**WORKDAYS, "end": "13:00"}, kind="equipment", tags=[tag])
    book(engine, tenant, room, "2026-06-01T10:00:00+02:00", "2026-06-01T12:00:00+02:00", "confirmed")
    book(engine, tenant, room, "2026-06-02T09:00:00+02:00", "2026-06-02T10:30:00+02:00", "held")
    book(engine, tenant, room, "2026-06-03T09:00:00+02:00", "2026-06-03T10:00:00+02:00", "cancelled")
    book(engine, tenant, desk, "2026-06-01T09:00:00+02:00", "2026-06-01T13:00:00+02:00", "completed")
    mine = {"filter[tag]": tag}

    answer = data(series(admin, grain="day", group_by="resource", **mine))
    assert answer["unit"] == "number" and answer["grain"] == "day"
    days = answer["buckets"]
    assert [b["start"] for b in days][:2] == ["2026-06-01T00:00:00+02:00", "2026-06-02T00:00:00+02:00"]
    monday = by_group(days[0], "resource")
    assert monday == {room["id"]: 0.25, desk["id"]: 1.0}  # 2 h of 8, 4 h of 4
    assert days[0]["value"] == round(6 / 12, 6)  # both together: 6 booked hours of 12 open
    assert days[1]["value"] == round(1.5 / 12, 6) and days[2]["value"] == 0  # the cancellation holds nothing
    assert days[5]["value"] is None and days[5]["groups"] == []  # a Saturday: nothing open, no figure

    # The same figures as the resource's own utilisation, over the week.
    week = data(series(admin, grain="week", **{"filter[resource]": room["id"]}))
    [bucket] = [b for b in week["buckets"] if b["value"] is not None]
    own = data(utilisation(admin, room, WEEK["from"], WEEK["to"], granularity="P7D"))
    assert bucket["value"] == round(own["booked_hours"] / own["available_hours"], 6) == round(3.5 / 40, 6)

    kinds = by_group(data(series(admin, grain="week", group_by="kind", **mine))["buckets"][0], "kind")
    assert kinds == {"room": round(3.5 / 40, 6), "equipment": round(4 / 20, 6)}

    kpi = data(admin.get("/api/v1/metrics/resource-utilisation/value", params=WEEK | mine))
    assert kpi["value"] == round(7.5 / 60, 6)
    assert kpi["previous"]["value"] == 0  # the weekly hours were open the week before, nothing booked


def test_bad_input_and_tenant_isolation(admin: Api, tenant: TenantFixture, make_tenant: Any, api: Any):
    error_of(series(admin, group_by="colour"), 422, "validation_failed")
    error_of(series(admin, **{"filter[colour]": "red"}), 422, "validation_failed")
    other = make_tenant("Utilisation elsewhere")
    theirs = api(other.api_key)
    room = resource(admin, WORKDAYS)
    answer = data(series(theirs, group_by="resource"))
    assert all(room["id"] not in by_group(b, "resource") for b in answer["buckets"])
    tenant_metric = (
        "name: my-utilisation\nversion: 1\ntitle: Mine\nsource: resource_utilisation\n"
        "measure:\n  agg: count\ndimensions: [kind]\n"
    )
    wrong = error_of(
        admin.post("/api/v1/metrics", content=tenant_metric, headers={"Content-Type": "application/yaml"}),
        422,
        "validation_failed",
    )
    assert any("utilisation" in f["message"] for f in wrong["details"]["fields"]), wrong

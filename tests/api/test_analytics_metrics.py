"""Analytics metrics through REST: the catalogue (shipped and published, paginated), publishing YAML
(immutable versions, line and column on every error, nothing stored when refused), series and KPI
values in a time zone, every bad query a 4xx in the envelope, and tenant isolation (metrics, facts and
rollups, RLS included)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from db.models import SlaBreach, Task
from db.models.analytics import MetricRollup
from db.session import tenant_session
from domain.analytics import service as analytics
from domain.context import TenantContext
from tests.api.conftest import Api, data, error_of
from tests.conftest import TenantFixture
from tests.domain.analytics.rows import process_row

YAML = {"content-type": "application/yaml"}
DAY = datetime(2026, 10, 25, tzinfo=UTC)  # Europe/Berlin's 25-hour day
MAX_TIME = """
name: longest-process
version: {version}
title: Longest process
source: processes
measure: {{agg: max, field: duration}}
dimensions: [definition]
grains: [day, week]
"""


def longest(version: int = 1) -> str:
    return MAX_TIME.format(version=version)


def publish(api: Api, body: str, status: int = 201) -> Any:
    return data(api.post("/api/v1/metrics", content=body, headers=YAML), status)


def refused(api: Api, body: str | bytes, path: str = "/api/v1/metrics") -> list[dict[str, Any]]:
    fields = error_of(api.post(path, content=body, headers=YAML), 422, "validation_failed")["details"][
        "fields"
    ]
    assert all(f["line"] and f["column"] for f in fields), fields
    return fields


def add_processes(engine: Engine, tenant: TenantFixture, ends: list[tuple[str, datetime, int]]) -> None:
    """Ended processes: (definition, end, seconds it took)."""
    with tenant_session(engine, tenant.id) as session:
        for definition, end, seconds in ends:
            session.add(
                process_row(tenant.id, definition=definition, end=end, took=timedelta(seconds=seconds))
            )


@pytest.fixture
def facts(engine: Engine, tenant: TenantFixture) -> Iterator[None]:
    # Berlin: 2026-10-24 22:00Z is local midnight of the 25th; the 26th starts at 23:00Z (25 hours later).
    add_processes(
        engine,
        tenant,
        [
            ("approval", datetime(2026, 10, 24, 21, 30, tzinfo=UTC), 60),  # the 24th in Berlin
            ("approval", datetime(2026, 10, 24, 22, 30, tzinfo=UTC), 120),
            ("onboarding", datetime(2026, 10, 25, 22, 45, tzinfo=UTC), 300),  # still the 25th in Berlin
            ("approval", datetime(2026, 10, 25, 23, 15, tzinfo=UTC), 30),  # the 26th
        ],
    )
    yield


def test_the_catalogue_lists_shipped_and_published_metrics_a_page_at_a_time(admin: Api):
    publish(admin, longest())
    first = admin.get("/api/v1/metrics", params={"limit": 5})
    body = first.json()
    assert first.status_code == 200 and len(body["data"]) == 5 and body["meta"]["next_cursor"]
    names = [m["name"] for m in body["data"]]
    cursor = body["meta"]["next_cursor"]
    while cursor:
        more = admin.get("/api/v1/metrics", params={"limit": 5, "cursor": cursor}).json()
        names += [m["name"] for m in more["data"]]
        cursor = more["meta"]["next_cursor"]
    assert names == sorted(names) and len(names) == len(set(names))
    assert {"process-throughput", "revenue", "webhook-latency-p95", "longest-process"} <= set(names)
    shipped = data(admin.get("/api/v1/metrics/revenue"))
    assert shipped["origin"] == "shipped" and shipped["unit"] == "amount"
    assert shipped["declaration"]["measure"] == {"agg": "sum", "field": "amount"}
    error_of(admin.get("/api/v1/metrics", params={"cursor": "forged"}), 422, "validation_failed")


def test_published_versions_are_immutable_and_bad_declarations_name_line_and_column(admin: Api):
    made = admin.post("/api/v1/metrics", content=longest(), headers=YAML)
    assert made.status_code == 201 and made.headers["location"] == "/api/v1/metrics/longest-process"
    assert made.json()["data"]["origin"] == "tenant"
    again = publish(admin, longest(), 200)
    assert again["sha256"] == made.json()["data"]["sha256"]
    error_of(
        admin.post("/api/v1/metrics", content=longest() + "description: other\n", headers=YAML),
        409,
        "conflict",
    )
    publish(admin, longest(2).replace("max", "min"))
    latest = data(admin.get("/api/v1/metrics/longest-process"))
    assert latest["version"] == 2 and latest["declaration"]["measure"]["agg"] == "min"
    error_of(
        admin.post("/api/v1/metrics", content=longest().replace("longest-process", "revenue"), headers=YAML),
        409,
        "conflict",
    )

    valid = data(admin.post("/api/v1/metrics/validate", content=longest(7), headers=YAML))
    assert valid == {"valid": True, "name": "longest-process", "version": 7, "sha256": valid["sha256"]}
    cases = {
        "source: processes": ("source: procesess", "/source", 5, "did you mean 'processes'"),
        "agg: max": ("agg: median", "/measure/agg", 6, "expected one of"),
        "field: duration": ("field: durration", "/measure/field", 6, "did you mean 'duration'"),
        "[definition]": ("[definition, colour]", "/dimensions/1", 7, "unknown dimension"),
        "grains: [day, week]": ("grains: [day, fortnight]", "/grains/1", 8, "expected one of"),
    }
    for old, (new, pointer, line, words) in cases.items():
        for path in ("/api/v1/metrics/validate", "/api/v1/metrics"):
            (problem,) = refused(admin, longest(9).replace(old, new), path)
            assert problem["field"] == pointer and problem["line"] == line and words in problem["message"], (
                problem
            )
    (problem,) = refused(admin, longest(9) + "filters: [{dimension: colour, op: eq, value: red}]\n")
    assert problem["field"] == "/filters/0/dimension" and problem["line"] == 9
    (problem,) = refused(admin, longest(9).replace("agg: max, field: duration", "agg: p90"))
    assert problem["field"] == "/measure/field" and "needs a field" in problem["message"]
    (problem,) = refused(admin, longest(9).replace("Longest", "Long\x00est").encode())
    assert problem["line"] == 4 and "control characters" in problem["message"]
    error_of(admin.post("/api/v1/metrics", json={"name": "x"}), 415, "unsupported_media_type")
    assert "9" not in {str(m["version"]) for m in data(admin.get("/api/v1/metrics?limit=200"))}


def test_series_and_value_in_a_time_zone_across_a_dst_change(admin: Api, facts: None):
    params = {
        "from": "2026-10-24T00:00:00+02:00",
        "to": "2026-10-27T00:00:00+01:00",
        "timezone": "Europe/Berlin",
    }
    series = data(admin.get("/api/v1/metrics/process-throughput/series", params={**params, "grain": "day"}))
    assert [(b["start"], b["value"]) for b in series["buckets"]] == [
        ("2026-10-24T00:00:00+02:00", 1),
        ("2026-10-25T00:00:00+02:00", 2),  # 25 hours long
        ("2026-10-26T00:00:00+01:00", 1),
    ]
    grouped = data(
        admin.get(
            "/api/v1/metrics/process-throughput/series",
            params={**params, "grain": "day", "group_by": "definition", "filter[status]": "completed"},
        )
    )
    assert grouped["buckets"][1]["groups"] == [
        {"key": {"definition": "approval"}, "value": 1},
        {"key": {"definition": "onboarding"}, "value": 1},
    ]
    cycle = data(admin.get("/api/v1/metrics/process-cycle-time/series", params={**params, "grain": "week"}))
    assert cycle["unit"] == "seconds" and [b["value"] for b in cycle["buckets"]] == [
        160.0,
        30.0,
    ]  # from Mondays
    utc = data(admin.get("/api/v1/metrics/process-throughput/series", params={**params, "timezone": "UTC"}))
    assert [b["value"] for b in utc["buckets"]] == [0, 2, 2, 0]

    kpi = data(
        admin.get(
            "/api/v1/metrics/process-throughput/value",
            params={
                "from": "2026-10-25T00:00:00Z",
                "to": "2026-10-26T00:00:00Z",
                "filter[definition]": "approval",
            },
        )
    )
    assert kpi["value"] == 1 and kpi["previous"] == {
        "from": "2026-10-24T00:00:00+00:00",
        "to": "2026-10-25T00:00:00+00:00",
        "value": 2,
    }
    assert kpi["change"] == -1 and kpi["change_ratio"] == -0.5
    p90 = data(admin.get("/api/v1/metrics/process-cycle-time-p90/value", params=params))
    assert p90["value"] == pytest.approx(246.0) and p90["previous"]["value"] is None and p90["change"] is None


def test_rollups_and_live_facts_answer_alike_through_rest(
    admin: Api, engine: Engine, tenant: TenantFixture, facts: None
):
    params = {
        "from": "2026-10-24T00:00:00Z",
        "to": "2026-10-27T00:00:00Z",
        "grain": "hour",
        "group_by": "definition",
    }
    before = data(admin.get("/api/v1/metrics/process-throughput/series", params=params))
    with tenant_session(engine, tenant.id) as session:
        ctx = TenantContext.system(tenant.id, tenant.domain)
        assert analytics.fold(session, ctx, "process-throughput") == 4
    assert data(admin.get("/api/v1/metrics/process-throughput/series", params=params)) == before


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("process-throughput", {"grain": "fortnight"}, "grain"),
        ("longest-process", {"grain": "hour"}, "grain"),  # not declared
        (
            "process-throughput",
            {"grain": "hour", "to": "2028-01-01T00:00:00Z"},
            "grain",
        ),  # over 10,000 buckets
        ("process-throughput", {"grain": "month", "to": "2037-01-01T00:00:00Z"}, "to"),  # over 10 years
        ("process-throughput", {"to": "2026-01-01T00:00:00Z"}, "to"),  # from == to
        ("process-throughput", {"to": "2025-12-31T00:00:00Z"}, "to"),  # from after to
        ("process-throughput", {"group_by": "colour"}, "group_by"),
        ("process-throughput", {"group_by": "definition,definition"}, "group_by"),
        ("process-throughput", {"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ("process-throughput", {"timezone": "../../etc/passwd"}, "timezone"),
        ("process-throughput", {"filter[colour]": "red"}, "filter[colour]"),
        ("process-throughput", {"filters": "red"}, "filters"),
        ("process-throughput", {"from": "2026-01-01T00:00:00"}, "from"),  # no offset
    ],
)
def test_bad_queries_are_refused_naming_the_parameter(
    admin: Api, name: str, params: dict[str, str], field: str
):
    publish(admin, longest(), 201)
    query = {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z", **params}
    error = error_of(admin.get(f"/api/v1/metrics/{name}/series", params=query), 422, "validation_failed")
    assert any(field in str(f["field"]) for f in error["details"]["fields"]), error


def test_more_than_a_thousand_groups_is_refused(admin: Api, engine: Engine, tenant: TenantFixture):
    add_processes(engine, tenant, [(f"d{i}", DAY + timedelta(seconds=i), 1) for i in range(1001)])
    params = {"from": "2026-10-25T00:00:00Z", "to": "2026-10-26T00:00:00Z", "group_by": "definition"}
    error = error_of(
        admin.get("/api/v1/metrics/process-throughput/series", params=params), 422, "validation_failed"
    )
    assert "1001 groups" in error["details"]["fields"][0]["message"]
    params["filter[definition]"] = "d7"
    assert (
        data(admin.get("/api/v1/metrics/process-throughput/series", params=params))["buckets"][0]["value"]
        == 1
    )


def test_nul_bytes_and_unknown_metrics(admin: Api):
    assert admin.get(
        "/api/v1/metrics/process-throughput/series?from=2026-01-01T00:00:00Z%00"
    ).status_code in (400, 422)
    error_of(admin.get("/api/v1/metrics/no-such-metric"), 404, "not_found")
    error_of(admin.get("/api/v1/metrics/Bad Name"), 422, "validation_failed")


def test_tenants_see_only_their_own_metrics_facts_and_rollups(
    admin: Api, api: Any, make_tenant: Any, engine: Engine, tenant: TenantFixture, facts: None
):
    publish(admin, longest())
    other_tenant = make_tenant("Other")
    other = api(other_tenant.api_key)
    error_of(other.get("/api/v1/metrics/longest-process"), 404, "not_found")
    query = {"from": "2026-10-24T00:00:00Z", "to": "2026-10-27T00:00:00Z"}
    error_of(other.get("/api/v1/metrics/longest-process/series", params=query), 404, "not_found")
    assert "longest-process" not in {m["name"] for m in data(other.get("/api/v1/metrics?limit=200"))}
    with tenant_session(engine, tenant.id) as session:
        analytics.fold(session, TenantContext.system(tenant.id, tenant.domain), "process-throughput")
    assert data(admin.get("/api/v1/metrics/process-throughput/value", params=query))["value"] == 4
    assert data(other.get("/api/v1/metrics/process-throughput/value", params=query))["value"] == 0
    with tenant_session(engine, other_tenant.id) as session:  # RLS: the other tenant's rows are invisible
        assert session.scalar(select(func.count()).select_from(MetricRollup)) == 0
        assert session.execute(text("SELECT count(*) FROM analytics_metrics")).scalar_one() == 0
    with tenant_session(engine, tenant.id) as session:
        assert (session.scalar(select(func.count()).select_from(MetricRollup)) or 0) > 0


def test_reading_needs_analytics_read_and_publishing_analytics_write(admin: Api, tenant: TenantFixture):
    data(admin.post("/api/v1/roles", json={"name": "analyst", "permissions": ["analytics:read"]}), 201)
    people = {"ana": ["analyst"], "mo": ["member"]}
    for name, roles in people.items():
        body = {"email": f"{name}@{tenant.domain}", "password": f"{name}-password-12", "roles": roles}
        data(admin.post("/api/v1/users", json=body), 201)
    ana, mo = (admin.login(f"{name}@{tenant.domain}", f"{name}-password-12") for name in people)
    error_of(mo.get("/api/v1/metrics/revenue"), 403, "forbidden")
    assert data(ana.get("/api/v1/metrics/revenue"))["name"] == "revenue"
    error_of(ana.post("/api/v1/metrics", content=longest(), headers=YAML), 403, "forbidden")


def add_decided_tasks(engine: Engine, tenant: TenantFixture, decided: list[tuple[str, str, bool]]) -> None:
    """Tasks decided a day ago: (definition, step key, whether an SLA breach was recorded first)."""
    at = datetime.now(UTC) - timedelta(days=1)
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        for definition, step, breached in decided:
            process = process_row(tenant.id, definition=definition, end=at)
            session.add(process)
            session.flush()
            task = Task.new(
                ctx,
                process_id=process.id,
                step=0,
                step_key=step,
                title=step,
                assignee="role:approver",
                status="completed",
                outcome="approved",
                created_at=at - timedelta(hours=3),
                completed_at=at,
                due_at=at - timedelta(hours=1),
            )
            session.add(task)
            session.flush()
            if breached:  # recorded when the due date passed, while the task was open
                late = {"due_at": task.due_at, "breached_at": task.due_at, "action": "escalated"}
                session.add(SlaBreach.new(ctx, task_id=task.id, process_id=process.id, **late))


STEPS = [
    ("review", True),
    ("review", False),
    ("review", False),
    ("sign", True),
    ("sign", True),
    ("sign", False),
]


def test_the_sla_breach_rate_is_the_share_of_decided_tasks_that_missed_their_due_date(
    admin: Api, engine: Engine, tenant: TenantFixture, make_tenant: Any, api: Any
):
    definition = f"rate-{tenant.id.hex[:8]}"  # this test's facts only: the tenant is shared
    add_decided_tasks(
        engine,
        tenant,
        [(definition, step, breached) for step, breached in STEPS],
    )
    window = {
        "from": (datetime.now(UTC) - timedelta(days=3)).isoformat(),
        "to": datetime.now(UTC).isoformat(),
    }
    mine = window | {"filter[definition]": definition}
    kpi = data(admin.get("/api/v1/metrics/sla-breach-rate/value", params=mine))
    assert kpi["unit"] == "number" and kpi["value"] == 0.5  # 3 of 6
    steps = data(admin.get("/api/v1/metrics/sla-breach-rate/series", params=mine | {"group_by": "step"}))
    shares = {g["key"]["step"]: g["value"] for b in steps["buckets"] for g in b["groups"] or []}
    assert shares == {"review": round(1 / 3, 6), "sign": round(2 / 3, 6)}
    other = api(make_tenant("Breach rate elsewhere").api_key)
    assert data(other.get("/api/v1/metrics/sla-breach-rate/value", params=mine))["value"] is None

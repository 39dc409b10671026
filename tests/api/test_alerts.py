"""Alerts through REST: a threshold alert on a shipped metric opens one incident after the fold, emails
its recipients once and emits `analytics.alert`, stays one incident while it holds, and resolves when
the series returns; every bad rule a 422 naming its field with nothing stored; If-Match, permissions and
tenant isolation (RLS included)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from activities import Deps
from activities.analytics import fold_tenant
from db.models.analytics_alerts import AlertIncident, AlertRule
from db.session import tenant_session
from keel.settings import Settings
from tests.api.conftest import Api, data, error_of
from tests.api.signing_helpers import wait_for
from tests.api.test_analytics_metrics import YAML, add_processes, longest
from tests.conftest import TenantFixture

PATH = "/api/v1/alerts"
YESTERDAY = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)


def rule(**changes: Any) -> dict[str, Any]:
    """Completed approvals taking over an hour on average, yesterday."""
    return {
        "name": "Slow approvals",
        "metric": "process-cycle-time",
        "condition": "threshold",
        "params": {"op": ">", "value": 3600, "grain": "day"},
        "filter": {"definition": ["approval"]},
        **changes,
    }


def fold(engine: Engine, settings: Settings, tenant: TenantFixture) -> None:
    """The analytics-rollups job for the tenant: its facts folded, then its alerts evaluated."""
    fold_tenant(Deps(engine=engine, settings=settings), tenant.id, lambda *_: None)


def incidents(api: Api, alert_id: str, **params: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data(api.get(f"{PATH}/{alert_id}/events", params=params))
    return found


def alert_events(api: Api) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data(api.get("/api/v1/events", params={"type": "analytics.alert"}))
    return sorted(found, key=lambda e: e["created_at"])


def test_an_alert_opens_one_incident_notifies_once_and_resolves_when_the_series_returns(
    admin: Api, engine: Engine, settings: Settings, tenant: TenantFixture
):
    noon = YESTERDAY + timedelta(hours=12)
    add_processes(engine, tenant, [("approval", noon, 7200), ("approval", noon, 10800), ("other", noon, 9)])
    made = admin.post(PATH, json=rule(notify=[tenant.admin_email.upper(), "role:admin"]))
    assert made.status_code == 201, made.text
    alert = made.json()["data"]
    assert made.headers["location"] == f"{PATH}/{alert['id']}" and made.headers["etag"]
    assert alert["params"] == {"op": ">", "value": 3600, "grain": "day", "window": 1}
    assert alert["notify"] == [f"user:{tenant.admin_email}", "role:admin"] and alert["state"] is None

    fold(engine, settings, tenant)
    (opened,) = incidents(admin, alert["id"])
    day = YESTERDAY.strftime("%Y-%m-%d")
    assert opened["status"] == "open" and opened["observed"] == 9000 and opened["expected_high"] == 3600
    assert opened["reason"] == (
        f"observed 9000 process-cycle-time seconds at {day} 00:00, expected at most 3600"
    )
    assert data(admin.get(f"{PATH}/{alert['id']}"))["state"] == "firing"
    # One user, named twice (by email and by role): one email.
    assert len(wait_for(admin, tenant.admin_email, "Alert: Slow approvals")) == 1
    (event,) = alert_events(admin)
    assert event["payload"]["state"] == "open" and event["payload"]["incident_id"] == opened["id"]
    assert event["payload"]["observed"] == 9000 and event["payload"]["reason"] == opened["reason"]

    again = data(admin.post(f"{PATH}/{alert['id']}/evaluate"))
    assert again["firing"] and again["state"] == "firing" and again["observed"] == 9000
    assert again["expected_high"] == 3600 and again["reason"] == opened["reason"]
    assert again["incident"]["id"] == opened["id"]
    fold(engine, settings, tenant)
    assert [i["id"] for i in incidents(admin, alert["id"])] == [opened["id"]]
    assert len(alert_events(admin)) == 1
    assert len(wait_for(admin, tenant.admin_email, "Alert: Slow approvals", count=2, timeout=3)) == 1

    add_processes(engine, tenant, [("approval", noon + timedelta(hours=1), 60)] * 10)  # average 1550 s
    fold(engine, settings, tenant)
    (resolved,) = incidents(admin, alert["id"])
    assert resolved["status"] == "resolved" and resolved["resolved_at"]
    assert resolved["resolution"].startswith("back to normal: observed 1550 process-cycle-time seconds")
    assert len(wait_for(admin, tenant.admin_email, "Resolved: Slow approvals")) == 1
    states = [e["payload"]["state"] for e in alert_events(admin)]
    assert states == ["open", "resolved"]
    assert data(admin.get("/api/v1/alert-events", params={"status": "open"})) == []
    assert [i["id"] for i in data(admin.get("/api/v1/alert-events"))] == [opened["id"]]
    calm = data(admin.post(f"{PATH}/{alert['id']}/evaluate"))
    assert calm["state"] == "normal" and not calm["firing"] and calm["incident"] is None


def test_an_anomaly_alert_refuses_to_judge_without_two_seasons_of_history(admin: Api):
    made = data(
        admin.post(
            PATH,
            json=rule(condition="anomaly", params={"grain": "day"}, metric="process-throughput", filter={}),
        ),
        201,
    )
    assert made["params"] == {"grain": "day", "season": 7, "lookback": 56, "z": 3.5}
    answered = data(admin.post(f"{PATH}/{made['id']}/evaluate"))
    assert answered["state"] in ("insufficient_history", "no_data") and not answered["firing"]
    assert answered["incident"] is None and incidents(admin, made["id"]) == []


BAD: list[tuple[dict[str, Any], str]] = [
    (rule(metric="no-such-metric"), "metric"),
    (rule(metric="Not A Slug"), "metric"),
    (rule(condition="sometimes"), "condition"),
    (rule(params={"value": 3}), "params.op"),
    (rule(params={"op": "!=", "value": 3}), "params.op"),
    (rule(params={"op": ">", "value": "many"}), "params.value"),
    (rule(params={"op": ">", "value": 3, "colour": "red"}), "params.colour"),
    (rule(params={"op": ">", "value": 3, "window": 0}), "params.window"),
    (rule(params={"op": ">", "value": 3, "grain": "fortnight"}), "params.grain"),
    (rule(condition="change", params={"percent": 5, "absolute": 2}), "params"),
    (rule(condition="change", params={"percent": -5}), "params.percent"),
    (rule(condition="anomaly", params={"lookback": 5000}), "params.lookback"),
    (rule(condition="anomaly", params={"grain": "week"}), "params.grain"),
    (rule(condition="anomaly", params={"season": 30, "lookback": 40}), "params"),
    (rule(filter={"colour": ["red"]}), "filter.colour"),
    (rule(notify=["nobody@nowhere.test"]), "notify.0"),
    (rule(notify=["role:no-such-role"]), "notify.0"),
    (rule(notify=["00000000-0000-4000-8000-000000000000"]), "notify.0"),
    (rule(notify=["someone"]), "notify.0"),
    (rule(notify=["x"] * 51), "notify"),
    (rule(enabled="perhaps"), "enabled"),
]


@pytest.mark.parametrize(("body", "field"), BAD, ids=[f"{field}-{i}" for i, (_, field) in enumerate(BAD)])
def test_a_bad_rule_is_refused_naming_its_field_and_nothing_is_stored(
    admin: Api, engine: Engine, tenant: TenantFixture, body: dict[str, Any], field: str
):
    fields = error_of(admin.post(PATH, json=body), 422, "validation_failed")["details"]["fields"]
    assert field in [f["field"] for f in fields], fields
    assert data(admin.get(PATH)) == []
    with tenant_session(engine, tenant.id) as session:
        assert session.scalar(select(func.count()).select_from(AlertRule)) == 0


def test_a_metric_the_tenant_declares_is_checked_against_its_grains_and_not_seen_by_others(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
):
    data(admin.post("/api/v1/metrics", content=longest(), headers=YAML), 201)  # grains: day, week
    own = rule(metric="longest-process", params={"op": ">", "value": 60, "grain": "hour"})
    fields = error_of(admin.post(PATH, json=own), 422, "validation_failed")["details"]["fields"]
    assert [f["field"] for f in fields] == ["params.grain"]
    made = data(admin.post(PATH, json=rule(metric="longest-process", params={"op": ">", "value": 60})), 201)
    assert made["params"]["grain"] == "day"  # the metric's default
    other = api(make_tenant("Other").api_key)
    refused = error_of(other.post(PATH, json=rule(metric="longest-process")), 422, "validation_failed")
    assert [f["field"] for f in refused["details"]["fields"]] == ["metric"]
    assert data(other.get(PATH)) == []


def test_alerts_are_paged_changed_under_if_match_rechecked_and_deleted(admin: Api, tenant: TenantFixture):
    first = data(admin.post(PATH, json=rule(name="First")), 201)
    second = admin.post(PATH, json=rule(name="Second", condition="change", params={"percent": 20}))
    assert second.status_code == 201, second.text
    page = admin.get(PATH, params={"limit": 1}).json()
    assert [a["name"] for a in page["data"]] == ["Second"] and page["meta"]["next_cursor"]
    rest = data(admin.get(PATH, params={"limit": 1, "cursor": page["meta"]["next_cursor"]}))
    assert [a["id"] for a in rest] == [first["id"]]

    item = f"{PATH}/{first['id']}"
    etag = admin.get(item).headers["etag"]
    error_of(
        admin.patch(item, json={"enabled": False}, headers={"if-match": '"stale"'}),
        412,
        "precondition_failed",
    )
    bad = admin.patch(item, json={"params": {"op": ">"}}, headers={"if-match": etag})
    assert [f["field"] for f in error_of(bad, 422, "validation_failed")["details"]["fields"]] == [
        "params.value"
    ]
    assert data(admin.get(item))["params"] == first["params"]
    changed = admin.patch(
        item,
        json={"enabled": False, "params": {"op": "<", "value": 5}, "notify": [str(tenant.admin_id)]},
        headers={"if-match": etag},
    )
    body = data(changed)
    assert not body["enabled"] and body["params"] == {"op": "<", "value": 5, "grain": "day", "window": 1}
    assert body["notify"] == [f"user:{tenant.admin_email}"] and changed.headers["etag"] != etag
    assert data(admin.delete(item))["id"] == first["id"]
    error_of(admin.get(item), 404, "not_found")
    error_of(admin.post(f"{item}/evaluate"), 404, "not_found")
    assert [a["name"] for a in data(admin.get(PATH))] == ["Second"]


def test_another_tenant_sees_none_of_them_and_permissions_guard_reading_and_writing(
    admin: Api,
    api: Callable[[str | None], Api],
    make_tenant: Callable[..., TenantFixture],
    engine: Engine,
    settings: Settings,
    tenant: TenantFixture,
):
    add_processes(engine, tenant, [("approval", YESTERDAY + timedelta(hours=3), 7200)])
    made = data(admin.post(PATH, json=rule()), 201)
    fold(engine, settings, tenant)
    (opened,) = incidents(admin, made["id"])
    stranger_tenant = make_tenant("Other")
    other = api(stranger_tenant.api_key)
    item = f"{PATH}/{made['id']}"
    for path in (item, f"{item}/events"):
        error_of(other.get(path), 404, "not_found")
    error_of(other.post(f"{item}/evaluate"), 404, "not_found")
    error_of(other.patch(item, json={"enabled": False}), 404, "not_found")
    error_of(other.delete(item), 404, "not_found")
    assert data(other.get(PATH)) == [] and data(other.get("/api/v1/alert-events")) == []
    with tenant_session(engine, stranger_tenant.id) as session:  # row-level security, no filter asked
        assert session.scalar(select(func.count()).select_from(AlertRule)) == 0
        assert session.scalar(select(func.count()).select_from(AlertIncident)) == 0
    with tenant_session(engine, tenant.id) as session:
        assert session.scalar(select(func.count()).select_from(AlertIncident)) == 1

    def key(*permissions: str) -> Api:
        body = {"name": "k", "permissions": list(permissions)}
        return api(data(admin.post("/api/v1/api-keys", json=body), 201)["api_key"])

    reader, stranger = key("analytics:read"), key("processes:read")
    assert data(reader.get(item))["id"] == made["id"]
    assert [i["id"] for i in data(reader.get("/api/v1/alert-events", params={"status": "open"}))] == [
        opened["id"]
    ]
    error_of(reader.post(PATH, json=rule()), 403, "forbidden")
    error_of(reader.post(f"{item}/evaluate"), 403, "forbidden")
    error_of(reader.delete(item), 403, "forbidden")
    for path in (PATH, item, f"{item}/events", "/api/v1/alert-events"):
        error_of(stranger.get(path), 403, "forbidden")
    error_of(admin.get("/api/v1/alert-events", params={"status": "closed"}), 422, "validation_failed")

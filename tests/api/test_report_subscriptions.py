"""Report subscriptions through REST, against the live stack: a report emailed on run-now with a link
that downloads its CSV, times in the recipient's zone; the Temporal Schedule paused, resumed and deleted
with the subscription; a failed run recorded and its owner told; bad input refused storing nothing;
tenants isolated and permissions enforced."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import itertools
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from temporalio.client import ScheduleDescription
from temporalio.service import RPCError, RPCStatusCode

from db.models.analytics_subscriptions import ReportSubscription, SubscriptionRun
from db.session import tenant_session
from domain.analytics.dashboards import OPERATIONS_ID
from keel.temporal import connect
from tests.api.conftest import Api, Live, data, error_of
from tests.api.test_analytics_metrics import add_processes
from tests.api.test_reports import report
from tests.conftest import TenantFixture

PATH = "/api/v1/report-subscriptions"
OUTBOX = "/api/v1/dev/outbox"
BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
LINK = re.compile(r"(/api/v1/document-downloads/\S+)")


def describe(live: Live, subscription_id: str) -> ScheduleDescription:
    async def run() -> ScheduleDescription:
        client = await connect(live.settings)
        return await client.get_schedule_handle(f"report-subscription-{subscription_id}").describe()

    return asyncio.run(run())


def runs_when(api: Api, subscription_id: str, done: Callable[[list[dict[str, Any]]], bool]) -> list[Any]:
    ends = time.monotonic() + 60
    while True:
        runs = data(api.get(f"{PATH}/{subscription_id}/runs"))
        if done(runs) or time.monotonic() > ends:
            return runs
        time.sleep(0.2)


def emails_to(api: Api, address: str, subject: str, count: int = 1) -> list[dict[str, Any]]:
    ends = time.monotonic() + 30
    while True:
        found = [m for m in data(api.get(OUTBOX, params={"to": address})) if subject in m["subject"]]
        if len(found) >= count or time.monotonic() > ends:
            return found
        time.sleep(0.2)


def stored(engine: Engine, tenant: TenantFixture, model: Any = ReportSubscription) -> int:
    """The rows the tenant's own transaction sees, unfiltered: row-level security alone keeps others out."""
    with tenant_session(engine, tenant.id) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def far_hour() -> int:
    """A Berlin hour twelve hours from now: no scheduled run falls near the test."""
    return (datetime.now(ZoneInfo(BERLIN)).hour + 12) % 24


def test_a_report_is_emailed_with_a_link_to_its_csv_in_the_recipients_time_zone(
    admin: Api, anonymous: Api, engine: Engine, tenant: TenantFixture, live: Live
):
    now = datetime.now(UTC).replace(microsecond=0)
    add_processes(engine, tenant, [("approval", now - timedelta(minutes=5), 42)])
    add_processes(engine, tenant, [("approval", now - timedelta(days=40), 7)])  # before the period
    made = data(admin.post("/api/v1/reports", json=report(name="Weekly approvals")), 201)
    me = admin.login(tenant.admin_email, tenant.admin_password)
    data(me.put("/api/v1/me/notification-preferences", json={"timezone": NEW_YORK}))
    rule = f"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR={far_hour()};BYMINUTE=0"
    body = {"report": made["id"], "schedule": rule, "timezone": BERLIN, "recipients": [tenant.admin_email]}
    answer = me.post(PATH, json=body)
    sub = data(answer, 201)
    assert answer.headers["location"] == f"{PATH}/{sub['id']}"
    assert sub["report_id"] == made["id"] and sub["dashboard_id"] is None and sub["schedule_kind"] == "rrule"
    assert sub["recipients"] == [{"user_id": str(tenant.admin_id), "email": tenant.admin_email}]
    assert (sub["format"], sub["delivery"], sub["paused"]) == ("csv", "link", False)
    runs = [datetime.fromisoformat(r) for r in sub["next_runs"]]
    assert len(runs) == 5 and all(r.astimezone(ZoneInfo(BERLIN)).hour == far_hour() for r in runs)
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(runs))
    described = describe(live, sub["id"])
    spec = described.schedule.spec
    assert spec.time_zone_name == BERLIN and spec.calendars[0].hour[0].start == far_hour()
    assert described.info.next_action_times[:5] == runs  # Temporal's own plan is the preview

    started = admin.post(f"{PATH}/{sub['id']}/run-now")
    assert data(started, 202)["id"] == sub["id"]
    run_id = started.json()["meta"]["run_id"]
    assert started.headers["location"] == f"{PATH}/{sub['id']}/runs/{run_id}"
    recorded = data(admin.get(started.headers["location"]))  # the run exists as soon as run-now answers
    assert recorded["status"] in ("running", "delivered")
    [run] = runs_when(admin, sub["id"], lambda rs: bool(rs) and rs[0]["status"] != "running")
    assert run["id"] == run_id and data(admin.get(started.headers["location"])) == run
    assert run["status"] == "delivered" and run["recipients"] == 1 and run["error"] is None, run
    assert run["report_run_id"] and run["period_start"] is not None
    [email] = emails_to(admin, tenant.admin_email, "Weekly approvals")
    text = email["text"]
    end = datetime.fromisoformat(run["period_end"]).astimezone(ZoneInfo(NEW_YORK))
    assert f"as of {end.strftime('%Y-%m-%d %H:%M')} E" in text and "Times are in America/New_York." in text
    link = LINK.search(text)
    assert link is not None, text
    got = anonymous.get(link.group(1))
    assert got.status_code == 200, got.text
    rows = list(csv.reader(io.StringIO(got.content.decode())))
    assert rows[0] == ["definition", "duration", "time"] and [r[0] for r in rows[1:]] == ["approval"]
    assert Decimal(rows[1][1]) == 42  # the fact of the period, not the one 40 days old
    assert rows[1][2].endswith("+01:00") or rows[1][2].endswith(
        "+02:00"
    )  # written in the subscription's zone
    assert anonymous.get(link.group(1)[:-2] + "xx").status_code == 403  # the link is signed


def test_a_report_can_be_sent_as_a_pdf(admin: Api, anonymous: Api, engine: Engine, tenant: TenantFixture):
    add_processes(engine, tenant, [("approval", datetime.now(UTC) - timedelta(minutes=5), 42)])
    made = data(admin.post("/api/v1/reports", json=report(name="Approvals as PDF")), 201)
    body = {"report": made["id"], "schedule": f"0 {far_hour()} * * *", "recipients": [tenant.admin_email]}
    sub = data(admin.post(PATH, json={**body, "format": "pdf"}), 201)
    assert sub["format"] == "pdf"
    data(admin.post(f"{PATH}/{sub['id']}/run-now"), 202)
    [run] = runs_when(admin, sub["id"], lambda rs: bool(rs) and rs[0]["status"] != "running")
    assert run["status"] == "delivered", run
    [email] = emails_to(admin, tenant.admin_email, "Approvals as PDF")
    assert "PDF" in email["text"]
    link = LINK.search(email["text"])
    assert link is not None
    got = anonymous.get(link.group(1))
    assert got.status_code == 200 and got.content.startswith(b"%PDF"), got.text[:200]


def test_an_attachment_delivery_carries_the_export_itself_and_still_links_it(
    admin: Api, anonymous: Api, engine: Engine, tenant: TenantFixture
):
    add_processes(engine, tenant, [("approval", datetime.now(UTC) - timedelta(minutes=5), 42)])
    made = data(admin.post("/api/v1/reports", json=report(name="Attached approvals")), 201)
    body = {"report": made["id"], "schedule": f"0 {far_hour()} * * *", "recipients": [tenant.admin_email]}
    sub = data(admin.post(PATH, json={**body, "delivery": "attachment"}), 201)
    assert sub["delivery"] == "attachment"
    data(admin.post(f"{PATH}/{sub['id']}/run-now"), 202)
    [run] = runs_when(admin, sub["id"], lambda rs: bool(rs) and rs[0]["status"] != "running")
    assert run["status"] == "delivered", run
    [email] = emails_to(admin, tenant.admin_email, "Attached approvals")
    [attached] = email["data"]["attachments"]
    assert attached["name"].startswith("Attached-approvals-") and attached["name"].endswith(".csv")
    assert attached["content_type"].startswith("text/csv")
    assert f"It is attached as {attached['name']}." in email["text"]
    link = LINK.search(email["text"])
    assert link is not None, email["text"]
    linked = anonymous.get(link.group(1)).content
    assert attached["size"] == len(linked) and attached["sha256"] == hashlib.sha256(linked).hexdigest()
    assert b"approval" in linked

    # A dashboard's tiles are attached as well, as JSON.
    board = {"dashboard": str(OPERATIONS_ID), "format": "json", "delivery": "attachment"}
    tiles = data(admin.post(PATH, json={**body, "report": None, **board}), 201)
    data(admin.post(f"{PATH}/{tiles['id']}/run-now"), 202)
    runs_when(admin, tiles["id"], lambda rs: bool(rs) and rs[0]["status"] != "running")
    [email] = emails_to(admin, tenant.admin_email, "your dashboard")
    [attached] = email["data"]["attachments"]
    assert attached["name"].endswith(".json") and attached["content_type"].startswith("application/json")
    assert attached["size"] > 0


def test_pausing_resuming_and_deleting_follow_the_temporal_schedule(
    admin: Api, anonymous: Api, tenant: TenantFixture, live: Live
):
    body = {
        "dashboard": str(OPERATIONS_ID),
        "schedule": "30 7 * * MON-FRI",
        "recipients": [str(tenant.admin_id)],
        "format": "json",
    }
    sub = data(admin.post(PATH, json=body), 201)
    assert sub["schedule_kind"] == "cron" and sub["timezone"] == "UTC"
    described = describe(live, sub["id"])
    [calendar] = described.schedule.spec.calendars  # Temporal keeps a cron as a calendar
    assert described.info.next_action_times[:5] == [datetime.fromisoformat(r) for r in sub["next_runs"]]
    assert (calendar.minute[0].start, calendar.hour[0].start) == (30, 7)
    days = [range(r.start, max(r.start, r.end) + 1, r.step or 1) for r in calendar.day_of_week]
    assert {d for r in days for d in r} == set(range(1, 6))

    paused = data(admin.post(f"{PATH}/{sub['id']}/pause"))
    assert paused["paused"] is True and paused["next_runs"] == []
    assert describe(live, sub["id"]).schedule.state.paused is True
    assert data(admin.get(f"{PATH}/{sub['id']}"))["paused"] is True

    data(admin.post(f"{PATH}/{sub['id']}/run-now"), 202)  # a paused subscription still runs when asked
    [run] = runs_when(admin, sub["id"], lambda rs: bool(rs) and rs[0]["status"] != "running")
    assert run["status"] == "delivered" and run["report_run_id"] is None, run
    [email] = emails_to(admin, tenant.admin_email, "Operations")
    link = LINK.search(email["text"])
    assert link is not None
    assert [t["metric"] for t in anonymous.get(link.group(1)).json()["tiles"]][:1] == ["process-throughput"]

    resumed = admin.post(f"{PATH}/{sub['id']}/resume")
    assert data(resumed)["paused"] is False and len(data(resumed)["next_runs"]) == 5
    assert describe(live, sub["id"]).schedule.state.paused is False
    assert admin.get(f"{PATH}/{sub['id']}").headers["etag"] == resumed.headers["etag"]
    stale = {"if-match": '"0"'}
    error_of(
        admin.patch(f"{PATH}/{sub['id']}", json={"paused": True}, headers=stale), 412, "precondition_failed"
    )
    assert describe(live, sub["id"]).schedule.state.paused is False
    fresh = {"if-match": resumed.headers["etag"]}
    change = {"schedule": "FREQ=DAILY;BYHOUR=6", "paused": True}
    changed = data(admin.patch(f"{PATH}/{sub['id']}", json=change, headers=fresh))
    assert changed["schedule"] == "FREQ=DAILY;BYHOUR=6" and changed["paused"] is True
    replaced = describe(live, sub["id"]).schedule
    assert replaced.state.paused and replaced.spec.calendars[0].hour[0].start == 6
    assert replaced.spec.cron_expressions == []

    gone = admin.delete(f"{PATH}/{sub['id']}")
    assert gone.status_code == 204 and gone.content == b""
    error_of(admin.get(f"{PATH}/{sub['id']}"), 404, "not_found")
    error_of(admin.post(f"{PATH}/{sub['id']}/pause"), 404, "not_found")
    with pytest.raises(RPCError) as missing:
        describe(live, sub["id"])
    assert missing.value.status == RPCStatusCode.NOT_FOUND


def test_a_failed_run_is_recorded_and_its_owner_told(
    admin: Api, engine: Engine, tenant: TenantFixture, make_tenant: Callable[..., TenantFixture]
):
    made = data(admin.post("/api/v1/reports", json=report(name="Soon gone")), 201)
    me = admin.login(tenant.admin_email, tenant.admin_password)
    body = {"report": made["id"], "schedule": f"0 {far_hour()} * * *", "recipients": [tenant.admin_email]}
    sub = data(me.post(PATH, json=body), 201)
    assert sub["created_by"] == str(tenant.admin_id)
    data(admin.delete(f"/api/v1/reports/{made['id']}"))
    data(admin.post(f"{PATH}/{sub['id']}/run-now"), 202)
    [run] = runs_when(admin, sub["id"], lambda rs: bool(rs) and rs[0]["status"] != "running")
    assert (
        stored(engine, tenant, SubscriptionRun) == 1 and stored(engine, make_tenant(), SubscriptionRun) == 0
    )
    assert run["status"] == "failed" and "report" in run["error"] and run["recipients"] == 0, run
    [told] = emails_to(admin, tenant.admin_email, "A report subscription failed")
    assert sub["id"] in told["text"] and "Nobody was emailed" in told["text"]
    assert emails_to(admin, tenant.admin_email, "Soon gone", 0) == []
    events = data(admin.get("/api/v1/events", params={"type": "analytics.subscription_failed"}))
    assert [e["payload"]["run_id"] for e in events] == [run["id"]]


def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    admin: Api,
    engine: Engine,
    tenant: TenantFixture,
    make_tenant: Callable[..., TenantFixture],
    api: Callable[[str | None], Api],
):
    made = data(admin.post("/api/v1/reports", json=report()), 201)
    other = make_tenant("Other")
    theirs = data(api(other.api_key).post("/api/v1/reports", json=report()), 201)
    good = {"report": made["id"], "schedule": "0 8 * * MON", "recipients": [tenant.admin_email]}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"schedule": "every monday"}, "schedule", "5 fields"),
        ({"schedule": "0 8 * * MON *"}, "schedule", "5 fields"),
        ({"schedule": "0 25 * * *"}, "schedule", "hour"),
        ({"schedule": "* * * * *"}, "schedule", "once an hour"),
        ({"schedule": "FREQ=SECONDLY;BYHOUR=8"}, "schedule", "once an hour"),
        ({"schedule": "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=8"}, "schedule", "n-th weekday"),
        ({"schedule": "FREQ=DAILY;INTERVAL=3;BYHOUR=8"}, "schedule", "INTERVAL"),
        ({"schedule": "FREQ=DAILY;BYHOUR=8;WKST=XX"}, "schedule", "WKST"),
        ({"schedule": "0 8 30 2 *"}, "schedule", "never runs"),
        ({"timezone": "Mars/Olympus"}, "timezone", "IANA"),
        ({"recipients": [other.admin_email]}, "recipients.0", "active user"),
        ({"recipients": [tenant.admin_email, str(other.admin_id)]}, "recipients.1", "active user"),
        ({"recipients": ["nobody@example.com"]}, "recipients.0", "active user"),
        ({"recipients": []}, "recipients", ""),
        ({"recipients": ["ada\u0007@example.com"]}, "recipients.0", "active user"),
        ({"dashboard": str(OPERATIONS_ID)}, "report", "one of the two"),
        ({"report": None}, "report", "one of the two"),
        ({"report": theirs["id"]}, "report", "not a report of this tenant"),
        ({"report": None, "dashboard": str(OPERATIONS_ID), "format": "xlsx"}, "format", "json or csv"),
        ({"format": "docx"}, "format", ""),
        ({"delivery": "fax"}, "delivery", "link"),
        ({"surprise": 1}, "surprise", ""),
    ]
    for change, field, message in cases:
        wrong = error_of(admin.post(PATH, json=good | change), 422, "validation_failed")
        fields = wrong["details"]["fields"]
        assert any(f["field"].endswith(field) and message in f["message"] for f in fields), (change, fields)
    assert stored(engine, tenant) == 0 and data(admin.get(PATH)) == []
    sub = data(admin.post(PATH, json=good), 201)
    for change in (
        {"schedule": "nonsense"},
        {"schedule": None},
        {"recipients": None},
        {"timezone": "Nowhere"},
    ):
        error_of(admin.patch(f"{PATH}/{sub['id']}", json=change), 422, "validation_failed")
    assert data(admin.get(f"{PATH}/{sub['id']}"))["schedule"] == "0 8 * * MON"
    admin.delete(f"{PATH}/{sub['id']}")


def test_another_tenant_cannot_see_or_change_a_subscription_and_permissions_guard_it(
    admin: Api,
    engine: Engine,
    tenant: TenantFixture,
    make_tenant: Callable[..., TenantFixture],
    api: Callable[[str | None], Api],
):
    board = {"dashboard": str(OPERATIONS_ID), "schedule": "0 6 1 * *", "recipients": [tenant.admin_email]}
    sub = data(admin.post(PATH, json=board), 201)
    item = f"{PATH}/{sub['id']}"
    stranger_tenant = make_tenant("Other")
    other = api(stranger_tenant.api_key)
    assert stored(engine, tenant) == 1 and stored(engine, stranger_tenant) == 0
    assert data(other.get(PATH)) == []
    for answer in (
        other.get(item),
        other.get(f"{item}/runs"),
        other.get(f"{item}/runs/{uuid.uuid4()}"),
        other.patch(item, json={"paused": True}),
        other.post(f"{item}/pause"),
        other.post(f"{item}/resume"),
        other.post(f"{item}/run-now"),
        other.delete(item),
    ):
        error_of(answer, 404, "not_found")
    assert data(admin.get(item))["paused"] is False

    def key(*permissions: str) -> Api:
        made = admin.post("/api/v1/api-keys", json={"name": "k", "permissions": list(permissions)})
        return api(data(made, 201)["api_key"])

    reader, stranger = key("analytics:read"), key("processes:read")
    assert [s["id"] for s in data(reader.get(PATH))] == [sub["id"]]
    assert data(reader.get(f"{item}/runs")) == []
    for answer in (
        reader.post(PATH, json=board),
        reader.post(f"{item}/pause"),
        reader.post(f"{item}/run-now"),
        reader.delete(item),
    ):
        error_of(answer, 403, "forbidden")
    error_of(stranger.get(PATH), 403, "forbidden")
    error_of(stranger.get(item), 403, "forbidden")
    page = admin.get(PATH, params={"limit": 1}).json()
    assert page["meta"]["limit"] == 1 and [s["id"] for s in page["data"]] == [sub["id"]]
    assert admin.delete(item).status_code == 204


@pytest.mark.parametrize("rule", ["0 8 1 * *", "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=8"])
def test_temporal_plans_the_runs_the_preview_shows(admin: Api, tenant: TenantFixture, live: Live, rule: str):
    body = {
        "dashboard": str(OPERATIONS_ID),
        "schedule": rule,
        "timezone": BERLIN,
        "recipients": [tenant.admin_email],
    }
    sub = data(admin.post(PATH, json=body), 201)
    runs = [datetime.fromisoformat(r) for r in sub["next_runs"]]
    assert all((r.day, r.hour) == (1, 8) for r in runs)  # 08:00 in Berlin, whatever the offset that day
    assert describe(live, sub["id"]).info.next_action_times[:5] == runs
    assert admin.delete(f"{PATH}/{sub['id']}").status_code == 204

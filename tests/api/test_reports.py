"""Reports through REST: saving (checked against the source, nothing stored when refused), runs into
CSV, JSON and XLSX files whose rows are the facts (filters, group_by, sort), progress, cancelling,
downloads, tenant isolation and permissions."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.api.conftest import Api, data, error_of
from tests.api.test_analytics_metrics import add_processes
from tests.conftest import TenantFixture

PATH = "/api/v1/reports"
WINDOW = {"from": "2026-10-20T00:00:00Z", "to": "2026-10-30T00:00:00Z"}
# (definition, end, seconds it took): four approvals and one onboarding in the window, one before it.
FACTS = [
    ("approval", datetime(2026, 10, 21, 9, 0, tzinfo=UTC), 60),
    ("approval", datetime(2026, 10, 22, 9, 0, tzinfo=UTC), 120),
    ("approval", datetime(2026, 10, 23, 9, 0, tzinfo=UTC), 30),
    ("approval", datetime(2026, 10, 24, 9, 0, tzinfo=UTC), 120),
    ("onboarding", datetime(2026, 10, 25, 9, 0, tzinfo=UTC), 300),
    ("approval", datetime(2026, 10, 1, 9, 0, tzinfo=UTC), 999),
]


def report(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Approvals",
        "source": "processes",
        "columns": [{"field": "definition"}, {"field": "duration"}, {"field": "time"}],
        "filters": [{"dimension": "definition", "op": "eq", "value": "approval"}],
        "sort": [{"column": "duration", "direction": "desc"}],
    }
    return body | over


GROUPED = report(
    name="Per definition",
    columns=[
        {"field": "definition"},
        {"field": "duration", "agg": "count"},
        {"field": "duration", "agg": "sum"},
        {"field": "duration", "agg": "max"},
    ],
    filters=[],
    group_by=["definition"],
    sort=[{"column": "sum_duration", "direction": "desc"}],
)


def mine(api: Api) -> list[str]:
    return [r["id"] for r in data(api.get(PATH, params={"limit": 200}))]


def finished(api: Api, location: str, timeout: float = 30) -> dict[str, Any]:
    ends = time.monotonic() + timeout
    while True:
        run = data(api.get(location))
        if run["status"] not in ("queued", "running") or time.monotonic() > ends:
            return run
        time.sleep(0.1)


def run_file(api: Api, report_id: str, fmt: str, **params: Any) -> tuple[bytes, dict[str, Any], Any]:
    started = api.post(f"{PATH}/{report_id}/runs", json={"format": fmt, **WINDOW, **params})
    assert started.status_code == 202, started.text
    run = finished(api, started.headers["location"])
    assert run["status"] == "completed" and run["progress"] == 1.0, run
    got = api.get(f"{started.headers['location']}/download")
    assert got.status_code == 200, got.text
    return got.content, run, got.headers


def test_reports_are_created_read_changed_under_if_match_and_deleted(admin: Api):
    made = admin.post(PATH, json=report())
    assert made.status_code == 201, made.text
    created = made.json()["data"]
    assert made.headers["location"] == f"{PATH}/{created['id']}"
    assert created["columns"][1] == {"field": "duration", "agg": None} and created["group_by"] == []
    read = admin.get(f"{PATH}/{created['id']}")
    assert data(read) == created and read.headers["etag"] == made.headers["etag"]
    second = data(admin.post(PATH, json=GROUPED), 201)
    assert mine(admin) == [second["id"], created["id"]]
    error_of(
        admin.patch(f"{PATH}/{created['id']}", json={"name": "X"}, headers={"if-match": '"0"'}),
        412,
        "precondition_failed",
    )
    changed = data(
        admin.patch(
            f"{PATH}/{created['id']}",
            json={"name": "Renamed", "sort": []},
            headers={"if-match": read.headers["etag"]},
        )
    )
    assert changed["name"] == "Renamed" and changed["sort"] == [] and changed["columns"] == created["columns"]
    error_of(admin.patch(f"{PATH}/{created['id']}", json={"group_by": ["status"]}), 422, "validation_failed")
    assert data(admin.get(f"{PATH}/{created['id']}"))["group_by"] == []
    data(admin.delete(f"{PATH}/{created['id']}"))
    error_of(admin.get(f"{PATH}/{created['id']}"), 404, "not_found")
    assert mine(admin) == [second["id"]]


def test_runs_write_the_facts_in_every_format_filtered_grouped_and_sorted(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    add_processes(engine, tenant, FACTS)
    plain = data(admin.post(PATH, json=report()), 201)
    content, run, headers = run_file(admin, plain["id"], "csv", timezone="Europe/Berlin")
    assert headers["content-type"].startswith("text/csv")
    assert headers["content-disposition"] == f'attachment; filename="Approvals-{run["id"][:8]}.csv"'
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == ["definition", "duration", "time"]
    assert [(r[0], Decimal(r[1])) for r in rows[1:]] == [
        ("approval", 120),
        ("approval", 120),
        ("approval", 60),
        ("approval", 30),
    ]
    assert rows[3][2] == "2026-10-21T11:00:00+02:00"  # in the asked zone
    assert run["rows_written"] == run["rows_total"] == 4

    grouped = data(admin.post(PATH, json=GROUPED), 201)
    content, _, headers = run_file(admin, grouped["id"], "json")
    assert headers["content-type"].startswith("application/json")
    assert [
        (r["definition"], r["count_duration"], Decimal(r["sum_duration"])) for r in json.loads(content)
    ] == [
        ("approval", 4, 330),
        ("onboarding", 1, 300),
    ]
    content, _, headers = run_file(admin, grouped["id"], "xlsx")
    assert headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet is not None
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells == [
        ["definition", "count_duration", "sum_duration", "max_duration"],
        ["approval", 4, 330, 120],
        ["onboarding", 1, 300, 300],
    ]
    everything, _, _ = run_file(admin, grouped["id"], "json", **{"from": None, "to": None})
    assert [r["count_duration"] for r in json.loads(everything)] == [5, 1]  # the one before the window too


def test_a_run_is_not_downloaded_before_it_completes_nor_cancelled_after(admin: Api):
    made = data(admin.post(PATH, json=report()), 201)
    started = admin.post(f"{PATH}/{made['id']}/runs", json={"format": "csv"})
    location = started.headers["location"]
    first = started.json()["data"]
    assert first["status"] in ("queued", "running", "completed") and first["rows_written"] == 0
    if first["status"] != "completed":
        download = admin.get(f"{location}/download")
        assert download.status_code in (200, 409)
    assert finished(admin, location)["status"] == "completed"
    error_of(admin.post(f"{location}/cancel"), 409, "conflict")


def test_bad_reports_and_runs_are_refused_naming_the_field_and_nothing_is_stored(admin: Api):
    cases: list[tuple[dict[str, Any], str]] = [
        (report(source="planets"), "source"),
        (report(columns=[{"field": "colour"}]), "columns.0"),
        (report(columns=[{"field": "definition"}, {"field": "definition"}]), "columns.1"),
        (report(columns=[{"field": "duration", "agg": "sum"}]), "columns.0.agg"),
        (report(columns=[{"field": "duration", "agg": "median"}]), "columns.0.agg"),
        (report(filters=[{"dimension": "colour", "op": "eq", "value": "red"}]), "filters.0.dimension"),
        (report(filters=[{"dimension": "status", "op": "in", "value": "x"}]), "filters.0"),
        (report(sort=[{"column": "colour"}]), "sort.0.column"),
        (report(sort=[{"column": "duration", "direction": "up"}]), "sort.0.direction"),
        (GROUPED | {"group_by": ["colour"]}, "group_by.0"),
        (GROUPED | {"group_by": ["status"]}, "columns.0"),
        (GROUPED | {"columns": [{"field": "definition", "agg": "sum"}]}, "columns.0.agg"),
        (report(columns=[]), "columns"),
        (report(name="nul\x00"), ""),
    ]
    for body, field in cases:
        fields = error_of(admin.post(PATH, json=body), 422, "validation_failed")["details"]["fields"]
        assert any(f["field"].startswith(field) for f in fields), (field, fields)
    assert mine(admin) == []
    made = data(admin.post(PATH, json=report()), 201)
    runs = f"{PATH}/{made['id']}/runs"
    for body, field in [
        ({"format": "docx"}, "format"),
        ({"format": "csv", "from": WINDOW["to"], "to": WINDOW["from"]}, "to"),
        ({"format": "csv", "from": "2026-10-20T00:00:00"}, "from"),
        ({"format": "csv", "timezone": "Mars/Olympus"}, "timezone"),
        ({"format": "csv", "timezone": "nul\x00"}, ""),
    ]:
        fields = error_of(admin.post(runs, json=body), 422, "validation_failed")["details"]["fields"]
        assert any(f["field"].startswith(field) for f in fields), (field, fields)


def test_another_tenant_sees_none_of_them_and_permissions_guard_reading_running_and_writing(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
):
    made = data(admin.post(PATH, json=report()), 201)
    started = admin.post(f"{PATH}/{made['id']}/runs", json={"format": "csv"})
    location = started.headers["location"]
    finished(admin, location)
    other = api(make_tenant("Other").api_key)
    for path in (f"{PATH}/{made['id']}", location, f"{location}/download"):
        error_of(other.get(path), 404, "not_found")
    error_of(other.post(f"{PATH}/{made['id']}/runs", json={"format": "csv"}), 404, "not_found")
    error_of(other.post(f"{location}/cancel"), 404, "not_found")
    error_of(other.patch(f"{PATH}/{made['id']}", json={"name": "Mine"}), 404, "not_found")
    error_of(other.delete(f"{PATH}/{made['id']}"), 404, "not_found")
    assert mine(other) == []
    another = data(other.post(PATH, json=report()), 201)
    error_of(admin.get(f"{PATH}/{another['id']}/runs/{started.json()['data']['id']}"), 404, "not_found")

    def key(*permissions: str) -> Api:
        body = {"name": "k", "permissions": list(permissions)}
        return api(data(admin.post("/api/v1/api-keys", json=body), 201)["api_key"])

    reader, stranger = key("analytics:read"), key("processes:read")
    assert reader.get(f"{location}/download").status_code == 200
    assert reader.post(f"{PATH}/{made['id']}/runs", json={"format": "json"}).status_code == 202
    error_of(reader.post(PATH, json=report()), 403, "forbidden")
    error_of(reader.delete(f"{PATH}/{made['id']}"), 403, "forbidden")
    for path in (PATH, f"{PATH}/{made['id']}", location, f"{location}/download"):
        error_of(stranger.get(path), 403, "forbidden")
    error_of(stranger.post(f"{PATH}/{made['id']}/runs", json={"format": "csv"}), 403, "forbidden")

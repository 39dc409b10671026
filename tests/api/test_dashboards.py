"""Dashboards through REST: saving (each tile's query checked against its metric, nothing stored when
refused), the shipped operations dashboard (read-only), every tile answered at once with the figures
the metric routes give, a failing tile answering its error, the live stream of changed tiles, tenant
isolation and permissions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from db.session import tenant_session
from domain.analytics import dashboards
from domain.analytics.dashboards import OPERATIONS_ID
from domain.analytics.schemas import KpiValue, Series, Tile
from domain.context import TenantContext
from tests.api.conftest import Api, data, error_of
from tests.api.test_analytics_metrics import DAY, YAML, add_processes, longest
from tests.conftest import TenantFixture

PATH = "/api/v1/dashboards"
WINDOW = {"from": "2026-10-20T00:00:00Z", "to": "2026-10-30T00:00:00Z"}


def tile(metric: str = "process-throughput", chart: str = "line", **params: Any) -> dict[str, Any]:
    return {"metric": metric, "chart": chart, "params": params}


def board(*tiles: dict[str, Any], name: str = "Ops") -> dict[str, Any]:
    return {"name": name, "tiles": list(tiles)}


def mine(api: Api) -> list[str]:
    """The ids of the tenant's own dashboards (the operations one left out)."""
    return [d["id"] for d in data(api.get(PATH, params={"limit": 200})) if not d["builtin"]]


def test_dashboards_are_created_read_paged_changed_under_if_match_and_deleted(admin: Api):
    made = admin.post(PATH, json=board(tile(range="P30D", grain="day", group_by="definition")))
    assert made.status_code == 201, made.text
    created = made.json()["data"]
    assert made.headers["location"] == f"{PATH}/{created['id']}" and made.headers["etag"]
    params = created["tiles"][0]["params"]
    assert params | {"range": "P30D", "grain": "day", "group_by": "definition"} == params
    read = admin.get(f"{PATH}/{created['id']}")
    assert data(read) == created and read.headers["etag"] == made.headers["etag"]
    second = data(admin.post(PATH, json=board(name="Second")), 201)

    first = admin.get(PATH, params={"limit": 1}).json()
    assert [d["id"] for d in first["data"]] == [str(OPERATIONS_ID)]
    ids, cursor = [], first["meta"]["next_cursor"]
    while cursor:
        more = admin.get(PATH, params={"limit": 1, "cursor": cursor}).json()
        ids += [d["id"] for d in more["data"]]
        cursor = more["meta"]["next_cursor"]
    assert ids == [second["id"], created["id"]]

    stale = {"if-match": '"0123"'}
    error_of(
        admin.patch(f"{PATH}/{created['id']}", json={"name": "X"}, headers=stale), 412, "precondition_failed"
    )
    fresh = {"if-match": read.headers["etag"]}
    changed = admin.patch(
        f"{PATH}/{created['id']}", json={"name": "Renamed", "description": "d"}, headers=fresh
    )
    body = data(changed)
    assert body["name"] == "Renamed" and body["description"] == "d" and body["tiles"] == created["tiles"]
    assert changed.headers["etag"] != read.headers["etag"]
    gone = data(admin.delete(f"{PATH}/{created['id']}"))
    assert gone["id"] == created["id"]
    error_of(admin.get(f"{PATH}/{created['id']}"), 404, "not_found")
    assert mine(admin) == [second["id"]]


def test_the_operations_dashboard_ships_to_every_tenant_read_only(admin: Api):
    ops = data(admin.get(f"{PATH}/{OPERATIONS_ID}"))
    assert ops["builtin"] and len(ops["tiles"]) == 7
    names = {t["metric"] for t in ops["tiles"]}
    assert {
        "process-throughput",
        "sla-breaches",
        "delivery-success",
        "webhook-latency",
        "task-backlog",
    } <= names
    answered = data(admin.get(f"{PATH}/{OPERATIONS_ID}/data"))["tiles"]
    assert [t["index"] for t in answered] == list(range(7)) and all(t["data"] for t in answered), answered
    error_of(admin.patch(f"{PATH}/{OPERATIONS_ID}", json={"name": "Mine"}), 409, "conflict")
    error_of(admin.delete(f"{PATH}/{OPERATIONS_ID}"), 409, "conflict")


def test_data_answers_every_tile_as_the_metric_routes_do_and_a_failing_tile_its_error(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    add_processes(
        engine,
        tenant,
        [("approval", DAY + timedelta(hours=h), 60 * h) for h in range(1, 30, 4)]
        + [("onboarding", DAY - timedelta(days=2), 600)],
    )
    data(admin.post("/api/v1/metrics", content=longest(), headers=YAML), 201)
    query = {**WINDOW, "grain": "day", "group_by": "definition", "timezone": "Europe/Berlin"}
    made = data(
        admin.post(
            PATH,
            json=board(
                tile(chart="bar", **query),
                tile(chart="number", **WINDOW),
                tile("longest-process", chart="table", **WINDOW, grain="week"),
            ),
        ),
        201,
    )
    answered = data(admin.get(f"{PATH}/{made['id']}/data"))
    assert answered["dashboard"] == made["id"]
    series, number, longest_tile = answered["tiles"]
    assert series["data"] == data(admin.get("/api/v1/metrics/process-throughput/series", params=query))
    assert number["data"] == data(admin.get("/api/v1/metrics/process-throughput/value", params=WINDOW))
    assert number["data"]["value"] == 9 and longest_tile["data"]["buckets"]

    with tenant_session(engine, tenant.id) as session:  # the metric goes away under the dashboard
        session.execute(text("UPDATE analytics_metrics SET deleted_at = now()"))
    again = data(admin.get(f"{PATH}/{made['id']}/data"))["tiles"]
    assert again[2]["error"]["code"] == "not_found" and again[2]["data"] is None
    assert again[0]["data"] == series["data"] and again[1]["data"] == number["data"]


def test_a_tile_that_times_out_answers_its_error_and_the_others_their_data(
    admin: Api, monkeypatch: pytest.MonkeyPatch
):
    computed = dashboards.answer

    def slow(session: Session, ctx: TenantContext, tile: Tile, now: datetime) -> Series | KpiValue:
        if tile.metric == "sla-breaches":  # a statement the database cancels, as a timeout does
            session.execute(text("SET LOCAL statement_timeout = 20"))
            session.execute(text("SELECT pg_sleep(1)"))
        return computed(session, ctx, tile, now)

    monkeypatch.setattr(dashboards, "answer", slow)
    made = data(admin.post(PATH, json=board(tile("sla-breaches"), tile(chart="number"), tile())), 201)
    first, *others = data(admin.get(f"{PATH}/{made['id']}/data"))["tiles"]
    assert first["data"] is None and first["error"]["code"] == "service_unavailable"
    assert all(t["error"] is None and t["data"] for t in others), others


def _events(lines: Iterator[str]) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """(event, data) per Server-Sent Event; a comment is ("comment", None)."""
    name = ""
    for line in lines:
        if line.startswith(":"):
            yield "comment", None
        elif line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            yield name, json.loads(line[6:])


def test_the_stream_sends_every_tile_then_only_the_changed_ones(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    made = data(
        admin.post(PATH, json=board(tile(chart="number", range="P1D"), tile("sla-breaches", range="P1D"))),
        201,
    )
    url = f"{PATH}/{made['id']}/stream"
    with admin.http.stream("GET", url, params={"interval": 5}, timeout=httpx.Timeout(15)) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events(response.iter_lines())
        first = [next(events), next(events)]
        assert [(e, d["index"]) for e, d in first if d] == [("tile", 0), ("tile", 1)]
        assert first[0][1] is not None and first[0][1]["data"]["value"] == 0
        assert next(events) == ("comment", None)
        add_processes(engine, tenant, [("approval", datetime.now(UTC) - timedelta(minutes=1), 30)])
        event, changed = next(events)
        assert event == "tile" and changed is not None and changed["index"] == 0
        assert changed["data"]["value"] == 1
        assert next(events) == ("comment", None)  # the other tile did not change: not sent again
    once = admin.get(url, params={"once": "true"})
    assert once.status_code == 200 and once.text.count("event: tile") == 2 and "keep-alive" not in once.text


def test_bad_dashboards_are_refused_naming_the_tile_field_and_nothing_is_stored(admin: Api):
    data(admin.post("/api/v1/metrics", content=longest(), headers=YAML), 201)
    ok = tile()
    cases: list[tuple[Any, str]] = [
        (board(ok, tile("no-such-metric")), "tiles.1.metric"),
        (board(tile(chart="pie")), "tiles.0.chart"),
        (board(ok, tile(group_by="colour")), "tiles.1.params.group_by"),
        (board(tile("longest-process", grain="hour")), "tiles.0.params.grain"),
        (board(tile(grain="fortnight")), "tiles.0.params.grain"),
        (
            board(tile(grain="hour", **{"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"})),
            "tiles.0.params.grain",
        ),
        (board(tile(filter={"colour": ["red"]})), "tiles.0.params.filter.colour"),
        (board(tile(range="P7X")), "tiles.0.params.range"),
        (board(tile(**{"from": "2026-01-01T00:00:00Z"})), "tiles.0.params.range"),
        (board(tile(range="P1D", **WINDOW)), "tiles.0.params.range"),
        (board(tile(**{"from": WINDOW["to"], "to": WINDOW["from"]})), "tiles.0.params.to"),
        (board(tile(timezone="Mars/Olympus")), "tiles.0.params.timezone"),
        (board(tile(chart="number", grain="day")), "tiles.0.params.grain"),
        (board(tile(colour="red") | {"colour": 1}), "tiles.0.colour"),
        (board(*[ok] * 25), "tiles"),
        (board(ok, name=""), "name"),
        (board(ok, name="nul\x00"), ""),
    ]
    for body, field in cases:
        fields = error_of(admin.post(PATH, json=body), 422, "validation_failed")["details"]["fields"]
        assert any(f["field"].startswith(field) for f in fields), (field, fields)
    assert mine(admin) == []
    made = data(admin.post(PATH, json=board(ok)), 201)
    error_of(admin.patch(f"{PATH}/{made['id']}", json={"tiles": [tile("gone")]}), 422, "validation_failed")
    assert data(admin.get(f"{PATH}/{made['id']}"))["tiles"] == made["tiles"]


def test_another_tenant_sees_none_of_them_and_permissions_guard_reading_and_writing(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
):
    made = data(admin.post(PATH, json=board(tile())), 201)
    other = api(make_tenant("Other").api_key)
    for path in ("", "/data", "/stream?once=true"):
        error_of(other.get(f"{PATH}/{made['id']}{path}"), 404, "not_found")
    error_of(other.patch(f"{PATH}/{made['id']}", json={"name": "Mine"}), 404, "not_found")
    error_of(other.delete(f"{PATH}/{made['id']}"), 404, "not_found")
    assert mine(other) == []

    def key(*permissions: str) -> Api:
        body = {"name": "k", "permissions": list(permissions)}
        return api(data(admin.post("/api/v1/api-keys", json=body), 201)["api_key"])

    reader, stranger = key("analytics:read"), key("processes:read")
    assert data(reader.get(f"{PATH}/{made['id']}/data"))["tiles"][0]["data"]
    error_of(reader.post(PATH, json=board()), 403, "forbidden")
    error_of(reader.delete(f"{PATH}/{made['id']}"), 403, "forbidden")
    for path in (PATH, f"{PATH}/{made['id']}", f"{PATH}/{made['id']}/stream"):
        error_of(stranger.get(path), 403, "forbidden")

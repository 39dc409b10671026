"""Search through the REST contract, against the real Typesense kept in sync by the worker."""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from adapters.search import SearchIndex
from cli.search import cmd_reindex
from domain.search.indexing import alias_name
from tests.api.conftest import Api, Live, data, error_of
from tests.api.entity_helpers import create, customer_type
from tests.conftest import TenantFixture, TypesenseServer

SEARCH = {"fields": ["name", "email", "city"], "facets": ["city", "vip"], "sortable": ["age"]}


def searchable(admin: Api, name: str = "customer", **extra: Any) -> dict[str, Any]:
    return customer_type(admin, name, search=SEARCH, **extra)


def search(admin: Api, q: str = "", type_name: str = "customer", **body: Any) -> httpx.Response:
    return admin.post(f"/api/v1/entities/{type_name}/search", json={"q": q} | body)


def ids(response: httpx.Response) -> list[str]:
    return [h["id"] for h in data(response)]


def eventually(check: Callable[[], bool], timeout: float = 15.0) -> float:
    """Seconds until ``check`` holds (polled); fails after ``timeout``."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < timeout, "condition not met in time"
        time.sleep(0.02)
    return time.monotonic() - start


def test_a_new_record_is_searchable_within_two_seconds_with_typos_prefixes_and_accents(admin: Api) -> None:
    searchable(admin)
    create(admin, {"name": "Bob Stone", "city": "Lyon"})  # the type's index exists before the timed create
    eventually(lambda: len(ids(search(admin, "Stone"))) == 1)

    zoe = create(admin, {"name": "Zoë Martin", "email": "zoe@example.com", "city": "Paris"})
    waited = eventually(lambda: zoe["id"] in ids(search(admin, "Martin")))
    assert waited < 2.0

    assert ids(search(admin, "Pariss")) == [zoe["id"]]  # a typo
    assert ids(search(admin, "Mart")) == [zoe["id"]]  # a prefix
    assert ids(search(admin, "zoe")) == [zoe["id"]]  # accents folded
    r = search(admin, "Pariss")
    hit = data(r)[0]
    assert hit["type"] == "customer" and hit["status"] == "active" and hit["score"] > 0
    assert hit["attributes"] == {"name": "Zoë Martin", "email": "zoe@example.com", "city": "Paris"}
    assert hit["highlights"]["city"] == "<mark>Paris</mark>"
    meta = r.json()["meta"]
    assert meta["found"] == 1 and meta["page"] == 1 and meta["query_id"]


def test_updates_deletes_and_restores_reach_the_index(admin: Api) -> None:
    searchable(admin)
    record = create(admin, {"name": "Alice Keller", "city": "Bern"})
    eventually(lambda: ids(search(admin, "Keller")) == [record["id"]])

    r = admin.http.patch(
        f"/api/v1/entities/customer/{record['id']}", json={"attributes": {"name": "Alice Moser"}}
    )
    data(r)
    eventually(lambda: ids(search(admin, "Moser")) == [record["id"]])
    assert ids(search(admin, "Keller")) == []

    data(admin.http.delete(f"/api/v1/entities/customer/{record['id']}"))
    eventually(lambda: ids(search(admin, "Moser")) == [])
    data(admin.post(f"/api/v1/entities/customer/{record['id']}/restore"))
    eventually(lambda: ids(search(admin, "Moser")) == [record["id"]])


def test_filters_facets_sort_and_pages(admin: Api) -> None:
    searchable(admin)
    people = [
        ("Ann", "Paris", 25, True),
        ("Ben", "Paris", 41, False),
        ("Cid", "Paris", 35, False),
        ("Dee", "Lyon", 52, True),
        ("Eve", "Nice", 30, False),
    ]
    made = {n: create(admin, {"name": n, "city": c, "age": a, "vip": v})["id"] for n, c, a, v in people}
    eventually(lambda: search(admin).json()["meta"]["found"] == 5)

    r = search(admin, facets=["city", "vip"])
    counts = {f: {v["value"]: v["count"] for v in values} for f, values in r.json()["meta"]["facets"].items()}
    assert counts == {"city": {"Paris": 3, "Lyon": 1, "Nice": 1}, "vip": {"true": 2, "false": 3}}

    r = search(admin, filters={"city": "Paris", "age": {"gte": 30}}, sort="age:desc")
    assert ids(r) == [made["Ben"], made["Cid"]]
    assert ids(search(admin, filters={"city": ["Lyon", "Nice"]}, sort="age:asc")) == [
        made["Eve"],
        made["Dee"],
    ]
    assert ids(search(admin, filters={"vip": True, "age": {"lt": 50}})) == [made["Ann"]]
    assert ids(search(admin, filters={"status": "active", "city": {"ne": "Paris"}}, sort="age:asc")) == [
        made["Eve"],
        made["Dee"],
    ]

    first = search(admin, sort="age:asc", per_page=2, page=2)
    assert ids(first) == [made["Cid"], made["Ben"]] and first.json()["meta"]["found"] == 5
    assert search(admin, per_page=1000).json()["meta"]["per_page"] == 100  # capped


def test_undeclared_fields_and_bad_filters_are_refused_by_name(admin: Api) -> None:
    searchable(admin)
    err = error_of(search(admin, filters={"email": "x", "tags": "vip"}), 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == ["/filters/tags"]
    assert "not a search field or facet" in err["details"]["fields"][0]["message"]

    err = error_of(search(admin, facets=["city", "name"]), 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == ["/facets/1"]
    err = error_of(search(admin, sort="tags:asc"), 422, "validation_failed")
    assert (
        err["details"]["fields"][0]["field"] == "/sort" and "tags" in err["details"]["fields"][0]["message"]
    )
    err = error_of(search(admin, sort="age:sideways"), 422, "validation_failed")
    err = error_of(search(admin, filters={"city": {"gte": "M"}}), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "/filters/city/gte"
    err = error_of(search(admin, filters={"age": {"about": 3}}), 422, "validation_failed")
    assert "unknown operator" in err["details"]["fields"][0]["message"]
    error_of(search(admin, filters={"age": "old"}), 422, "validation_failed")
    error_of(search(admin, per_page=0), 422, "validation_failed")
    error_of(
        admin.post("/api/v1/entities/customer/search", json={"q": "x", "colour": 1}), 422, "validation_failed"
    )
    # A refused search is not logged.
    report = data(admin.get("/api/v1/search/analytics"))
    assert report["searches"] == 0


def test_a_type_without_search_settings_or_unknown_type(admin: Api) -> None:
    customer_type(admin, "plain")
    err = error_of(search(admin, "x", type_name="plain"), 409, "not_searchable")
    assert "plain" in err["message"]
    error_of(admin.get("/api/v1/entities/plain/autocomplete", params={"q": "x"}), 409, "not_searchable")
    error_of(search(admin, "x", type_name="nothing"), 404, "not_found")


def test_tenants_never_see_each_others_records(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
) -> None:
    other = api(make_tenant("Other").api_key)
    searchable(admin)
    searchable(other)
    mine = create(admin, {"name": "Quentin Tarasov", "city": "Oslo"})
    theirs = create(other, {"name": "Quentin Tarasov", "city": "Oslo"})
    eventually(lambda: ids(search(admin, "Tarasov")) == [mine["id"]])
    eventually(lambda: ids(search(other, "Tarasov")) == [theirs["id"]])
    assert ids(other.post("/api/v1/search", json={"q": "Quentin"})) == [theirs["id"]]
    assert search(other, filters={"external_id": mine["id"]}).json()["meta"]["found"] == 0


def test_federated_search_and_autocomplete(admin: Api) -> None:
    searchable(admin)
    searchable(admin, "supplier")
    customer_type(admin, "plain")
    c = create(admin, {"name": "Northwind Traders", "city": "Seattle"})
    s = create(admin, {"name": "Northwind Supply", "city": "Boston"}, type_name="supplier")
    eventually(lambda: len(data(admin.post("/api/v1/search", json={"q": "northwind"}))) == 2)

    r = admin.post("/api/v1/search", json={"q": "northwind"})
    assert {(h["type"], h["id"]) for h in data(r)} == {("customer", c["id"]), ("supplier", s["id"])}
    assert r.json()["meta"]["per_type"] == {"customer": 1, "supplier": 1} and r.json()["meta"]["query_id"]
    only = data(admin.post("/api/v1/search", json={"q": "northwind", "types": ["supplier"]}))
    assert [h["id"] for h in only] == [s["id"]]
    err = error_of(
        admin.post("/api/v1/search", json={"q": "x", "types": ["plain", "nope"]}), 422, "validation_failed"
    )
    assert [f["field"] for f in err["details"]["fields"]] == ["/types/0", "/types/1"]

    suggestions = data(admin.get("/api/v1/entities/supplier/autocomplete", params={"q": "nort"}))
    assert suggestions == [
        {
            "id": s["id"],
            "field": "name",
            "text": "Northwind Supply",
            "highlighted": "<mark>Nort</mark>hwind Supply",
        }
    ]
    error_of(admin.get("/api/v1/entities/supplier/autocomplete", params={"q": " "}), 422, "validation_failed")


def test_analytics_top_and_zero_result_queries_and_click_through(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
) -> None:
    searchable(admin)
    paris = create(admin, {"name": "Pia", "city": "Paris"})
    eventually(lambda: ids(search(admin, "paris")) == [paris["id"]])
    before = data(admin.get("/api/v1/search/analytics"))["searches"]
    query_ids = [search(admin, q).json()["meta"]["query_id"] for q in ("Paris", " paris ", "PARIS")]
    for _ in range(2):
        assert search(admin, "zanzibar").json()["meta"]["found"] == 0
    click = admin.post(
        "/api/v1/search/clicks", json={"query_id": query_ids[0], "entity_id": paris["id"], "position": 1}
    )
    assert data(click, 201)["query_id"] == query_ids[0]

    report = data(admin.get("/api/v1/search/analytics", params={"limit": 5}))
    assert report["searches"] == before + 5
    top = {q["query"]: q for q in report["top_queries"]}
    assert top["paris"]["searches"] == before + 3 and top["paris"]["clicks"] == 1
    assert top["paris"]["click_through"] == round(1 / (before + 3), 4)
    # (The polling above may have logged "paris" with no hits too, before the record was indexed.)
    zero = {q["query"]: q for q in report["zero_result_queries"]}
    assert zero["zanzibar"]["searches"] == 2 and zero["zanzibar"]["click_through"] == 0
    assert "zanzibar" not in top or top["zanzibar"]["searches"] == 2

    # Bad input: an unknown or another tenant's query, an inverted window; no permission.
    other = api(make_tenant("Other").api_key)
    body = {"query_id": query_ids[1], "entity_id": paris["id"]}
    error_of(other.post("/api/v1/search/clicks", json=body), 404, "not_found")
    error_of(admin.post("/api/v1/search/clicks", json={**body, "position": 0}), 422, "validation_failed")
    params = {"from": "2030-01-02T00:00:00Z", "to": "2030-01-01T00:00:00Z"}
    error_of(admin.get("/api/v1/search/analytics", params=params), 422, "validation_failed")
    assert data(other.get("/api/v1/search/analytics"))["searches"] == 0


def test_reindex_swaps_the_alias_while_searches_keep_answering(
    admin: Api, live: Live, tenant: TenantFixture
) -> None:
    searchable(admin)
    made = [
        create(admin, {"name": f"Walker {i}", "city": "Rome" if i % 2 else "Milan"})["id"] for i in range(40)
    ]
    eventually(lambda: search(admin, "walker").json()["meta"]["found"] == 40)
    index = SearchIndex.from_settings(live.settings)
    alias = alias_name(tenant.id, "customer")
    collections = [index.alias_target(alias)]

    failures: list[str] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            r = search(admin, "walker")
            if r.status_code != 200 or r.json()["meta"]["found"] != 40:
                failures.append(r.text)

    worker = threading.Thread(target=keep_searching)
    worker.start()
    try:
        # A settings change (a new facet) rebuilds into a new collection behind the alias.
        current = data(admin.get("/api/v1/entity-types/customer"))
        body = {k: current[k] for k in ("schema", "unique", "statuses")}
        body["search"] = {**SEARCH, "facets": ["city", "age"]}
        data(admin.http.put("/api/v1/entity-types/customer", json=body))
        # The rebuild is the worker's: on a loaded machine it may take a while; its timing is not the point.
        eventually(lambda: search(admin, facets=["age"]).status_code == 200, timeout=90)
        collections.append(index.alias_target(alias))

        args = argparse.Namespace(type="customer", tenant=tenant.domain, timeout=60.0, no_wait=False)
        assert cmd_reindex(live.settings, args) == 0
        collections.append(index.alias_target(alias))
        time.sleep(0.3)
    finally:
        stop.set()
        worker.join()
    assert failures == []
    assert len(set(collections)) == 3 and str(collections[-1]).endswith("_v3")
    assert index.count(str(collections[-1])) == 40
    assert index.count(str(collections[0])) == 0  # the old collections are dropped
    r = search(admin, "walker", facets=["age"], per_page=100)
    assert sorted(ids(r)) == sorted(made)


def test_reindex_from_the_command_line_refuses_what_it_cannot_rebuild(
    admin: Api, live: Live, tenant: TenantFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    customer_type(admin, "plain")
    for type_name, message in (("plain", "has no search settings"), ("nothing", "no entity type 'nothing'")):
        args = argparse.Namespace(type=type_name, tenant=tenant.domain, timeout=5.0, no_wait=False)
        assert cmd_reindex(live.settings, args) == 1
        assert message in capsys.readouterr().err


def test_writes_succeed_while_typesense_is_down_and_the_index_catches_up(
    admin: Api, typesense: TypesenseServer
) -> None:
    searchable(admin)
    create(admin, {"name": "Before Outage"})
    eventually(lambda: len(ids(search(admin, "outage"))) == 1)
    typesense.stop()
    try:
        during = create(admin, {"name": "During Outage"})
        error_of(search(admin, "outage"), 503, "service_unavailable")
        time.sleep(1)  # the sync has tried and failed by now
    finally:
        typesense.start()
    waited = eventually(lambda: during["id"] in ids(search(admin, "outage")), timeout=60)
    assert waited < 60

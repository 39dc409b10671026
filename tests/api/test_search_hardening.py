"""Search keeps its promises: a locale keeps typo and accent matching, a settings change never fails a
search, cross-type search spans any number of types, and out-of-range filter values are a 422."""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

from sqlalchemy import Engine

from adapters.search import SearchIndex
from cli.search import cmd_reindex
from domain.search.indexing import alias_name
from tests.api.conftest import Api, Live, data, error_of
from tests.api.entity_helpers import CUSTOMER_SCHEMA, create
from tests.api.test_export_scale import _bulk_insert
from tests.api.test_search import eventually, ids, search
from tests.conftest import TenantFixture

README_SEARCH = {"fields": ["name", "email", "city"], "facets": ["city"], "locale": "fr"}


def _type(admin: Api, name: str, search: dict[str, Any]) -> None:
    data(
        admin.post("/api/v1/entity-types", json={"name": name, "schema": CUSTOMER_SCHEMA, "search": search}),
        201,
    )


def test_the_readme_locale_keeps_typos_and_accents_matching(admin: Api) -> None:
    _type(admin, "customer", README_SEARCH)
    zoe = create(admin, {"name": "Zoë Martin", "email": "zoe@example.com", "city": "Paris"})
    eventually(lambda: ids(search(admin, "Martin")) == [zoe["id"]])
    assert ids(search(admin, "Zoe")) == [zoe["id"]]  # accent folded
    assert ids(search(admin, "zoë")) == [zoe["id"]]
    assert ids(search(admin, "Martim")) == [zoe["id"]]  # a typo
    assert ids(search(admin, "Mart")) == [zoe["id"]]  # a prefix


def test_searches_never_fail_while_a_settings_change_rebuilds_the_index(admin: Api) -> None:
    _type(admin, "customer", {"fields": ["name"], "facets": ["city"]})
    made = [
        create(admin, {"name": f"Walker {i}", "city": "Rome", "email": f"w{i}@x.org"})["id"]
        for i in range(30)
    ]
    eventually(lambda: search(admin, "walker").json()["meta"]["found"] == 30)
    failures: list[str] = []
    answered: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            r = search(admin, "walker", filters={"city": "Rome"})
            answered.append(r.status_code)
            if r.status_code != 200 or r.json()["meta"]["found"] != 30:
                failures.append(f"{r.status_code} {r.text[:300]}")

    worker = threading.Thread(target=keep_searching)
    worker.start()
    try:
        time.sleep(0.2)
        # New text fields and a locale: the new layout queries fields the old collection lacks.
        body = {
            "schema": CUSTOMER_SCHEMA,
            "search": README_SEARCH | {"fields": ["name", "email", "city", "tags"]},
        }
        data(admin.http.put("/api/v1/entity-types/customer", json=body))
        eventually(lambda: ids(search(admin, "w7@x.org")) != [], timeout=30)  # email is searchable now
        time.sleep(0.3)
    finally:
        stop.set()
        worker.join()
    assert failures == [] and len(answered) > 5
    assert sorted(ids(search(admin, "walker", per_page=100))) == sorted(made)


def test_cross_type_search_spans_more_types_than_one_multi_search_takes(admin: Api) -> None:
    names = [f"kind_{i:02d}" for i in range(55)]
    for name in names:
        _type(admin, name, {"fields": ["name"]})
    first = create(admin, {"name": "Quixote first"}, type_name=names[0])
    last = create(admin, {"name": "Quixote last"}, type_name=names[-1])
    eventually(lambda: len(data(admin.post("/api/v1/search", json={"q": "quixote"}))) == 2, timeout=30)
    r = admin.post("/api/v1/search", json={"q": "quixote"})
    assert {h["id"] for h in data(r)} == {first["id"], last["id"]}
    per_type = r.json()["meta"]["per_type"]
    assert len(per_type) == 55 and per_type[names[-1]] == 1 and per_type[names[30]] == 0


def test_numeric_filter_values_outside_the_field_range_are_refused(admin: Api) -> None:
    _type(admin, "customer", {"fields": ["name"], "sortable": ["age"]})
    kept = create(admin, {"name": "Ann", "age": 40})
    eventually(lambda: ids(search(admin, "ann")) == [kept["id"]])
    for spec in ({"gte": 1e308}, {"lt": -1e30}, {"eq": 2**63}, {"in": [1, 1e20]}, {"gt": 1.5}):
        start = time.monotonic()
        err = error_of(search(admin, "", filters={"age": spec}), 422, "validation_failed")
        assert time.monotonic() - start < 1
        assert err["details"]["fields"][0]["field"].startswith("/filters/age"), err
    assert ids(search(admin, "", filters={"age": {"gte": 40, "lte": 2**62}})) == [kept["id"]]
    assert ids(search(admin, "", filters={"age": {"gt": 40}})) == []


def test_a_rebuild_indexes_every_record_past_one_read_batch(
    admin: Api, admin_engine: Engine, tenant: TenantFixture, live: Live
) -> None:
    _type(admin, "customer", {"fields": ["name"]})
    etype = data(admin.get("/api/v1/entity-types/customer"))
    _bulk_insert(admin_engine, tenant, etype["id"], 4500)
    args = argparse.Namespace(type="customer", tenant=tenant.domain, timeout=120.0, no_wait=False)
    assert cmd_reindex(live.settings, args) == 0
    index = SearchIndex.from_settings(live.settings)
    assert index.count(alias_name(tenant.id, "customer")) == 4500
    assert search(admin, "n4321").json()["meta"]["found"] >= 1

"""Bulk creates, replaces and deletes: a result per item, atomic all-or-nothing, one event per request."""

from __future__ import annotations

import time

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import create, customer_type

BULK = "/api/v1/entities/customer/bulk"


def names(admin: Api) -> set[str]:
    return {
        r["attributes"]["name"] for r in data(admin.get("/api/v1/entities/customer", params={"limit": 200}))
    }


def test_per_item_results_keep_the_good_items_and_explain_the_bad_ones(admin: Api) -> None:
    customer_type(admin)
    items = [
        {"attributes": {"name": "Ann", "email": "ann@example.com"}, "external_id": "b-1"},
        {"attributes": {"email": "nameless@example.com", "age": -1}},
        {"attributes": {"name": "Bob", "email": "ANN@example.com"}},
        "not an object",
        {"attributes": {"name": "Cid"}, "status": "inactive", "colour": "red"},
        {"attributes": {"name": "Dan"}, "status": "inactive"},
    ]
    r = admin.post(BULK, json={"items": items})
    results = data(r, 200)
    assert r.json()["meta"] == {"created": 2, "updated": 0, "deleted": 0, "failed": 4}
    assert [x["index"] for x in results] == list(range(6))
    assert [x["status"] for x in results] == ["created", "error", "error", "error", "error", "created"]
    assert results[1]["error"]["code"] == "validation_failed" and results[1]["id"] is None
    assert {f["field"] for f in results[1]["error"]["fields"]} == {"/attributes/name", "/attributes/age"}
    assert results[2]["error"]["code"] == "unique_violation"
    assert results[4]["error"]["fields"][0]["field"] == "/colour"
    assert names(admin) == {"Ann", "Dan"}
    ann = data(admin.get(f"/api/v1/entities/customer/{results[0]['id']}"))
    assert ann["external_id"] == "b-1" and ann["version"] == 1

    # One event for the request, naming the records it changed.
    deadline = time.monotonic() + 10
    while True:
        events = data(admin.get("/api/v1/events", params={"type": "entity.*"}))
        if events or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert [e["type"] for e in events] == ["entity.batch_changed"]
    assert events[0]["payload"] == {
        "type": "customer",
        "ids": [results[0]["id"], results[5]["id"]],
        "source": "bulk",
    }


def test_atomic_writes_nothing_when_one_item_is_bad(admin: Api) -> None:
    customer_type(admin)
    kept = create(admin, {"name": "Kept", "email": "kept@example.com"})
    items = [{"attributes": {"name": f"P{i}"}} for i in range(5)] + [{"attributes": {"name": ""}}]
    err = error_of(
        admin.post(BULK, params={"atomic": "true"}, json={"items": items}), 422, "validation_failed"
    )
    assert [f["field"] for f in err["details"]["fields"]] == ["/items/5/attributes/name"]
    results = err["details"]["results"]
    # The good items were rolled back with the rest: none claims to be created or carries an id.
    assert [x["status"] for x in results] == ["rolled_back"] * 5 + ["error"]
    assert all(x["id"] is None for x in results)
    assert names(admin) == {"Kept"}
    err = error_of(
        admin.http.request("DELETE", BULK, params={"atomic": "true"}, json={"items": [kept["id"], "nope"]}),
        422,
        "validation_failed",
    )
    assert err["details"]["results"][1]["error"]["fields"] == [{"field": "/id", "message": "must be a UUID"}]
    assert err["details"]["results"][0] == {"index": 0, "status": "rolled_back", "id": None, "error": None}
    assert names(admin) == {"Kept"}
    # All good: all written.
    ok = admin.post(BULK, params={"atomic": "true"}, json={"items": items[:5]})
    assert [x["status"] for x in data(ok)] == ["created"] * 5
    assert len(names(admin)) == 6


def test_replace_by_id_or_external_id_and_delete(admin: Api) -> None:
    customer_type(admin)
    a = create(admin, {"name": "Ann"}, external_id="r-1")
    b = create(admin, {"name": "Bob"})
    r = admin.http.request(
        "PUT",
        BULK,
        json={
            "items": [
                {"id": a["id"], "attributes": {"name": "Ann 2"}, "external_id": "r-1"},
                {"external_id": "r-9", "attributes": {"name": "New"}},
                {"id": b["id"], "attributes": {"name": "Bob", "age": "old"}},
                {"attributes": {"name": "No id"}},
                {"id": "00000000-0000-0000-0000-000000000000", "attributes": {"name": "Ghost"}},
            ]
        },
    )
    results = data(r)
    assert [x["status"] for x in results] == ["updated", "created", "error", "error", "error"]
    assert results[0]["id"] == a["id"] and results[4]["error"]["code"] == "not_found"
    assert data(admin.get(f"/api/v1/entities/customer/{a['id']}"))["version"] == 2
    assert names(admin) == {"Ann 2", "Bob", "New"}

    r = admin.http.request("DELETE", BULK, json={"items": [a["id"], {"id": b["id"]}, a["id"]]})
    assert [x["status"] for x in data(r)] == ["deleted", "deleted", "error"]
    assert names(admin) == {"New"}


def test_limits_and_unknown_types(admin: Api) -> None:
    customer_type(admin)
    too_many: list[dict[str, str]] = [{}] * 1001  # small: the body stays under the test API's size limit
    error_of(admin.post(BULK, json={"items": too_many}), 422, "validation_failed")
    error_of(admin.post(BULK, json={"items": []}), 422, "validation_failed")
    error_of(admin.post(BULK, json={"things": []}), 422, "validation_failed")
    error_of(
        admin.post("/api/v1/entities/nothing/bulk", json={"items": [{"attributes": {}}]}), 404, "not_found"
    )
    assert names(admin) == set()


def test_a_thousand_items_in_one_request(admin: Api) -> None:
    customer_type(admin)
    items = [{"attributes": {"name": f"n{i}", "age": i}} for i in range(1000)]
    started = time.perf_counter()
    r = admin.post(BULK, json={"items": items}, params={"on_duplicate": "allow"})
    elapsed = time.perf_counter() - started
    assert r.json()["meta"]["created"] == 1000, r.text
    print(f"bulk: 1000 items in {elapsed:.2f} s ({1000 / elapsed:.0f} items/s)")

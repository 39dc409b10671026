"""Paging a list sorted on an attribute that some records lack reaches every record exactly once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import create, customer_type


def _walk(admin: Api, sort: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    cursor = None
    for _ in range(20):
        params = {"sort": sort, "limit": "2"} | ({"cursor": cursor} if cursor else {})
        r = admin.get("/api/v1/entities/customer", params=params)
        seen += data(r)
        cursor = r.json()["meta"].get("next_cursor")
        if not cursor:
            return seen
    raise AssertionError("paging did not end")


@pytest.mark.parametrize("sort", ["age", "-age", "vip", "-vip", "city", "-city"])
def test_paging_on_a_sometimes_missing_attribute_reaches_each_record_once(admin: Api, sort: str) -> None:
    customer_type(admin)
    rows: list[dict[str, Any]] = [
        {"name": "a", "age": 30, "vip": True, "city": "Lyon"},
        {"name": "b"},
        {"name": "c", "age": 30, "vip": False, "city": "Lyon"},
        {"name": "d", "age": 5, "vip": True},
        {"name": "e"},
        {"name": "f", "age": 41, "city": "Paris"},
        {"name": "g"},
    ]
    for attrs in rows:
        create(admin, attrs)
    seen = _walk(admin, sort)
    names = [r["attributes"]["name"] for r in seen]
    assert sorted(names) == sorted(a["name"] for a in rows), names
    field = sort.lstrip("-")
    present = [r["attributes"][field] for r in seen if field in r["attributes"]]
    assert present == sorted(present, reverse=sort.startswith("-"))
    # Records without the attribute come last, whatever the direction.
    missing_at = [i for i, r in enumerate(seen) if field not in r["attributes"]]
    assert missing_at == list(range(len(present), len(seen)))


def test_unknown_flag_status_and_sort_values_are_refused(admin: Api) -> None:
    customer_type(admin)
    create(admin, {"name": "a", "age": 3})
    create(admin, {"name": "b"})
    cases = [
        ({"filter[age][exists]": "maybe"}, "filter[age][exists]"),
        ({"filter[age][exists]": ""}, "filter[age][exists]"),
        ({"include_deleted": "perhaps"}, "include_deleted"),
        ({"status": "active,archived"}, "status"),
        ({"sort": "--age"}, "sort"),
    ]
    for params, field in cases:
        for path in ("/api/v1/entities/customer", "/api/v1/entities/customer/export"):
            err = error_of(admin.get(path, params=params), 422, "validation_failed")
            assert [f["field"] for f in err["details"]["fields"]] == [field], (params, err)

    def names(params: dict[str, str]) -> list[str]:
        return sorted(
            r["attributes"]["name"] for r in data(admin.get("/api/v1/entities/customer", params=params))
        )

    assert names({"filter[age][exists]": "true"}) == ["a"]
    assert names({"filter[age][exists]": "FALSE"}) == ["b"]
    assert names({"status": "active", "include_deleted": "false"}) == ["a", "b"]
    assert names({"sort": "+age"}) == ["a", "b"]


def test_numeric_filter_values_a_record_cannot_hold_and_huge_value_lists_are_refused(admin: Api) -> None:
    customer_type(admin)
    create(admin, {"name": "a", "age": 3})
    cases = [
        ({"filter[age][gte]": "1e999999"}, "filter[age]"),
        ({"filter[age][lt]": "-1E+400"}, "filter[age]"),
        ({"filter[age][gt]": "NaN"}, "filter[age]"),
        ({"filter[age][gt]": "Infinity"}, "filter[age]"),
        ({"filter[name][in]": ",".join(f"n{i}" for i in range(251))}, "filter[name][in]"),
    ]
    for params, field in cases:
        err = error_of(admin.get("/api/v1/entities/customer", params=params), 422, "validation_failed")
        assert [f["field"] for f in err["details"]["fields"]] == [field], (params, err)
    assert len(data(admin.get("/api/v1/entities/customer", params={"filter[age][lt]": "1e300"}))) == 1
    many = ",".join(["a"] + [f"n{i}" for i in range(249)])
    assert len(data(admin.get("/api/v1/entities/customer", params={"filter[name][in]": many}))) == 1


def test_history_is_paged_newest_first(admin: Api) -> None:
    customer_type(admin)
    record = create(admin, {"name": "v1"})
    url = f"/api/v1/entities/customer/{record['id']}"
    for i in range(2, 6):
        data(admin.http.patch(url, json={"attributes": {"name": f"v{i}"}}))
    versions: list[int] = []
    cursor = None
    for _ in range(5):
        r = admin.get(url + "/history", params={"limit": "2"} | ({"cursor": cursor} if cursor else {}))
        versions += [v["version"] for v in data(r)]
        cursor = r.json()["meta"]["next_cursor"]
        if not cursor:
            break
    assert versions == [5, 4, 3, 2, 1]
    assert len(data(admin.get(url + "/history"))) == 5
    err = error_of(admin.get(url + "/history", params={"cursor": "nope"}), 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == ["cursor"]

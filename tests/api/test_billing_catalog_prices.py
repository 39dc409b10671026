"""Prices through the API: one-time, recurring and usage prices, every rule of their shape a 422
naming its field with nothing stored, immutable except ``active``, filters, isolation, permissions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of
from tests.api.test_billing_catalog_helpers import fields, user_with

GRADUATED = {
    "metric": "api_calls",
    "model": "graduated",
    "tiers": [
        {"up_to": 1000, "unit_amount": "0.10"},
        {"up_to": 10000, "unit_amount": "0.08", "flat_amount": "5"},
        {"up_to": None, "unit_amount": "0.05"},
    ],
}


@pytest.fixture
def product(admin: Api) -> dict[str, Any]:
    """A product, and the billable metrics its usage prices name."""
    for code in ("api_calls", "calls", "seats"):
        data(
            admin.post("/api/v1/billable-metrics", json={"code": code, "name": code, "aggregation": "count"}),
            201,
        )
    return data(admin.post("/api/v1/products", json={"name": "API plan"}), 201)


def price(product: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"product": product["id"], "currency": "EUR", "unit_amount": "12.30", "type": "one_time"} | kw


def test_one_time_recurring_and_usage_prices(admin: Api, product: dict[str, Any]) -> None:
    created = admin.post("/api/v1/prices", json=price(product))
    once = data(created, 201)
    assert created.headers["Location"] == f"/api/v1/prices/{once['id']}"
    assert (once["unit_amount"], once["currency"], once["interval"], once["usage"]) == (
        "12.30",
        "EUR",
        None,
        None,
    )
    yen = data(admin.post("/api/v1/prices", json=price(product, currency="jpy", unit_amount="500")), 201)
    assert yen["unit_amount"] == "500"
    dinar = data(admin.post("/api/v1/prices", json=price(product, currency="KWD", unit_amount="1.125")), 201)
    assert dinar["unit_amount"] == "1.125"
    monthly = data(
        admin.post(
            "/api/v1/prices", json=price(product, type="recurring", interval="month", interval_count=3)
        ),
        201,
    )
    assert (monthly["interval"], monthly["interval_count"]) == ("month", 3)
    tiered = price(product, type="recurring", interval="month", usage=GRADUATED)
    del tiered["unit_amount"]
    usage = data(admin.post("/api/v1/prices", json=tiered), 201)["usage"]
    assert usage["model"] == "graduated" and usage["tiers"][1] == {
        "up_to": 10000,
        "unit_amount": "0.08",
        "flat_amount": "5.00",
    }
    assert usage["tiers"][2]["up_to"] is None
    package = price(
        product,
        type="recurring",
        interval="year",
        usage={"metric": "seats", "model": "package", "package_size": 10},
    )
    assert data(admin.post("/api/v1/prices", json=package), 201)["usage"]["package_size"] == 10
    item = f"/api/v1/prices/{once['id']}"
    assert data(admin.get(item)) == once


def test_prices_are_immutable_except_active_and_listed_with_filters(
    admin: Api, product: dict[str, Any]
) -> None:
    other_product = data(admin.post("/api/v1/products", json={"name": "Other"}), 201)
    once = data(admin.post("/api/v1/prices", json=price(product)), 201)
    data(
        admin.post("/api/v1/prices", json=price(product, type="recurring", interval="week", currency="USD")),
        201,
    )
    data(admin.post("/api/v1/prices", json=price(other_product)), 201)
    item = f"/api/v1/prices/{once['id']}"
    for change in ({"unit_amount": "1.00"}, {"currency": "USD"}, {"active": False, "interval": "day"}, {}):
        error_of(admin.patch(item, json=change), 422, "validation_failed")
    assert data(admin.get(item))["unit_amount"] == "12.30"
    assert data(admin.patch(item, json={"active": False}))["active"] is False
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "price", "entity_id": once["id"]}))
    assert {a["action"] for a in audit} == {"price.created", "price.updated"}

    def names(**params: Any) -> list[tuple[bool, str, str]]:
        return [
            (p["product"] == product["id"], p["currency"], p["type"])
            for p in data(admin.get("/api/v1/prices", params=params))
        ]

    assert names(product=product["id"]) == [(True, "USD", "recurring"), (True, "EUR", "one_time")]
    assert names(currency="usd") == [(True, "USD", "recurring")]
    assert names(type="one_time", active="true") == [(False, "EUR", "one_time")]
    assert names(active="false") == [(True, "EUR", "one_time")]
    page = admin.get("/api/v1/prices", params={"limit": 2}).json()
    rest = data(admin.get("/api/v1/prices", params={"limit": 2, "cursor": page["meta"]["next_cursor"]}))
    assert len(page["data"]) == 2 and len(rest) == 1
    error_of(admin.get("/api/v1/prices", params={"type": "weekly"}), 422, "validation_failed")


RECURRING = {"type": "recurring", "interval": "month"}


@pytest.mark.parametrize(
    ("change", "bad"),
    [
        ({"type": "recurring"}, ["interval"]),
        ({"interval": "month"}, ["interval"]),
        ({"interval_count": 2}, ["interval_count"]),
        ({"usage": {"metric": "calls", "model": "per_unit"}}, ["usage"]),
        ({"unit_amount": "12.345"}, ["unit_amount"]),
        ({"currency": "JPY", "unit_amount": "1.5"}, ["unit_amount"]),
        ({"unit_amount": "-1.00"}, ["unit_amount"]),
        ({"unit_amount": "abc"}, ["unit_amount"]),
        ({"unit_amount": None}, ["unit_amount"]),
        ({"currency": "ZZZ"}, ["currency"]),
        ({"type": "monthly"}, ["type"]),
        (RECURRING | {"interval": "fortnight"}, ["interval"]),
        (RECURRING | {"interval_count": 0}, ["interval_count"]),
        (RECURRING | {"interval_count": 366}, ["interval_count"]),
        (
            RECURRING | {"usage": {"metric": "calls", "model": "per_unit"}, "unit_amount": None},
            ["unit_amount"],
        ),
        (RECURRING | {"usage": {"metric": "calls", "model": "package"}}, ["usage.package_size"]),
        (
            RECURRING | {"usage": {"metric": "calls", "model": "per_unit", "package_size": 5}},
            ["usage.package_size"],
        ),
        (RECURRING | {"usage": {"metric": "calls", "model": "per_unit", "tiers": []}}, ["usage.tiers"]),
        (RECURRING | {"usage": {"metric": "Bad Metric", "model": "per_unit"}}, ["usage.metric"]),
        (RECURRING | {"usage": {"metric": "unknown_metric", "model": "per_unit"}}, ["usage.metric"]),
        (RECURRING | {"usage": {"metric": "calls", "model": "flat"}}, ["usage.model"]),
        (RECURRING | {"usage": {"metric": "calls", "model": "volume"}, "unit_amount": None}, ["usage.tiers"]),
        (RECURRING | {"usage": GRADUATED}, ["unit_amount"]),  # tiers carry the amounts
        (
            RECURRING
            | {"unit_amount": None, "usage": GRADUATED | {"tiers": [{"up_to": 10, "unit_amount": "1"}]}},
            ["usage.tiers.0.up_to"],
        ),
        (
            RECURRING
            | {
                "unit_amount": None,
                "usage": GRADUATED
                | {
                    "tiers": [
                        {"up_to": 10, "unit_amount": "1"},
                        {"up_to": 10, "unit_amount": "0.5"},
                        {"up_to": None, "unit_amount": "0.1"},
                    ]
                },
            },
            ["usage.tiers.1.up_to"],
        ),
        (
            RECURRING
            | {
                "unit_amount": None,
                "usage": GRADUATED
                | {"tiers": [{"up_to": None, "unit_amount": "1"}, {"up_to": None, "unit_amount": "0.5"}]},
            },
            ["usage.tiers.0.up_to"],
        ),
        (
            RECURRING
            | {
                "unit_amount": None,
                "usage": GRADUATED
                | {
                    "tiers": [
                        {"up_to": 10, "unit_amount": "1.001"},
                        {"up_to": None, "unit_amount": "0.5", "flat_amount": "-2"},
                    ]
                },
            },
            ["usage.tiers.0.unit_amount", "usage.tiers.1.flat_amount"],
        ),
        (
            RECURRING
            | {
                "unit_amount": None,
                "usage": GRADUATED | {"tiers": [{"up_to": None, "unit_amount": "1"}] * 21},
            },
            ["usage.tiers"],
        ),
        ({"product": "00000000-0000-0000-0000-000000000001"}, ["product"]),
        ({"product": "not-a-uuid"}, ["product"]),
        ({"nickname": "x"}, ["nickname"]),
    ],
)
def test_bad_prices_are_refused_and_nothing_is_stored(
    admin: Api, product: dict[str, Any], change: dict[str, Any], bad: list[str]
) -> None:
    body = {k: v for k, v in (price(product) | change).items() if v is not None}
    error = error_of(admin.post("/api/v1/prices", json=body), 422, "validation_failed")
    assert sorted(fields(error)) == sorted(bad), error
    assert data(admin.get("/api/v1/prices")) == []


def test_isolation_and_permissions(
    admin: Api, api: Any, tenant: Any, make_tenant: Any, product: dict[str, Any]
) -> None:
    once = data(admin.post("/api/v1/prices", json=price(product)), 201)
    other = api(make_tenant("Other").api_key)
    item = f"/api/v1/prices/{once['id']}"
    error_of(other.get(item), 404, "not_found")
    error_of(other.patch(item, json={"active": False}), 404, "not_found")
    assert data(other.get("/api/v1/prices")) == []
    assert fields(error_of(other.post("/api/v1/prices", json=price(product)), 422, "validation_failed")) == [
        "product"
    ]
    data(admin.delete(f"/api/v1/products/{product['id']}"))
    deleted = error_of(admin.post("/api/v1/prices", json=price(product)), 422, "validation_failed")
    assert fields(deleted) == ["product"]
    reader = user_with(admin, api, tenant, "billing:read")
    assert data(reader.get(item))["id"] == once["id"]
    error_of(reader.patch(item, json={"active": False}), 403, "forbidden")
    error_of(reader.post("/api/v1/prices", json=price(product)), 403, "forbidden")
    error_of(user_with(admin, api, tenant, "tasks:read").get("/api/v1/prices"), 403, "forbidden")

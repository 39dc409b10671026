"""Tax rates through the API (writes need billing:settings) and the settings that decide reverse charge."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of
from tests.api.test_billing_catalog_helpers import fields, user_with

VAT = {"name": "VAT 20%", "percentage": "20", "inclusive": True, "country": "fr"}


def test_tax_rate_lifecycle_filters_and_pages(admin: Api) -> None:
    created = admin.post("/api/v1/tax-rates", json=VAT)
    vat = data(created, 201)
    assert created.headers["Location"] == f"/api/v1/tax-rates/{vat['id']}"
    assert (vat["percentage"], vat["country"], vat["region"], vat["category"], vat["inclusive"]) == (
        "20",
        "FR",
        None,
        None,
        True,
    )
    books = data(
        admin.post(
            "/api/v1/tax-rates", json=VAT | {"name": "Livres", "percentage": "5.5", "category": "Books"}
        ),
        201,
    )
    assert (books["percentage"], books["category"]) == ("5.5", "books")
    ca = {"name": "California", "percentage": "7.2500", "country": "US", "region": "US-CA"}
    california = data(admin.post("/api/v1/tax-rates", json=ca), 201)
    assert (california["percentage"], california["region"], california["inclusive"]) == ("7.25", "CA", False)
    edge = data(admin.post("/api/v1/tax-rates", json=VAT | {"percentage": "100.0000", "country": "DE"}), 201)
    assert edge["percentage"] == "100"
    item = f"/api/v1/tax-rates/{vat['id']}"
    assert data(admin.get(item)) == vat
    renamed = data(admin.patch(item, json={"name": "TVA 20 %", "active": False}))
    assert (renamed["name"], renamed["active"], renamed["percentage"]) == ("TVA 20 %", False, "20")

    def names(**params: Any) -> list[str]:
        return [r["name"] for r in data(admin.get("/api/v1/tax-rates", params=params))]

    assert names(country="fr") == ["Livres", "TVA 20 %"]
    assert names(category="books") == ["Livres"]
    assert names(active="false") == ["TVA 20 %"]
    first = admin.get("/api/v1/tax-rates", params={"limit": 3}).json()
    rest = data(admin.get("/api/v1/tax-rates", params={"limit": 3, "cursor": first["meta"]["next_cursor"]}))
    assert len(first["data"]) == 3 and [r["name"] for r in rest] == ["TVA 20 %"]
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "tax_rate", "entity_id": vat["id"]}))
    assert {a["action"] for a in audit} == {"tax_rate.created", "tax_rate.updated"}
    data(admin.delete(item))
    error_of(admin.get(item), 404, "not_found")
    assert "TVA 20 %" not in names()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"percentage": "100.0001"}, "percentage"),
        ({"percentage": "101"}, "percentage"),
        ({"percentage": "-1"}, "percentage"),
        ({"percentage": "7.12345"}, "percentage"),
        ({"percentage": "abc"}, "percentage"),
        ({"percentage": 20}, "percentage"),
        ({"percentage": "1e2"}, "percentage"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"country": "XX"}, "country"),
        ({"country": None}, "country"),
        ({"region": "TOOLONG"}, "region"),
        ({"region": "US-CA"}, "region"),  # the rate is for France
        ({"category": "with space"}, "category"),
        ({"inclusive": "maybe"}, "inclusive"),
        ({"active": False}, "active"),
    ],
)
def test_bad_tax_rates_are_refused_and_nothing_is_stored(
    admin: Api, change: dict[str, Any], field: str
) -> None:
    body = VAT | change
    error = error_of(admin.post("/api/v1/tax-rates", json=body), 422, "validation_failed")
    assert fields(error) == [field], error
    assert data(admin.get("/api/v1/tax-rates")) == []


def test_a_percentage_never_changes(admin: Api) -> None:
    item = f"/api/v1/tax-rates/{data(admin.post('/api/v1/tax-rates', json=VAT), 201)['id']}"
    for change, field in (
        ({"percentage": "19"}, "percentage"),
        ({"active": None}, "active"),
        ({"name": ""}, "name"),
    ):
        assert fields(error_of(admin.patch(item, json=change), 422, "validation_failed")) == [field]
    assert data(admin.get(item))["percentage"] == "20"


def test_isolation_and_permissions(admin: Api, api: Any, tenant: Any, make_tenant: Any) -> None:
    vat = data(admin.post("/api/v1/tax-rates", json=VAT), 201)
    item = f"/api/v1/tax-rates/{vat['id']}"
    other = api(make_tenant("Other").api_key)
    error_of(other.get(item), 404, "not_found")
    error_of(other.patch(item, json={"active": False}), 404, "not_found")
    error_of(other.delete(item), 404, "not_found")
    assert data(other.get("/api/v1/tax-rates")) == []
    writer = user_with(admin, api, tenant, "billing:read", "billing:write")
    assert data(writer.get(item))["id"] == vat["id"]
    error_of(writer.post("/api/v1/tax-rates", json=VAT), 403, "forbidden")
    error_of(writer.patch(item, json={"active": False}), 403, "forbidden")
    error_of(writer.delete(item), 403, "forbidden")
    error_of(user_with(admin, api, tenant, "tasks:read").get("/api/v1/tax-rates"), 403, "forbidden")
    manager = user_with(admin, api, tenant, "billing:read", "billing:settings")
    assert data(manager.patch(item, json={"active": False}))["active"] is False

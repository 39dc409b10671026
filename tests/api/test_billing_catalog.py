"""Customers and products through the API: create, read, list with filters and pages, change (with
If-Match for customers), soft delete; every bad input a 422 naming its field with nothing stored;
another tenant's ids a 404; writes refused without billing:write."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of
from tests.api.test_billing_catalog_helpers import fields, user_with

CUSTOMER: dict[str, Any] = {
    "name": "Dupont SARL",
    "email": "Billing@Dupont.example",
    "currency": "eur",
    "address": {"country": "fr", "postal_code": "75001", "line1": "1 rue de Rivoli", "city": "Paris"},
    "tax_ids": [{"type": "eu_vat", "value": "FR 12 345 678 901"}],
    "locale": "fr-FR",
    "payment_terms_days": 45,
    "metadata": {"crm": "42"},
}


def new_customer(admin: Api, **extra: Any) -> dict[str, Any]:
    return data(admin.post("/api/v1/customers", json=CUSTOMER | extra), 201)


def test_customer_lifecycle_with_etags(admin: Api) -> None:
    created = admin.post("/api/v1/customers", json=CUSTOMER)
    customer = data(created, 201)
    assert created.headers["Location"] == f"/api/v1/customers/{customer['id']}"
    assert customer["currency"] == "EUR" and customer["locale"] == "fr_FR"
    assert customer["address"]["country"] == "FR" and customer["credit"] == "0.00"
    assert customer["tax_ids"] == [{"type": "eu_vat", "value": "FR12345678901"}]
    assert customer["payment_terms_days"] == 45 and customer["metadata"] == {"crm": "42"}
    item = f"/api/v1/customers/{customer['id']}"
    read = admin.get(item)
    etag = read.headers["ETag"]
    assert data(read)["email"] == "Billing@dupont.example"

    changed = admin.patch(
        item,
        json={"name": "Dupont SA", "address": {"country": "US", "region": "us-ca"}},
        headers={"If-Match": etag},
    )
    after = data(changed)
    assert after["name"] == "Dupont SA" and after["address"] == {"country": "US", "region": "CA"}
    assert after["email"] == customer["email"] and after["version"] == 2
    assert changed.headers["ETag"] != etag
    stale = error_of(
        admin.patch(item, json={"name": "Late"}, headers={"If-Match": etag}), 412, "precondition_failed"
    )
    assert stale["details"]["etag"] == changed.headers["ETag"]
    assert data(admin.patch(item, json={"currency": "USD"}))["currency"] == "USD"  # no credit yet

    audit = data(admin.get("/api/v1/audit", params={"entity_type": "customer", "entity_id": customer["id"]}))
    assert {"customer.created", "customer.updated"} <= {a["action"] for a in audit}
    assert data(admin.delete(item))["id"] == customer["id"]
    error_of(admin.get(item), 404, "not_found")
    error_of(admin.patch(item, json={"name": "x"}), 404, "not_found")
    assert data(admin.get("/api/v1/customers")) == []


def test_customer_filters_and_pages(admin: Api) -> None:
    new_customer(admin, name="A", email="a@x.example")
    new_customer(
        admin, name="B", email="b@x.example", currency="USD", address={"country": "US", "region": "NY"}
    )
    new_customer(admin, name="C", email="c@x.example", currency="GBP", address={"country": "GB"})
    assert [c["name"] for c in data(admin.get("/api/v1/customers", params={"email": "B@X.example"}))] == ["B"]
    assert [c["name"] for c in data(admin.get("/api/v1/customers", params={"currency": "gbp"}))] == ["C"]
    assert [c["name"] for c in data(admin.get("/api/v1/customers", params={"country": "US"}))] == ["B"]
    first = admin.get("/api/v1/customers", params={"limit": 2}).json()
    assert [c["name"] for c in first["data"]] == ["C", "B"] and first["meta"]["limit"] == 2
    rest = admin.get("/api/v1/customers", params={"limit": 2, "cursor": first["meta"]["next_cursor"]}).json()
    assert [c["name"] for c in rest["data"]] == ["A"] and rest["meta"]["next_cursor"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "XAU"}, "currency"),
        ({"address": {"country": "XX"}}, "address.country"),
        ({"address": {"country": "EU"}}, "address.country"),
        ({"address": {"country": "US", "region": "CALI"}}, "address.region"),
        ({"address": {"country": "US", "region": "MX-CA"}}, "address.region"),
        ({"address": {"country": "FR", "city": "x" * 101}}, "address.city"),
        ({"address": {"country": "FR", "planet": "Mars"}}, "address.planet"),
        ({"address": {}}, "address.country"),
        ({"tax_ids": [{"type": "eu_vat", "value": "GR123456789"}]}, "tax_ids.0.value"),  # Greece is EL
        ({"tax_ids": [{"type": "eu_vat", "value": "US123456789"}]}, "tax_ids.0.value"),
        ({"tax_ids": [{"type": "eu_vat", "value": "DE1"}]}, "tax_ids.0.value"),
        ({"tax_ids": [{"type": "eu_vat", "value": "DE1234567890123"}]}, "tax_ids.0.value"),
        ({"tax_ids": [{"type": "us_ein", "value": "12-34"}]}, "tax_ids.0.value"),
        ({"tax_ids": [{"type": "ssn", "value": "1"}]}, "tax_ids.0.type"),
        ({"tax_ids": [{"type": "other", "value": "AB"}] * 11}, "tax_ids"),
        ({"locale": "xx_YY_ZZ"}, "locale"),
        ({"payment_terms_days": 366}, "payment_terms_days"),
        ({"payment_terms_days": -1}, "payment_terms_days"),
        ({"metadata": {f"k{i}": "v" for i in range(51)}}, "metadata"),
        ({"metadata": {"k": "v" * 501}}, "metadata.k"),
        ({"entity": {"type": "customer", "id": "00000000-0000-0000-0000-000000000001"}}, "entity"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_customers_are_refused_and_nothing_is_stored(
    admin: Api, change: dict[str, Any], field: str
) -> None:
    error = error_of(admin.post("/api/v1/customers", json=CUSTOMER | change), 422, "validation_failed")
    assert field in fields(error), error
    assert data(admin.get("/api/v1/customers")) == []


def test_patch_refuses_bad_values_and_nulls(admin: Api) -> None:
    item = f"/api/v1/customers/{new_customer(admin)['id']}"
    for change, field in [
        ({"name": None}, "name"),
        ({"email": None}, "email"),
        ({"address": {"country": "ZZ"}}, "address.country"),
        ({"payment_terms_days": 400}, "payment_terms_days"),
        ({"credit": "10.00"}, "credit"),
    ]:
        assert field in fields(error_of(admin.patch(item, json=change), 422, "validation_failed"))
    assert data(admin.get(item))["version"] == 1


def test_customer_entity_link_must_be_a_live_record_of_this_tenant(
    admin: Api, api: Any, make_tenant: Any
) -> None:
    from tests.api.entity_helpers import create, customer_type

    customer_type(admin)
    record = create(admin, {"name": "Dupont"})
    linked = new_customer(admin, entity={"type": "customer", "id": record["id"]})
    assert linked["entity"] == {"type": "customer", "id": record["id"]}
    wrong_type = {"entity": {"type": "supplier", "id": record["id"]}}
    assert fields(
        error_of(admin.post("/api/v1/customers", json=CUSTOMER | wrong_type), 422, "validation_failed")
    ) == ["entity"]
    other = api(make_tenant("Other").api_key)
    customer_type(other)
    foreign = create(other, {"name": "Elsewhere"})
    body = CUSTOMER | {"entity": {"type": "customer", "id": foreign["id"]}}
    assert fields(error_of(admin.post("/api/v1/customers", json=body), 422, "validation_failed")) == [
        "entity"
    ]
    patch = admin.patch(f"/api/v1/customers/{linked['id']}", json={"entity": body["entity"]})
    assert fields(error_of(patch, 422, "validation_failed")) == ["entity"]
    unlinked = data(admin.patch(f"/api/v1/customers/{linked['id']}", json={"entity": None}))
    assert unlinked["entity"] is None


def test_products_lifecycle_and_bad_input(admin: Api) -> None:
    created = admin.post("/api/v1/products", json={"name": "Consulting", "description": "By the day"})
    product = data(created, 201)
    assert product["tax_category"] == "standard" and product["active"] is True
    assert created.headers["Location"] == f"/api/v1/products/{product['id']}"
    books = data(admin.post("/api/v1/products", json={"name": "Book", "tax_category": "Books"}), 201)
    assert books["tax_category"] == "books"
    item = f"/api/v1/products/{product['id']}"
    assert (
        data(admin.patch(item, json={"active": False, "tax_category": "services"}))["tax_category"]
        == "services"
    )
    assert [p["name"] for p in data(admin.get("/api/v1/products", params={"active": "false"}))] == [
        "Consulting"
    ]
    assert [p["name"] for p in data(admin.get("/api/v1/products", params={"limit": 1}))] == ["Book"]
    for body, field in [
        ({}, "name"),
        ({"name": " "}, "name"),
        ({"name": "x", "tax_category": "has space"}, "tax_category"),
        ({"name": "x", "description": "d" * 2001}, "description"),
        ({"name": "x", "price": 1}, "price"),
    ]:
        assert field in fields(error_of(admin.post("/api/v1/products", json=body), 422, "validation_failed"))
    assert fields(error_of(admin.patch(item, json={"name": None}), 422, "validation_failed")) == ["name"]
    assert len(data(admin.get("/api/v1/products"))) == 2
    data(admin.delete(item))
    error_of(admin.get(item), 404, "not_found")
    assert [p["name"] for p in data(admin.get("/api/v1/products"))] == ["Book"]


def test_isolation_and_permissions(admin: Api, api: Any, tenant: Any, make_tenant: Any) -> None:
    customer = new_customer(admin)
    product = data(admin.post("/api/v1/products", json={"name": "Plan"}), 201)
    other = api(make_tenant("Other").api_key)
    for kind, obj in (("customers", customer), ("products", product)):
        item = f"/api/v1/{kind}/{obj['id']}"
        error_of(other.get(item), 404, "not_found")
        error_of(other.patch(item, json={"name": "Mine"}), 404, "not_found")
        error_of(other.delete(item), 404, "not_found")
        assert data(other.get(f"/api/v1/{kind}")) == []
    reader = user_with(admin, api, tenant, "billing:read")
    assert data(reader.get(f"/api/v1/customers/{customer['id']}"))["id"] == customer["id"]
    assert len(data(reader.get("/api/v1/products"))) == 1
    error_of(reader.post("/api/v1/customers", json=CUSTOMER), 403, "forbidden")
    error_of(reader.patch(f"/api/v1/customers/{customer['id']}", json={"name": "x"}), 403, "forbidden")
    error_of(reader.delete(f"/api/v1/customers/{customer['id']}"), 403, "forbidden")
    error_of(reader.post("/api/v1/products", json={"name": "x"}), 403, "forbidden")
    error_of(reader.patch(f"/api/v1/products/{product['id']}", json={"name": "x"}), 403, "forbidden")
    nobody = user_with(admin, api, tenant, "tasks:read")
    error_of(nobody.get("/api/v1/customers"), 403, "forbidden")
    error_of(nobody.get(f"/api/v1/products/{product['id']}"), 403, "forbidden")
    writer = user_with(admin, api, tenant, "billing:read", "billing:write")
    assert (
        data(writer.patch(f"/api/v1/customers/{customer['id']}", json={"name": "Renamed"}))["name"]
        == "Renamed"
    )


def test_currency_is_fixed_while_the_customer_holds_credit(admin: Api, engine: Any, tenant: Any) -> None:
    from db.models.billing import BillingCustomer
    from db.session import tenant_session

    customer = new_customer(admin)
    with tenant_session(engine, tenant.id) as session:
        row = session.get(BillingCustomer, uuid.UUID(customer["id"]))
        assert row is not None
        row.credit_minor = 1250  # what an overpayment would leave
    item = f"/api/v1/customers/{customer['id']}"
    assert data(admin.get(item))["credit"] == "12.50"
    error = error_of(admin.patch(item, json={"currency": "USD"}), 409, "conflict")
    assert "12.50" in error["message"]
    assert (
        data(admin.patch(item, json={"currency": "EUR", "name": "Same currency"}))["name"] == "Same currency"
    )
    assert data(admin.get(item))["currency"] == "EUR"


def test_a_repeated_idempotency_key_creates_one_customer(admin: Api) -> None:
    headers = {"Idempotency-Key": "customer-dupont-1"}
    first = data(admin.post("/api/v1/customers", json=CUSTOMER, headers=headers), 201)
    again = data(admin.post("/api/v1/customers", json=CUSTOMER, headers=headers), 201)
    assert again["id"] == first["id"]
    reused = admin.post("/api/v1/customers", json=CUSTOMER | {"name": "Other"}, headers=headers)
    assert reused.status_code == 422
    assert len(data(admin.get("/api/v1/customers"))) == 1

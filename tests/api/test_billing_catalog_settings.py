"""The seller's billing settings: defaults, replace (billing:settings), every bad field a 422."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of
from tests.api.test_billing_catalog_helpers import fields, user_with

SETTINGS = {
    "seller_name": "Keel Demo SAS",
    "seller_address": {
        "country": "FR",
        "line1": "5 avenue Anatole France",
        "postal_code": "75007",
        "city": "Paris",
    },
    "seller_country": "fr",
    "seller_tax_id": "FR12345678901",
    "reporting_currency": "eur",
}


def test_defaults_then_replace(admin: Api) -> None:
    before = data(admin.get("/api/v1/billing/settings"))
    assert before["seller_name"] is None and before["reporting_currency"] == "EUR"
    saved = data(admin.put("/api/v1/billing/settings", json=SETTINGS))
    assert (saved["seller_country"], saved["reporting_currency"]) == ("FR", "EUR")
    assert saved["seller_address"]["city"] == "Paris"
    again = data(admin.put("/api/v1/billing/settings", json=SETTINGS | {"reporting_currency": "USD"}))
    assert again["reporting_currency"] == "USD" and again["seller_tax_id"] == "FR12345678901"
    assert data(admin.get("/api/v1/billing/settings")) == again
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "billing_settings"}))
    assert [a["action"] for a in audit] == ["billing_settings.updated"] * 2


def test_the_invoice_template_is_a_document_template_of_the_tenant(
    admin: Api, api: Any, make_tenant: Any
) -> None:
    template = {
        "key": "invoice",
        "name": "Invoice",
        "content": "<h1>Invoice {{ number }}</h1>",
        "sample_data": {"number": "A-1"},
    }
    data(admin.post("/api/v1/document-templates", json=template), 201)
    saved = data(admin.put("/api/v1/billing/settings", json=SETTINGS | {"invoice_template": "invoice"}))
    assert saved["invoice_template"] == "invoice"
    other = api(make_tenant("Other").api_key)
    refused = other.put("/api/v1/billing/settings", json=SETTINGS | {"invoice_template": "invoice"})
    assert fields(error_of(refused, 422, "validation_failed")) == ["invoice_template"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"seller_name": ""}, "seller_name"),
        ({"seller_country": "XX"}, "seller_country"),
        ({"seller_address": {"country": "FR", "line1": "x" * 201}}, "seller_address.line1"),
        ({"seller_address": None}, "seller_address"),
        ({"reporting_currency": "EURO"}, "reporting_currency"),
        ({"seller_tax_id": "x" * 51}, "seller_tax_id"),
        ({"invoice_template": "no-such-template"}, "invoice_template"),
        ({"dunning": {}}, "dunning"),
    ],
)
def test_bad_settings_are_refused(admin: Api, change: dict[str, Any], field: str) -> None:
    error = error_of(admin.put("/api/v1/billing/settings", json=SETTINGS | change), 422, "validation_failed")
    assert fields(error) == [field], error
    assert data(admin.get("/api/v1/billing/settings"))["seller_name"] is None


def test_permissions_and_isolation(admin: Api, api: Any, tenant: Any, make_tenant: Any) -> None:
    data(admin.put("/api/v1/billing/settings", json=SETTINGS))
    other = api(make_tenant("Other").api_key)
    assert data(other.get("/api/v1/billing/settings"))["seller_name"] is None
    writer = user_with(admin, api, tenant, "billing:read", "billing:write")
    assert data(writer.get("/api/v1/billing/settings"))["seller_name"] == SETTINGS["seller_name"]
    error_of(writer.put("/api/v1/billing/settings", json=SETTINGS), 403, "forbidden")
    error_of(user_with(admin, api, tenant, "tasks:read").get("/api/v1/billing/settings"), 403, "forbidden")

"""Invoices on a catalogue made through its own REST routes: the seller's settings decide EU reverse
charge, a product's tax category picks its rate, a repeated Idempotency-Key makes one draft, and a
tenant's own invoice template lays out the PDF."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from tests.api.conftest import Api, data, error_of
from tests.api.invoice_helpers import assert_adds_up, wait_for

SETTINGS = {
    "seller_name": "Keel Demo SAS",
    "seller_address": {
        "country": "FR",
        "line1": "5 avenue Anatole France",
        "postal_code": "75007",
        "city": "Paris",
    },
    "seller_country": "FR",
    "seller_tax_id": "FR12345678901",
    "reporting_currency": "EUR",
}


def catalogue(admin: Api) -> dict[str, Any]:
    data(admin.put("/api/v1/billing/settings", json=SETTINGS))
    data(admin.post("/api/v1/tax-rates", json={"name": "TVA 20%", "percentage": "20", "country": "FR"}), 201)
    data(
        admin.post(
            "/api/v1/tax-rates",
            json={"name": "TVA 5.5%", "percentage": "5.5", "country": "FR", "category": "books"},
        ),
        201,
    )
    book = data(admin.post("/api/v1/products", json={"name": "Atlas", "tax_category": "books"}), 201)
    plan = data(admin.post("/api/v1/products", json={"name": "Support"}), 201)
    body = {"currency": "EUR", "type": "one_time"}
    return {
        "book": data(
            admin.post("/api/v1/prices", json=body | {"product": book["id"], "unit_amount": "24.90"}), 201
        ),
        "plan": data(
            admin.post("/api/v1/prices", json=body | {"product": plan["id"], "unit_amount": "150.00"}), 201
        ),
    }


def customer(admin: Api, country: str, **extra: Any) -> dict[str, Any]:
    body = {
        "name": f"Client {country}",
        "email": f"ap@{country.lower()}.example",
        "currency": "EUR",
        "address": {"country": country, "line1": "1 Main street", "postal_code": "1000", "city": "Town"},
        "locale": "en",
    }
    return data(admin.post("/api/v1/customers", json=body | extra), 201)


def test_rates_by_category_and_reverse_charge_from_the_catalogue(admin):
    prices = catalogue(admin)
    lines = [{"price": prices["book"]["id"], "quantity": "2"}, {"price": prices["plan"]["id"]}]
    french = customer(admin, "FR")
    inv = data(admin.post("/api/v1/invoices", json={"customer": french["id"], "lines": lines}), 201)
    assert [(line["tax_name"], line["tax"]) for line in inv["lines"]] == [
        ("TVA 5.5%", "2.74"),
        ("TVA 20%", "30.00"),
    ]
    assert inv["total"] == "232.54" and inv["mentions"] == []
    assert_adds_up(inv)
    belgian = customer(admin, "BE", tax_ids=[{"type": "eu_vat", "value": "BE0123456789"}])
    rc = data(admin.post("/api/v1/invoices", json={"customer": belgian["id"], "lines": lines}), 201)
    assert (
        rc["tax"] == "0.00"
        and rc["total"] == "199.80"
        and all(line["reverse_charge"] for line in rc["lines"])
    )
    assert len(rc["mentions"]) == 1 and "Article 196" in rc["mentions"][0]
    assert_adds_up(rc)


def test_a_repeated_idempotency_key_makes_one_draft(admin):
    prices = catalogue(admin)
    body = {"customer": customer(admin, "FR")["id"], "lines": [{"price": prices["plan"]["id"]}]}
    headers = {"Idempotency-Key": "inv-42"}
    first = data(admin.post("/api/v1/invoices", json=body, headers=headers), 201)
    again = data(admin.post("/api/v1/invoices", json=body, headers=headers), 201)
    assert again["id"] == first["id"] and len(data(admin.get("/api/v1/invoices"))) == 1
    reused = admin.post("/api/v1/invoices", json=body | {"memo": "other"}, headers=headers)
    assert reused.status_code == 422 and len(data(admin.get("/api/v1/invoices"))) == 1


def test_the_tenants_invoice_template_lays_out_the_pdf(admin):
    prices = catalogue(admin)
    content = (
        "<h1>Facture {{ invoice.number }}</h1><p>{{ customer.name }}</p>"
        "{% for line in lines %}<p>{{ line.description }}: {{ line.amount | money(currency) }}</p>{% endfor %}"
        "<p>Total {{ invoice.total | money(currency) }}</p>"
    )
    sample = {
        "invoice": {"number": "X", "total": "1"},
        "customer": {"name": "Y"},
        "lines": [],
        "currency": "EUR",
    }
    template = {"key": "house-invoice", "name": "House invoice", "content": content, "sample_data": sample}
    data(admin.post("/api/v1/document-templates", json=template), 201)
    data(admin.put("/api/v1/billing/settings", json=SETTINGS | {"invoice_template": "house-invoice"}))
    cid = customer(admin, "FR")["id"]
    drafted = data(
        admin.post("/api/v1/invoices", json={"customer": cid, "lines": [{"price": prices["plan"]["id"]}]}),
        201,
    )
    final = data(admin.post(f"/api/v1/invoices/{drafted['id']}/finalize"))
    wait_for(admin, final["id"], lambda i: i["pdf_document_id"] is not None)
    r = admin.get(f"/api/v1/invoices/{final['id']}/pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert f"Facture {final['number']}" in text and "Support: €150.00" in text and "Total €180.00" in text
    error_of(admin.get("/api/v1/invoices/not-an-id"), 404, "not_found")


def test_a_template_that_cannot_render_the_invoice_falls_back_to_the_default(admin):
    prices = catalogue(admin)
    template = {
        "key": "broken-invoice",
        "name": "Needs a field invoices lack",
        "content": "<p>{{ invoice.purchase_order }}</p>",
        "sample_data": {"invoice": {"purchase_order": "PO-1"}},
    }
    data(admin.post("/api/v1/document-templates", json=template), 201)
    data(admin.put("/api/v1/billing/settings", json=SETTINGS | {"invoice_template": "broken-invoice"}))
    cid = customer(admin, "FR")["id"]
    drafted = data(
        admin.post("/api/v1/invoices", json={"customer": cid, "lines": [{"price": prices["plan"]["id"]}]}),
        201,
    )
    final = data(admin.post(f"/api/v1/invoices/{drafted['id']}/finalize"))
    wait_for(admin, final["id"], lambda i: i["pdf_document_id"] is not None)
    r = admin.get(f"/api/v1/invoices/{final['id']}/pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert final["number"] in text and "Keel Demo SAS" in text and "Amount due" in text

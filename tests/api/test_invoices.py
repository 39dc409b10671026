"""Invoices through the live API: a draft priced line by line (rounding half up once per line, tax per
line, the breakdown per rate, totals that add up), PATCH with If-Match, finalizing (number, dates,
the PDF rendered by the workflow), every bad input a 422 naming the field with nothing stored,
another tenant's objects, permissions, listing and filters."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from tests.api.conftest import data, error_of
from tests.api.invoice_helpers import (
    assert_adds_up,
    count,
    customer,
    draft,
    price,
    seller,
    tax_rate,
    wait_for,
)


@pytest.fixture
def shop(engine, tenant):
    seller(engine, tenant.id)
    tax_rate(engine, tenant.id, "20")
    tax_rate(engine, tenant.id, "5.5", category="books")
    return {
        "customer": customer(engine, tenant.id),
        "book": price(engine, tenant.id, 1235, tax_category="books", name="Field guide"),
        "plan": price(engine, tenant.id, 4900, type_="recurring", name="Monthly plan"),
    }


def lines_of(shop):
    return [
        {"description": "Hosting", "unit_amount": "19.99", "quantity": "3", "discount_percent": "10"},
        {"price": str(shop["book"]), "quantity": "1.5"},
        {"price": str(shop["plan"]), "quantity": 2},
    ]


def test_draft_is_priced_line_by_line_and_adds_up(admin, shop):
    inv = draft(admin, shop["customer"], lines_of(shop), memo="Thanks")
    assert inv["status"] == "draft" and inv["number"] is None and inv["currency"] == "EUR"
    hosting, book, plan = inv["lines"]
    # 3 x 19.99 = 59.97, less 10 % = 53.973 -> 53.97; VAT 20 % = 10.794 -> 10.79
    assert (hosting["amount"], hosting["net"], hosting["tax"]) == ("53.97", "53.97", "10.79")
    # 1.5 x 12.35 = 18.525 -> 18.53 (half up); 5.5 % = 1.01915 -> 1.02
    assert (book["amount"], book["tax"], book["tax_name"], book["description"]) == (
        "18.53",
        "1.02",
        "TVA 5.5%",
        "Field guide",
    )
    assert (plan["amount"], plan["tax"], plan["quantity"]) == ("98.00", "19.60", "2")
    assert inv["subtotal"] == "170.50" and inv["tax"] == "31.41" and inv["total"] == "201.91"
    by_name = {t["name"]: t for t in inv["tax_breakdown"]}
    assert by_name["TVA 20%"]["taxable_amount"] == "151.97" and by_name["TVA 20%"]["tax"] == "30.39"
    assert by_name["TVA 5.5%"]["taxable_amount"] == "18.53" and by_name["TVA 5.5%"]["tax"] == "1.02"
    assert inv["amount_due"] == "201.91" and inv["memo"] == "Thanks" and inv["pdf_document_id"] is None
    assert_adds_up(inv)
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["total"] == "201.91"


def test_inclusive_prices_contain_their_tax(admin, engine, tenant):
    tax_rate(engine, tenant.id, "20", inclusive=True, name="TVA 20% incl.")
    cid = customer(engine, tenant.id)
    inv = draft(
        admin,
        cid,
        [
            {"description": "Ticket", "unit_amount": "10.00", "quantity": "3"},
            {"description": "Pin", "unit_amount": "0.99"},
        ],
    )
    ticket, pin = inv["lines"]
    # 30.00 gross: net 25.00, tax 5.00; 0.99 gross: net round(0.825) = 0.83, tax 0.16
    assert (ticket["amount"], ticket["net"], ticket["tax"]) == ("30.00", "25.00", "5.00")
    assert (pin["amount"], pin["net"], pin["tax"]) == ("0.99", "0.83", "0.16")
    assert inv["total"] == "30.99" and inv["subtotal"] == "25.83"
    assert_adds_up(inv)


def test_reverse_charge_lines_carry_the_mention(admin, engine, tenant):
    seller(engine, tenant.id)
    tax_rate(engine, tenant.id, "19", country="DE")
    cid = customer(engine, tenant.id, country="DE", tax_ids=[{"type": "eu_vat", "value": "DE123456789"}])
    inv = draft(admin, cid, [{"description": "Audit", "unit_amount": "1000"}])
    assert inv["lines"][0]["reverse_charge"] is True and inv["tax"] == "0.00" and inv["total"] == "1000.00"
    assert inv["mentions"] and "Reverse charge" in inv["mentions"][0]
    assert_adds_up(inv)


def test_zero_digit_currency(admin, engine, tenant):
    cid = customer(engine, tenant.id, currency="JPY", country="JP")
    tax_rate(engine, tenant.id, "10", country="JP")
    inv = draft(admin, cid, [{"description": "Tea", "unit_amount": "333", "quantity": "0.5"}])
    # 166.5 -> 167 yen; tax 16.7 -> 17
    assert (inv["lines"][0]["amount"], inv["tax"], inv["total"]) == ("167", "17", "184")
    bad = admin.post(
        "/api/v1/invoices", json={"customer": str(cid), "lines": [{"description": "x", "unit_amount": "1.5"}]}
    )
    assert error_of(bad, 422, "validation_failed")["details"]["fields"][0]["field"] == "lines.0.unit_amount"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"description": "x", "unit_amount": "1.00", "quantity": "-1"}, "lines.0.quantity"),
        ({"description": "x", "unit_amount": "1.00", "quantity": "1.1234567"}, "lines.0.quantity"),
        ({"description": "x", "unit_amount": "1.00", "quantity": 1.5}, "lines.0.quantity"),
        ({"description": "x", "unit_amount": "1.001"}, "lines.0.unit_amount"),
        ({"description": "x", "unit_amount": "-3.00"}, "lines.0.unit_amount"),
        ({"description": "x", "unit_amount": "abc"}, "lines.0.unit_amount"),
        ({"description": "x"}, "lines.0.unit_amount"),
        ({"unit_amount": "1.00"}, "lines.0.description"),
        ({"description": "x", "unit_amount": "1.00", "discount_percent": "101"}, "lines.0.discount_percent"),
        (
            {"description": "x", "unit_amount": "1.00", "tax_category": "Not a category!"},
            "lines.0.tax_category",
        ),
        ({"description": "x" * 501, "unit_amount": "1.00"}, "lines.0.description"),
        ({"description": "x", "unit_amount": "1.00", "colour": "red"}, "lines.0.colour"),
        (
            {"description": "x", "unit_amount": "999999999999999.99", "quantity": "999999999999"},
            "lines.0.quantity",
        ),
        ({"description": "x", "unit_amount": "1e5"}, "lines.0.unit_amount"),
    ],
)
def test_bad_lines_are_422_naming_the_field_and_store_nothing(admin, shop, line, field):
    before = count(admin)
    r = admin.post("/api/v1/invoices", json={"customer": str(shop["customer"]), "lines": [line]})
    fields = [f["field"] for f in error_of(r, 422, "validation_failed")["details"]["fields"]]
    assert field in fields, fields
    assert count(admin) == before


def test_prices_that_do_not_fit_are_422(admin, engine, tenant, make_tenant, shop):
    usd = price(engine, tenant.id, 500, currency="USD")
    tiered = price(engine, tenant.id, None, type_="usage")
    inactive = price(engine, tenant.id, 500, active=False)
    other = make_tenant("Other")
    foreign = price(engine, other.id, 500)
    foreign_customer = customer(engine, other.id)
    before = count(admin)
    cases = [
        ([{"price": str(shop["book"])}, {"price": str(usd)}], "lines.1.price"),
        ([{"price": str(tiered), "quantity": "1"}], "lines.0.price"),
        ([{"price": str(inactive)}], "lines.0.price"),
        ([{"price": str(foreign)}], "lines.0.price"),
        ([{"price": str(shop["plan"])}], "lines.0.quantity"),
        ([{"price": str(shop["book"]), "unit_amount": "1.00"}], "lines.0.unit_amount"),
    ]
    for lines, field in cases:
        r = admin.post("/api/v1/invoices", json={"customer": str(shop["customer"]), "lines": lines})
        assert [f["field"] for f in error_of(r, 422, "validation_failed")["details"]["fields"]] == [field], (
            lines
        )
    r = admin.post(
        "/api/v1/invoices",
        json={"customer": str(foreign_customer), "lines": [{"description": "x", "unit_amount": "1"}]},
    )
    assert error_of(r, 422, "validation_failed")["details"]["fields"][0]["field"] == "customer"
    r = admin.post("/api/v1/invoices", json={"customer": str(shop["customer"]), "lines": []})
    assert error_of(r, 422, "validation_failed")["details"]["fields"][0]["field"] == "lines"
    many = [{"description": "x", "unit_amount": "1"}] * 201
    error_of(
        admin.post("/api/v1/invoices", json={"customer": str(shop["customer"]), "lines": many}),
        422,
        "validation_failed",
    )
    assert count(admin) == before


def test_patch_replaces_lines_with_if_match_and_is_409_once_finalized(admin, shop):
    inv = draft(admin, shop["customer"], lines_of(shop))
    got = admin.get(f"/api/v1/invoices/{inv['id']}")
    etag = got.headers["etag"]
    r = admin.patch(
        f"/api/v1/invoices/{inv['id']}",
        json={"lines": [{"description": "Only", "unit_amount": "10"}], "due_days": 7},
        headers={"If-Match": etag},
    )
    patched = data(r)
    assert [line["description"] for line in patched["lines"]] == ["Only"] and patched["total"] == "12.00"
    assert patched["due_days"] == 7 and r.headers["etag"] != etag
    stale = admin.patch(f"/api/v1/invoices/{inv['id']}", json={"memo": "late"}, headers={"If-Match": etag})
    error_of(stale, 412, "precondition_failed")
    bad = admin.patch(
        f"/api/v1/invoices/{inv['id']}", json={"lines": [{"description": "x", "unit_amount": "1.001"}]}
    )
    error_of(bad, 422, "validation_failed")
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["total"] == "12.00"

    final = data(admin.post(f"/api/v1/invoices/{inv['id']}/finalize"))
    today = date.fromisoformat(final["issued_on"])
    assert final["status"] == "open" and final["number"].startswith(f"INV-{today.year}-")
    assert final["due_on"] == (today + timedelta(days=7)).isoformat()
    error_of(admin.patch(f"/api/v1/invoices/{inv['id']}", json={"memo": "x"}), 409, "conflict")
    error_of(admin.post(f"/api/v1/invoices/{inv['id']}/finalize"), 409, "conflict")
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["memo"] is None


def test_finalize_numbers_and_renders_the_pdf(admin, shop, tenant):
    first = data(
        admin.post(f"/api/v1/invoices/{draft(admin, shop['customer'], lines_of(shop))['id']}/finalize")
    )
    second = data(
        admin.post(f"/api/v1/invoices/{draft(admin, shop['customer'], lines_of(shop))['id']}/finalize")
    )
    year = date.fromisoformat(first["issued_on"]).year
    assert (first["number"], second["number"]) == (f"INV-{year}-000001", f"INV-{year}-000002")
    assert first["due_on"] == (date.fromisoformat(first["issued_on"]) + timedelta(days=30)).isoformat()
    ready = wait_for(admin, first["id"], lambda i: i["pdf_document_id"] is not None)
    r = admin.get(f"/api/v1/invoices/{first['id']}/pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    for expected in (first["number"], "Keel Demo SAS", "Client Dupont", "Field guide", "TVA 5.5%", "201,91"):
        assert expected in text, (expected, text)
    assert ready["status"] == "open"
    drafted = draft(admin, shop["customer"], lines_of(shop))
    error_of(admin.get(f"/api/v1/invoices/{drafted['id']}/pdf"), 409, "conflict")


def test_list_filters_and_cursor(admin, shop, engine, tenant):
    other_customer = customer(engine, tenant.id, name="Other client")
    a = draft(admin, shop["customer"], lines_of(shop))
    b = draft(admin, shop["customer"], lines_of(shop))
    c = draft(admin, other_customer, lines_of(shop))
    data(admin.post(f"/api/v1/invoices/{b['id']}/finalize"))
    listed = data(admin.get("/api/v1/invoices", params={"status": "draft"}))
    assert {i["id"] for i in listed} == {a["id"], c["id"]}
    mine = data(admin.get("/api/v1/invoices", params={"customer": str(other_customer)}))
    assert [i["id"] for i in mine] == [c["id"]]
    today = date.today()
    dated = data(
        admin.get(
            "/api/v1/invoices",
            params={
                "from": (today - timedelta(days=1)).isoformat(),
                "to": (today + timedelta(days=1)).isoformat(),
            },
        )
    )
    assert [i["id"] for i in dated] == [b["id"]]
    first = admin.get("/api/v1/invoices", params={"limit": 2}).json()
    assert len(first["data"]) == 2 and first["meta"]["next_cursor"]
    rest = data(admin.get("/api/v1/invoices", params={"limit": 2, "cursor": first["meta"]["next_cursor"]}))
    assert [i["id"] for i in first["data"] + rest] == [c["id"], b["id"], a["id"]]
    error_of(admin.get("/api/v1/invoices", params={"status": "lost"}), 422, "validation_failed")


def test_another_tenant_sees_nothing_and_permissions_hold(admin, api, shop, make_tenant, tenant):
    inv = draft(admin, shop["customer"], lines_of(shop))
    other = api(make_tenant("Other").api_key)
    for path in (f"/api/v1/invoices/{inv['id']}", f"/api/v1/invoices/{inv['id']}/pdf"):
        error_of(other.get(path), 404, "not_found")
    error_of(other.post(f"/api/v1/invoices/{inv['id']}/finalize"), 404, "not_found")
    error_of(other.patch(f"/api/v1/invoices/{inv['id']}", json={"memo": "x"}), 404, "not_found")
    assert data(other.get("/api/v1/invoices")) == []

    data(admin.post("/api/v1/roles", json={"name": "bookkeeper", "permissions": ["billing:read"]}), 201)
    email = f"reader@{tenant.domain}"
    data(
        admin.post(
            "/api/v1/users", json={"email": email, "password": "a-long-password", "roles": ["bookkeeper"]}
        ),
        201,
    )
    reader = api(None).login(email, "a-long-password")
    assert data(reader.get(f"/api/v1/invoices/{inv['id']}"))["id"] == inv["id"]
    error_of(
        reader.post("/api/v1/invoices", json={"customer": str(shop["customer"]), "lines": lines_of(shop)}),
        403,
        "forbidden",
    )
    error_of(reader.post(f"/api/v1/invoices/{inv['id']}/finalize"), 403, "forbidden")
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "draft"


def test_only_a_draft_can_be_deleted(admin, shop):
    drafted = draft(admin, shop["customer"], lines_of(shop))
    final = data(
        admin.post(f"/api/v1/invoices/{draft(admin, shop['customer'], lines_of(shop))['id']}/finalize")
    )
    error_of(admin.delete(f"/api/v1/invoices/{final['id']}"), 409, "conflict")
    assert data(admin.delete(f"/api/v1/invoices/{drafted['id']}"))["id"] == drafted["id"]
    error_of(admin.get(f"/api/v1/invoices/{drafted['id']}"), 404, "not_found")
    error_of(admin.post(f"/api/v1/invoices/{drafted['id']}/finalize"), 404, "not_found")
    assert [i["id"] for i in data(admin.get("/api/v1/invoices"))] == [final["id"]]

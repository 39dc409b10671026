"""Quotes through the live API, the staff side: drafts priced exactly as invoice lines (half up once
per line, tax per line, totals that add up), every bad input a 422 naming the field with nothing
stored, PATCH with If-Match, listing and filters, sending (the email with the link, the PDF stored as
sent), another tenant's objects and permissions."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.api.conftest import data, error_of
from tests.api.invoice_helpers import assert_adds_up, customer
from tests.api.test_quotes_helpers import backdate, draft, email_of, in_days, lines_of, sent_link
from tests.api.test_quotes_helpers import shop as make_shop

QUOTES = "/api/v1/quotes"


@pytest.fixture
def shop(engine, tenant):
    return make_shop(engine, tenant.id)


def count(admin) -> int:
    return len(data(admin.get(QUOTES, params={"limit": 200})))


def test_a_draft_is_priced_like_an_invoice_and_adds_up(admin, shop):
    quote = draft(admin, shop, memo="Valid for the spring project")
    assert quote["status"] == "draft" and quote["number"].startswith("QUO-")
    assert quote["valid_until"] == in_days(30) and quote["currency"] == "EUR"
    hosting, book = quote["lines"]
    # 3 x 19.99 = 59.97, less 10 % = 53.973 -> 53.97; VAT 20 % = 10.794 -> 10.79
    assert (hosting["amount"], hosting["tax"]) == ("53.97", "10.79")
    # 1.5 x 12.35 = 18.525 -> 18.53 (half up); 5.5 % = 1.01915 -> 1.02
    assert (book["amount"], book["tax"], book["description"]) == ("18.53", "1.02", "Field guide")
    assert (quote["subtotal"], quote["tax"], quote["total"]) == ("72.50", "11.81", "84.31")
    assert_adds_up(quote)
    # The same lines as an invoice give the same figures: one pricing for both.
    invoice = data(
        admin.post("/api/v1/invoices", json={"customer": str(shop["customer"]), "lines": lines_of(shop)}), 201
    )
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == ("72.50", "11.81", "84.31")
    assert data(admin.get(f"{QUOTES}/{quote['id']}"))["total"] == "84.31"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"description": "x", "unit_amount": "1"}] * 201}, "lines"),
        ({"lines": [{"description": "x", "unit_amount": "1", "quantity": "1e5"}]}, "lines.0.quantity"),
        ({"lines": [{"description": "x", "unit_amount": "1.234"}]}, "lines.0.unit_amount"),
        ({"lines": [{"description": "x", "unit_amount": "1", "quantity": "-1"}]}, "lines.0.quantity"),
        (
            {"lines": [{"description": "x", "unit_amount": "1", "discount_percent": "101"}]},
            "lines.0.discount_percent",
        ),
        ({"lines": [{"unit_amount": "1"}]}, "lines.0.description"),
        ({"lines": [{"description": "x" * 501, "unit_amount": "1"}]}, "lines.0.description"),
        ({"lines": [{"description": "x", "unit_amount": "1", "color": "red"}]}, "lines.0.color"),
        ({"valid_until": "2020-01-01"}, "valid_until"),
        ({"valid_until": "tomorrow"}, "valid_until"),
        ({"valid_until": in_days(400)}, "valid_until"),
        ({"memo": "m" * 2001}, "memo"),
        ({"customer": "not-a-uuid"}, "customer"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(admin, shop, change, field):
    body = {"customer": str(shop["customer"]), "lines": lines_of(shop), "valid_until": in_days(10)} | change
    err = error_of(admin.post(QUOTES, json=body), 422, "validation_failed")
    assert field in [f["field"] for f in err["details"]["fields"]], err
    assert count(admin) == 0


def test_another_tenants_customer_or_price_is_a_422(admin, engine, make_tenant, shop):
    other = make_tenant("Other")
    foreign_customer = customer(engine, other.id)
    body = {"customer": str(foreign_customer), "lines": lines_of(shop), "valid_until": in_days(10)}
    err = error_of(admin.post(QUOTES, json=body), 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == ["customer"]
    foreign = make_shop(engine, other.id)
    lines = [{"price": str(foreign["book"])}]
    body = {"customer": str(shop["customer"]), "lines": lines, "valid_until": in_days(10)}
    err = error_of(admin.post(QUOTES, json=body), 422, "validation_failed")
    assert [f["field"] for f in err["details"]["fields"]] == ["lines.0.price"]
    assert count(admin) == 0


def test_a_draft_changes_with_if_match_and_a_sent_quote_does_not(admin, shop):
    quote = draft(admin, shop)
    r = admin.get(f"{QUOTES}/{quote['id']}")
    etag = r.headers["etag"]
    lines = [{"description": "Audit", "unit_amount": "100.00", "quantity": "2"}]
    r = admin.patch(
        f"{QUOTES}/{quote['id']}",
        json={"lines": lines, "valid_until": in_days(5)},
        headers={"If-Match": etag},
    )
    out = data(r)
    assert (out["total"], out["valid_until"]) == ("240.00", in_days(5))
    error_of(
        admin.patch(f"{QUOTES}/{quote['id']}", json={"memo": "x"}, headers={"If-Match": etag}),
        412,
        "precondition_failed",
    )
    err = error_of(admin.patch(f"{QUOTES}/{quote['id']}", json={"lines": None}), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "lines"
    data(admin.post(f"{QUOTES}/{quote['id']}/send"))
    error_of(admin.patch(f"{QUOTES}/{quote['id']}", json={"memo": "x"}), 409, "conflict")
    assert data(admin.get(f"{QUOTES}/{quote['id']}"))["total"] == "240.00"


def test_sending_emails_the_link_and_stores_the_pdf(admin, engine, tenant, shop):
    quote = draft(admin, shop)
    preview = admin.get(f"{QUOTES}/{quote['id']}/pdf")
    assert preview.status_code == 200 and preview.headers["content-type"] == "application/pdf"
    out = data(admin.post(f"{QUOTES}/{quote['id']}/send"))
    assert out["status"] == "sent" and out["sent_at"] and out["pdf_document_id"]
    token = sent_link(admin, email_of(engine, tenant.id, shop["customer"]), quote["number"])
    assert len(token) == 80
    pdf = admin.get(f"{QUOTES}/{quote['id']}/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert quote["number"] in text and "Quote" in text and "Field guide" in text
    events = data(admin.get("/api/v1/events", params={"type": "quote.sent"}))
    assert any(e["payload"]["quote_id"] == quote["id"] for e in events), events
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "quote", "entity_id": quote["id"]}))
    assert {"quote.created", "quote.sent"} <= {a["action"] for a in audit}


def test_listing_filters_by_status_and_customer(admin, engine, tenant, shop):
    a = draft(admin, shop)
    b = draft(admin, shop)
    data(admin.post(f"{QUOTES}/{b['id']}/send"))
    other_customer = customer(engine, tenant.id, name="Other client")
    c = draft(admin, {**shop, "customer": other_customer})
    assert [q["id"] for q in data(admin.get(QUOTES))] == [c["id"], b["id"], a["id"]]
    assert [q["id"] for q in data(admin.get(QUOTES, params={"status": "sent"}))] == [b["id"]]
    assert [q["id"] for q in data(admin.get(QUOTES, params={"customer": str(other_customer)}))] == [c["id"]]
    error_of(admin.get(QUOTES, params={"status": "lost"}), 422, "validation_failed")


def test_another_tenant_sees_nothing_and_permissions_hold(admin, api, shop, make_tenant, tenant):
    quote = draft(admin, shop)
    other = api(make_tenant("Other").api_key)
    for path in (f"{QUOTES}/{quote['id']}", f"{QUOTES}/{quote['id']}/pdf"):
        error_of(other.get(path), 404, "not_found")
    error_of(other.post(f"{QUOTES}/{quote['id']}/send"), 404, "not_found")
    error_of(other.patch(f"{QUOTES}/{quote['id']}", json={"memo": "x"}), 404, "not_found")
    assert data(other.get(QUOTES)) == []

    data(admin.post("/api/v1/roles", json={"name": "quote-reader", "permissions": ["billing:read"]}), 201)
    email = f"quotes@{tenant.domain}"
    body = {"email": email, "password": "a-long-password", "roles": ["quote-reader"]}
    data(admin.post("/api/v1/users", json=body), 201)
    reader = api(None).login(email, "a-long-password")
    assert data(reader.get(f"{QUOTES}/{quote['id']}"))["id"] == quote["id"]
    new = {"customer": str(shop["customer"]), "lines": lines_of(shop), "valid_until": in_days(3)}
    error_of(reader.post(QUOTES, json=new), 403, "forbidden")
    error_of(reader.post(f"{QUOTES}/{quote['id']}/send"), 403, "forbidden")
    error_of(reader.patch(f"{QUOTES}/{quote['id']}", json={"memo": "x"}), 403, "forbidden")
    assert data(admin.get(f"{QUOTES}/{quote['id']}"))["status"] == "draft"


def test_a_sent_quote_past_its_last_day_lists_as_expired(admin, engine, tenant, shop):
    quote = draft(admin, shop, valid_until=in_days(0))
    data(admin.post(f"{QUOTES}/{quote['id']}/send"))
    assert [q["id"] for q in data(admin.get(QUOTES, params={"status": "sent"}))] == [quote["id"]]
    backdate(engine, tenant.id, quote["id"], days=1)
    assert data(admin.get(QUOTES, params={"status": "sent"})) == []
    assert [q["id"] for q in data(admin.get(QUOTES, params={"status": "expired"}))] == [quote["id"]]
    data(admin.get(f"{QUOTES}/{quote['id']}"))
    expired = data(admin.get("/api/v1/events", params={"type": "quote.expired"}))
    assert [e["payload"]["quote_id"] for e in expired] == [quote["id"]]


def test_a_repeated_idempotency_key_makes_one_quote(admin, shop):
    body = {"customer": str(shop["customer"]), "lines": lines_of(shop), "valid_until": in_days(7)}
    headers = {"Idempotency-Key": "quote-42"}
    first = data(admin.post(QUOTES, json=body, headers=headers), 201)
    again = data(admin.post(QUOTES, json=body, headers=headers), 201)
    assert again["id"] == first["id"] and count(admin) == 1
    reused = admin.post(QUOTES, json=body | {"memo": "other"}, headers=headers)
    assert reused.status_code == 422 and count(admin) == 1


def test_only_a_draft_can_be_deleted(admin, shop):
    drafted = draft(admin, shop)
    sent_one = draft(admin, shop)
    data(admin.post(f"{QUOTES}/{sent_one['id']}/send"))
    error_of(admin.delete(f"{QUOTES}/{sent_one['id']}"), 409, "conflict")
    assert data(admin.delete(f"{QUOTES}/{drafted['id']}"))["id"] == drafted["id"]
    error_of(admin.get(f"{QUOTES}/{drafted['id']}"), 404, "not_found")
    error_of(admin.post(f"{QUOTES}/{drafted['id']}/send"), 404, "not_found")
    assert [q["id"] for q in data(admin.get(QUOTES))] == [sent_one["id"]]

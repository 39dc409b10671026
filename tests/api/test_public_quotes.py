"""The customer's side of a quote, through the live API and the page: the link's JSON and PDF,
accepting (a finalized invoice from the quote's lines, its workflow started), declining, and every
refusal: accepting twice or after declining (409), after valid_until (410), a forged or altered
token (404); the /quotes/{token} page with its totals and buttons, and its forms."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest

from db.models.billing import BillingCustomer
from db.session import tenant_session
from domain.billing.quotes.tokens import sign_token
from tests.api.conftest import data, error_of
from tests.api.invoice_helpers import wait_for
from tests.api.test_quotes_helpers import backdate, sent
from tests.api.test_quotes_helpers import shop as make_shop

PUBLIC = "/api/v1/public/quotes"


@pytest.fixture
def shop(engine, tenant):
    return make_shop(engine, tenant.id)


def test_the_customer_reads_the_quote_without_a_credential(admin, anonymous, engine, tenant, shop):
    quote, token = sent(admin, engine, tenant.id, shop)
    view = data(anonymous.get(f"{PUBLIC}/{token}"))
    assert (view["number"], view["status"], view["can_answer"]) == (quote["number"], "sent", True)
    assert (view["subtotal"], view["tax"], view["total"]) == ("72.50", "11.81", "84.31")
    assert view["seller"]["name"] == "Keel Demo SAS" and view["valid_until"] == quote["valid_until"]
    assert [line["amount"] for line in view["lines"]] == ["53.97", "18.53"]
    assert all(line["price"] is None for line in view["lines"])  # no internal ids leave
    pdf = anonymous.get(f"{PUBLIC}/{token}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_accepting_makes_a_finalized_invoice_once(admin, anonymous, engine, tenant, shop):
    quote, token = sent(admin, engine, tenant.id, shop)
    answer = data(anonymous.post(f"{PUBLIC}/{token}/accept"))
    assert answer["status"] == "accepted" and answer["invoice_number"].startswith("INV-")
    after = data(admin.get(f"/api/v1/quotes/{quote['id']}"))
    assert after["status"] == "accepted" and after["invoice_number"] == answer["invoice_number"]
    invoice = data(admin.get(f"/api/v1/invoices/{after['invoice_id']}"))
    assert invoice["status"] == "open" and invoice["number"] == answer["invoice_number"]
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == ("72.50", "11.81", "84.31")
    assert [line["description"] for line in invoice["lines"]] == ["Hosting", "Field guide"]
    assert quote["number"] in invoice["memo"]
    # Its workflow was started: the invoice's PDF gets made.
    assert wait_for(admin, invoice["id"], lambda i: i["pdf_document_id"])["status"] == "open"
    # Twice: a 409 naming the invoice; no second invoice.
    err = error_of(anonymous.post(f"{PUBLIC}/{token}/accept"), 409, "conflict")
    assert answer["invoice_number"] in err["message"]
    error_of(anonymous.post(f"{PUBLIC}/{token}/decline", json={}), 409, "conflict")
    assert len(data(admin.get("/api/v1/invoices"))) == 1
    assert data(anonymous.get(f"{PUBLIC}/{token}"))["can_answer"] is False
    for name in ("quote.accepted", "invoice.finalized"):
        assert data(admin.get("/api/v1/events", params={"type": name})), name
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "quote", "entity_id": quote["id"]}))
    assert "quote.accepted" in {a["action"] for a in audit}


def test_a_declined_quote_cannot_be_accepted(admin, anonymous, engine, tenant, shop):
    quote, token = sent(admin, engine, tenant.id, shop)
    err = error_of(
        anonymous.post(f"{PUBLIC}/{token}/decline", json={"reason": "x" * 501}), 422, "validation_failed"
    )
    assert err["details"]["fields"][0]["field"] == "reason"
    assert (
        data(anonymous.post(f"{PUBLIC}/{token}/decline", json={"reason": "Too dear"}))["status"] == "declined"
    )
    after = data(admin.get(f"/api/v1/quotes/{quote['id']}"))
    assert (after["status"], after["decline_reason"]) == ("declined", "Too dear")
    error_of(anonymous.post(f"{PUBLIC}/{token}/accept"), 409, "conflict")
    assert data(admin.get("/api/v1/invoices")) == []
    assert data(admin.get("/api/v1/events", params={"type": "quote.declined"}))


def test_an_expired_quote_cannot_be_accepted(admin, anonymous, engine, tenant, live, shop):
    quote, _ = sent(admin, engine, tenant.id, shop)
    backdate(engine, tenant.id, quote["id"], days=1)
    past = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    token = sign_token(
        live.settings.require_jwt_secret(), tenant.id, uuid.UUID(quote["id"]), date.fromisoformat(past)
    )
    error_of(anonymous.post(f"{PUBLIC}/{token}/accept"), 410, "gone")
    error_of(anonymous.post(f"{PUBLIC}/{token}/decline"), 410, "gone")
    assert data(anonymous.get(f"{PUBLIC}/{token}"))["status"] == "expired"
    assert data(admin.get(f"/api/v1/quotes/{quote['id']}"))["status"] == "expired"
    html = anonymous.get(f"/quotes/{token}").text
    assert "Expired" in html and 'id="accept"' not in html
    assert data(admin.get("/api/v1/invoices")) == []
    assert len(data(admin.get("/api/v1/events", params={"type": "quote.expired"}))) == 1
    error_of(admin.post(f"/api/v1/quotes/{quote['id']}/send"), 409, "conflict")


def test_a_forged_or_altered_token_is_a_404(admin, anonymous, engine, tenant, live, make_tenant, shop):
    quote, token = sent(admin, engine, tenant.id, shop)
    flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    until = date.fromisoformat(quote["valid_until"])
    wrong_key = sign_token("another secret", tenant.id, uuid.UUID(quote["id"]), until)
    other = make_tenant("Other")
    other_tenant = sign_token(live.settings.require_jwt_secret(), other.id, uuid.UUID(quote["id"]), until)
    for bad in (flipped, wrong_key, other_tenant, "x" * 80, "short"):
        error_of(anonymous.get(f"{PUBLIC}/{bad}"), 404, "not_found")
        error_of(anonymous.post(f"{PUBLIC}/{bad}/accept"), 404, "not_found")
        error_of(anonymous.post(f"{PUBLIC}/{bad}/decline"), 404, "not_found")
    assert anonymous.get(f"/quotes/{flipped}").status_code == 404
    assert data(admin.get(f"/api/v1/quotes/{quote['id']}"))["status"] == "sent"


def test_the_page_shows_totals_and_buttons_and_its_forms_answer(admin, anonymous, engine, tenant, shop):
    quote, token = sent(admin, engine, tenant.id, shop)
    page = anonymous.get(f"/quotes/{token}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    html = page.text
    assert quote["number"] in html and "84.31 EUR" in html and "72.50 EUR" in html and "Field guide" in html
    assert 'id="accept"' in html and 'id="decline"' in html
    assert f'action="/quotes/{token}/accept"' in html and f"/api/v1/public/quotes/{token}/pdf" in html
    assert 'name="viewport"' in html  # usable on a phone
    r = anonymous.post(f"/quotes/{token}/accept", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/quotes/{token}"
    html = anonymous.get(f"/quotes/{token}").text
    assert "Accepted" in html and "INV-" in html and 'id="accept"' not in html
    # Posting again changes nothing and shows the same page.
    assert (
        anonymous.post(
            f"/quotes/{token}/decline", data={"reason": "late"}, follow_redirects=False
        ).status_code
        == 303
    )
    assert data(admin.get(f"/api/v1/quotes/{quote['id']}"))["status"] == "accepted"


def test_the_page_form_declines_with_a_reason(admin, anonymous, engine, tenant, shop):
    quote, token = sent(admin, engine, tenant.id, shop)
    r = anonymous.post(
        f"/quotes/{token}/decline", data={"reason": "We chose another offer"}, follow_redirects=False
    )
    assert r.status_code == 303
    after = data(admin.get(f"/api/v1/quotes/{quote['id']}"))
    assert (after["status"], after["decline_reason"]) == ("declined", "We chose another offer")
    assert "Declined" in anonymous.get(f"/quotes/{token}").text


def test_two_accepts_at_once_make_one_invoice(admin, api, engine, tenant, shop):
    _, token = sent(admin, engine, tenant.id, shop)
    clients = [api(None), api(None)]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda c: c.post(f"{PUBLIC}/{token}/accept"), clients))
    assert sorted(r.status_code for r in answers) == [200, 409]
    assert len(data(admin.get("/api/v1/invoices"))) == 1


@pytest.mark.parametrize("change", ["deleted", "currency"])
def test_a_quote_that_can_no_longer_be_invoiced_is_a_409_and_stays_sent(
    admin, anonymous, engine, tenant, shop, change
):
    quote, token = sent(admin, engine, tenant.id, shop)
    with tenant_session(engine, tenant.id) as s:
        row = s.get(BillingCustomer, shop["customer"])
        assert row is not None
        if change == "deleted":
            row.deleted_at = datetime.now(UTC)
        else:
            row.currency = "USD"
    error_of(anonymous.post(f"{PUBLIC}/{token}/accept"), 409, "conflict")
    assert data(admin.get(f"/api/v1/quotes/{quote['id']}"))["status"] == "sent"
    assert data(admin.get("/api/v1/invoices")) == []

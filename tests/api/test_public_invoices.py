"""The invoice's payment link: payment_url on a payable invoice, the payer's page and its public
endpoints (no credential: the token is one). A forged token is a 404, a paid or void invoice has no
intent to pay (409), the same intent answers while the amount due is unchanged, junk is never a 5xx."""

from __future__ import annotations

import pytest

from tests.api.conftest import data, error_of
from tests.api.invoice_helpers import draft, finalized, wait_for
from tests.api.stripe_helpers import LINES, card_customer, pay_with_card, wait_until


@pytest.fixture
def client_id(engine, tenant, live, localstripe):
    return card_customer(engine, tenant.id, live, localstripe)


def token_of(invoice):
    url = invoice["payment_url"]
    assert url and "/pay/" in url
    return url.rsplit("/pay/", 1)[1]


def test_payment_url_only_on_a_payable_invoice(admin, client_id, live):
    assert draft(admin, client_id, LINES)["payment_url"] is None
    inv = finalized(admin, client_id, LINES)
    assert inv["payment_url"].startswith(live.url + "/pay/")
    fetched = data(admin.get(f"/api/v1/invoices/{inv['id']}"))
    assert fetched["payment_url"] == inv["payment_url"]
    voided = data(admin.post(f"/api/v1/invoices/{inv['id']}/void"))
    assert voided["payment_url"] is None


def test_the_payer_reads_the_invoice_and_gets_the_same_intent(admin, client_id, anonymous):
    inv = finalized(admin, client_id, LINES)
    token = token_of(inv)
    seen = data(anonymous.get(f"/api/v1/public/invoices/{token}"))
    assert (seen["seller"], seen["number"], seen["amount_due"], seen["payable"]) == (
        "Keel Demo SAS",
        inv["number"],
        "120.00",
        True,
    )
    first = data(anonymous.post(f"/api/v1/public/invoices/{token}/payment-intent"))
    again = data(anonymous.post(f"/api/v1/public/invoices/{token}/payment-intent"))
    assert first["client_secret"] and first["amount"] == "120.00"
    assert again["payment_intent_id"] == first["payment_intent_id"]
    linked = data(admin.post(f"/api/v1/invoices/{inv['id']}/payment-link"), 200)
    assert linked["payment_intent_id"] == first["payment_intent_id"]  # the staff's link reuses it


def test_a_paid_invoice_has_nothing_to_pay(admin, client_id, anonymous, localstripe):
    inv = finalized(admin, client_id, LINES)
    token = token_of(inv)
    intent = data(anonymous.post(f"/api/v1/public/invoices/{token}/payment-intent"))
    assert pay_with_card(localstripe, intent["payment_intent_id"]) == "succeeded"
    paid = wait_until(lambda: data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "paid")
    assert paid
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["payment_url"] is None
    error_of(anonymous.post(f"/api/v1/public/invoices/{token}/payment-intent"), 409, "conflict")
    page = anonymous.get(f"/pay/{token}")
    assert page.status_code == 200 and "Nothing to pay" in page.text and "stripe" not in page.text.lower()


def test_the_page_loads_stripe_js_under_a_strict_csp(admin, client_id, anonymous, localstripe):
    inv = finalized(admin, client_id, LINES)
    page = anonymous.get(f"/pay/{token_of(inv)}")
    assert page.status_code == 200
    assert inv["number"] in page.text and "120.00" in page.text
    assert f'src="{localstripe.url}/js.stripe.com/v3/"' in page.text
    csp = page.headers["content-security-policy"]
    assert f"script-src 'self' {localstripe.url};" in csp and f"frame-src {localstripe.url};" in csp
    assert "unsafe-inline" not in csp and page.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "token",
    ["x", "A" * 70, "A" * 600, "%00", "..%2F..%2Fetc", "' or 1=1 --"],
)
def test_a_bad_token_is_a_404_never_a_5xx(anonymous, token):
    for method, path in (
        ("GET", f"/api/v1/public/invoices/{token}"),
        ("POST", f"/api/v1/public/invoices/{token}/payment-intent"),
        ("GET", f"/api/v1/public/invoices/{token}/pdf"),
        ("GET", f"/pay/{token}"),
    ):
        r = anonymous.http.request(method, path)
        assert r.status_code in (404, 422), (method, path, r.status_code)


def test_an_altered_token_is_a_404(admin, client_id, anonymous):
    token = token_of(finalized(admin, client_id, LINES))
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    error_of(anonymous.get(f"/api/v1/public/invoices/{altered}"), 404, "not_found")
    error_of(anonymous.post(f"/api/v1/public/invoices/{altered}/payment-intent"), 404, "not_found")
    page = anonymous.get(f"/pay/{altered}")
    assert page.status_code == 404 and "Payment link not found" in page.text


def test_the_invoice_email_carries_the_payment_page_and_its_pdf_link_works(admin, client_id, anonymous):
    inv = finalized(admin, client_id, LINES)
    ready = wait_for(admin, inv["id"], lambda i: i["pdf_document_id"] is not None)
    data(admin.post(f"/api/v1/invoices/{inv['id']}/send"))
    found = wait_until(
        lambda: [
            m
            for m in data(admin.get("/api/v1/dev/outbox", params={"to": "billing@dupont.example"}))
            if inv["number"] in m["subject"]
        ]
    )
    assert found and f"Pay by card: {ready['payment_url']}" in found[0]["text"]
    pdf = anonymous.get(f"/api/v1/public/invoices/{token_of(ready)}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

"""The payment page in headless Chromium: the invoice's payment_url opens a page whose card form is
localstripe's Stripe.js; paying makes the invoice paid through the webhook.

localstripe's ``confirmCardPayment`` is a 3D Secure stub: it ignores the card field and only completes
an intent waiting for authentication. So the test plays the part of real Stripe.js's confirmation:
it attaches a 3D Secure test card to the page's intent (the same one the page asks for), then the
page's Pay button runs confirmCardPayment, whose authentication prompt the test completes."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.conftest import data
from tests.api.invoice_helpers import customer, finalized, seller, tax_rate
from tests.api.stripe_helpers import client, deliver_to, pay_with_card

pytestmark = pytest.mark.slow

LINES = [{"description": "Consulting", "unit_amount": "100.00", "quantity": "1"}]  # 120.00 with VAT
THREE_D_SECURE = "4000002760003184"
CARD = {
    "number": "4242424242424242",
    "exp_month": "12",
    "exp_year": "34",
    "cvc": "123",
    "postal_code": "75001",
}


def test_paying_by_card_on_the_page_pays_the_invoice(
    browser, live, admin, anonymous, engine, tenant, localstripe, screenshot
):
    deliver_to(live, localstripe)  # localstripe signs and posts payment_intent.succeeded to the API
    seller(engine, tenant.id)
    tax_rate(engine, tenant.id, "20")
    invoice = finalized(admin, customer(engine, tenant.id), LINES)
    assert invoice["payment_url"].startswith(live.url + "/pay/")

    browser.get_log("browser")
    browser.get(invoice["payment_url"])
    wait = WebDriverWait(browser, 20)
    assert browser.find_element(By.ID, "amount-due").text == "120.00 EUR"
    for name, value in CARD.items():
        field = wait.until(
            EC.presence_of_element_located((By.CSS_SELECTOR, f"#card input[placeholder='{name}']"))
        )
        field.send_keys(value)
    screenshot("filled")
    token = invoice["payment_url"].rsplit("/", 1)[1]
    intent = data(anonymous.post(f"/api/v1/public/invoices/{token}/payment-intent"))
    card = client(localstripe).v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": THREE_D_SECURE, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    assert pay_with_card(localstripe, intent["payment_intent_id"], card["id"]) == "requires_action"
    browser.find_element(By.ID, "pay-button").click()
    authenticate = (By.XPATH, "//button[text()='Complete authentication']")
    wait.until(EC.element_to_be_clickable(authenticate)).click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "pay-status"), "payment was received"))
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors

    deadline = time.monotonic() + 30
    while data(admin.get(f"/api/v1/invoices/{invoice['id']}"))["status"] != "paid":
        assert time.monotonic() < deadline, "the webhook never made the invoice paid"
        time.sleep(0.3)
    screenshot("paid")
    browser.refresh()
    assert "Nothing to pay" in wait.until(EC.presence_of_element_located((By.ID, "nothing-message"))).text

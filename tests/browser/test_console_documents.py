"""Documents and invoices in the console, in headless Chromium: the lists, a PDF's pages previewed as
images loaded from the REST page route with the session cookie, an invoice with its amounts and its
first page; axe-core finds no serious violation on any of them, at desktop and phone widths."""

from __future__ import annotations

import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown

from tests.api.conftest import data
from tests.api.invoice_helpers import customer, draft, seller, tax_rate, wait_for
from tests.api.test_documents import upload, wait_ready
from tests.browser.accessibility import violations
from tests.browser.test_console import sign_in
from tests.domain.pdf_helpers import pages_pdf


def loaded(browser, selector: str) -> bool:
    images = browser.find_elements(By.CSS_SELECTOR, selector)
    return bool(images) and all(
        browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", i)
        for i in images
    )


def test_an_admin_previews_a_document_and_an_invoice(browser, live, admin, tenant, engine, screenshot):
    kind = f"lease-{uuid.uuid4().hex[:6]}"
    doc = data(upload(admin, pages_pdf("First page", "Second page"), "lease.pdf", document_type=kind), 201)
    assert wait_ready(admin, doc["id"])["status"] == "ready"
    seller(engine, tenant.id)
    tax_rate(engine, tenant.id, "20")
    lines = [{"description": "Conseil", "unit_amount": "1234.50", "quantity": "2"}]
    invoice = draft(admin, customer(engine, tenant.id), lines)
    data(admin.post(f"/api/v1/invoices/{invoice['id']}/finalize"))
    wait_for(admin, invoice["id"], lambda i: i["pdf_document_id"] is not None)

    browser.set_window_size(1280, 900)
    wait = sign_in(browser, live, tenant.admin_email, tenant.admin_password)
    wait.until(shown.url_contains("/app/inbox"))
    browser.find_element(By.CSS_SELECTOR, 'nav a[href="/app/documents"]').click()
    wait.until(shown.element_to_be_clickable((By.CSS_SELECTOR, f'a[href="/app/documents/{doc["id"]}"]')))
    assert violations(browser) == []
    browser.find_element(By.CSS_SELECTOR, f'a[href="/app/documents/{doc["id"]}"]').click()
    wait.until(lambda _: loaded(browser, ".preview img"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".preview img")) == 2  # both pages
    assert violations(browser) == []
    screenshot("document")

    browser.find_element(By.CSS_SELECTOR, 'nav a[href="/app/invoices"]').click()
    link = wait.until(
        shown.element_to_be_clickable((By.CSS_SELECTOR, f'a[href="/app/invoices/{invoice["id"]}"]'))
    )
    assert violations(browser) == []
    link.click()
    wait.until(lambda _: loaded(browser, ".preview img"))
    assert "€2,962.80" in browser.find_element(By.TAG_NAME, "main").text  # 2 x 1,234.50 + 20 %
    assert violations(browser) == []
    screenshot("invoice")

    browser.set_window_size(360, 780)
    try:
        browser.refresh()
        wait.until(lambda _: loaded(browser, ".preview img"))
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.execute_script("return document.documentElement.clientWidth")
        assert violations(browser) == []
        screenshot("phone-invoice")
    finally:
        browser.set_window_size(1280, 1600)

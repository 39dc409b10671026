"""The signing page in headless Chromium: a drawn signature signs, a reason declines, a used link is gone."""

from __future__ import annotations

import uuid

import httpx
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.conftest import data
from tests.browser.signing import (
    agreement_pdf,
    request_signature,
    sign_typed,
    signing_token,
    sms_code,
    upload,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def invitation(admin):
    """A fresh request for one signer, and the token of the link they were emailed."""
    email = f"ana-{uuid.uuid4().hex[:8]}@example.com"
    created = request_signature(admin, upload(admin, agreement_pdf()), email=email)
    return created, signing_token(admin, email)


def open_page(browser, live, token):
    browser.get_log("browser")  # what earlier pages logged is not this page's
    browser.get(f"{live.url}/sign/{token}")
    return WebDriverWait(browser, 15)


def draw_signature(browser):
    pad = browser.find_element(By.ID, "pad")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
    strokes = ActionChains(browser).move_to_element_with_offset(pad, -180, 10).click_and_hold()
    for dx, dy in [(20, -40), (15, 45), (25, -30), (20, 35), (30, -25), (25, 20), (40, -10), (50, 5)]:
        strokes = strokes.move_by_offset(dx, dy)
    strokes.release().perform()


def signer_of(admin, request_id):
    return data(admin.get(f"/api/v1/signing-requests/{request_id}"))["signers"][0]


def test_a_drawn_signature_signs_the_document(browser, live, admin, invitation, screenshot):
    created, token = invitation
    wait = open_page(browser, live, token)
    assert browser.find_element(By.ID, "title").text == "Service agreement"
    assert "Ana Lima" in browser.find_element(By.ID, "who").text
    # The page image is the public page endpoint's PNG, and the signer's boxes lie over it.
    image = browser.find_element(By.CSS_SELECTOR, "#page-1 img")
    wait.until(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#page-1 .box")) == 3

    browser.find_element(By.CSS_SELECTOR, "input[name='signature-type'][value='drawn']").click()
    draw_signature(browser)
    company = browser.find_element(By.CSS_SELECTOR, "input[data-type='text']")
    company.send_keys("Acme Ltd")
    # Without consent the page says so next to the checkbox and sends nothing.
    browser.find_element(By.ID, "sign-button").click()
    assert "Tick the box" in browser.find_element(By.ID, "error-consent").text
    assert signer_of(admin, created["id"])["status"] != "signed"

    browser.find_element(By.ID, "consent").click()
    browser.find_element(By.ID, "sign-button").click()
    done = wait.until(EC.visibility_of_element_located((By.ID, "done")))
    assert browser.find_element(By.ID, "done-title").text == "Signed"
    assert not browser.find_element(By.ID, "sign-form").is_displayed()
    # The drawn signature shows in its box on the page.
    href = browser.find_element(By.CSS_SELECTOR, ".box-signature .box-image").get_attribute("href")
    assert href.startswith("data:image/png;base64,")
    shot = screenshot("signed")
    assert shot.stat().st_size > 10_000 and done.is_displayed()

    signer = signer_of(admin, created["id"])
    assert signer["status"] == "signed"
    assert browser.get_log("browser") == []  # no CSP violation, no script error


def test_declining_with_a_reason_ends_the_request(browser, live, admin, invitation, screenshot):
    created, token = invitation
    wait = open_page(browser, live, token)
    browser.find_element(By.ID, "decline-open").click()
    reason = wait.until(EC.visibility_of_element_located((By.ID, "decline-reason")))
    browser.find_element(By.ID, "decline-button").click()
    assert "Say why" in browser.find_element(By.ID, "error-reason").text

    reason.send_keys("The notice period should be three months.")
    browser.find_element(By.ID, "decline-button").click()
    wait.until(EC.visibility_of_element_located((By.ID, "done")))
    assert browser.find_element(By.ID, "done-title").text == "Declined"
    # Nothing on the page looks signed any more.
    assert browser.find_elements(By.CSS_SELECTOR, ".box.filled") == []
    screenshot("declined")

    assert signer_of(admin, created["id"])["status"] == "declined"
    assert data(admin.get(f"/api/v1/signing-requests/{created['id']}"))["status"] == "declined"


def test_a_used_link_shows_the_gone_page(browser, live, anonymous, invitation, screenshot):
    _, token = invitation
    assert sign_typed(anonymous, token).status_code == 200

    assert httpx.get(f"{live.url}/sign/{token}").status_code == 410
    open_page(browser, live, token)
    assert browser.find_element(By.TAG_NAME, "h1").text == "This signing link can no longer be used"
    assert browser.find_element(By.ID, "notice-message").text == "You already signed."
    assert browser.find_elements(By.ID, "sign-form") == []
    screenshot("gone")


def touch_signature(browser):
    """Strokes with a finger: pointer events of type touch, as a phone sends them."""
    pad = browser.find_element(By.ID, "pad")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
    rect = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.x, r.y];", pad)
    finger = ActionBuilder(browser, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    x, y = int(rect[0]) + 30, int(rect[1]) + 60
    finger.pointer_action.move_to_location(x, y).pointer_down()
    for step in range(1, 12):
        finger.pointer_action.move_to_location(x + step * 22, y + (18 if step % 2 else -14))
    finger.pointer_action.pointer_up()
    finger.perform()


def test_on_a_phone_a_code_confirms_the_signer_and_a_wrong_one_is_shown_at_the_code(
    browser, live, admin, screenshot
):
    email = f"ana-{uuid.uuid4().hex[:8]}@example.com"
    phone = f"+33612{uuid.uuid4().int % 1_000_000:06d}"
    created = request_signature(
        admin, upload(admin, agreement_pdf()), email=email, auth="sms_otp", phone=phone
    )
    token = signing_token(admin, email)
    browser.set_window_size(390, 844)
    try:
        wait = open_page(browser, live, token)
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert (
            browser.execute_script("return document.documentElement.scrollWidth") <= width
        )  # no sideways scroll
        assert browser.find_element(By.ID, "sign-button").size["height"] >= 44  # a thumb hits it

        browser.find_element(By.CSS_SELECTOR, "input[name='signature-type'][value='drawn']").click()
        touch_signature(browser)
        assert (
            browser.find_element(By.CSS_SELECTOR, ".box-signature").get_attribute("class").endswith("filled")
        )
        browser.find_element(By.CSS_SELECTOR, "input[data-type='text']").send_keys("Acme Ltd")
        browser.find_element(By.ID, "consent").click()

        browser.find_element(By.ID, "send-code").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "otp-status"), "Code sent to"))
        code = sms_code(admin, phone)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        browser.find_element(By.ID, "otp").send_keys(wrong)
        browser.find_element(By.ID, "sign-button").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "error-otp"), "not the code we sent"))
        assert browser.find_element(By.ID, "error-general").text == ""
        assert signer_of(admin, created["id"])["status"] != "signed"

        otp = browser.find_element(By.ID, "otp")
        otp.clear()
        otp.send_keys(code)
        browser.find_element(By.ID, "sign-button").click()
        wait.until(EC.visibility_of_element_located((By.ID, "done")))
        assert browser.find_element(By.ID, "done-title").text == "Signed"
        screenshot("phone-signed")
    finally:
        browser.set_window_size(1280, 1600)
    assert signer_of(admin, created["id"])["status"] == "signed"

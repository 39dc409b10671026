"""The console in a real browser: an approver signs in, finds the task a process put in their inbox,
approves it and sees it leave the inbox while the process completes; a form's errors from the API are
shown at the field; on a phone-sized window the inbox still reads; axe-core finds no serious
violation on any page."""

from __future__ import annotations

import json
import uuid

import pyotp
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.conftest import Api, data
from tests.api.test_console import PASSWORD, start_for
from tests.api.test_processes import approval, eventually
from tests.browser.accessibility import violations


def sign_in(browser, live, email: str, password: str = PASSWORD) -> WebDriverWait:
    browser.delete_all_cookies()
    browser.get(f"{live.url}/app/sign-in")
    wait = WebDriverWait(browser, 15)
    browser.find_element(By.ID, "login").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    return wait


def test_an_approver_decides_a_task_from_the_inbox(browser, live, admin, tenant, approver, screenshot):
    process = start_for(admin, tenant, approver, f"BROWSER-{uuid.uuid4().hex[:6]}")
    task = eventually(lambda: data(admin.get("/api/v1/tasks", params={"process_id": process["id"]})))[0]

    browser.set_window_size(1280, 900)
    sign_in(browser, live, approver, "wrong-password")
    alert = WebDriverWait(browser, 15).until(
        shown.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]"))
    )
    assert alert.text and browser.current_url.endswith("/app/sign-in")
    assert violations(browser) == []

    wait = sign_in(browser, live, approver)
    wait.until(shown.url_contains("/app/inbox"))
    link = wait.until(shown.element_to_be_clickable((By.CSS_SELECTOR, f'a[href="/app/tasks/{task["id"]}"]')))
    assert violations(browser) == []
    screenshot("inbox")
    link.click()
    wait.until(shown.url_contains(f"/app/tasks/{task['id']}"))
    assert "approval" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert violations(browser) == []
    browser.find_element(By.ID, "comment").send_keys("Fine by me")
    screenshot("task")
    browser.find_element(By.CSS_SELECTOR, 'button[value="approve"]').click()
    wait.until(shown.url_contains("/app/inbox?decided=1"))
    assert browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert not browser.find_elements(By.CSS_SELECTOR, f'a[href="/app/tasks/{task["id"]}"]')
    done = eventually(
        lambda: (p := data(admin.get(f"/api/v1/processes/{process['id']}")))["status"] == "completed" and p
    )
    assert done["status"] == "completed"
    decided = data(admin.get(f"/api/v1/tasks/{task['id']}"))
    assert (decided["outcome"], decided["comment"]) == ("approve", "Fine by me")


def test_on_a_phone_the_inbox_reads_and_the_keyboard_reaches_every_control(
    browser, live, admin, tenant, approver, screenshot
):
    start_for(admin, tenant, approver, f"PHONE-{uuid.uuid4().hex[:6]}")
    browser.set_window_size(360, 780)
    try:
        wait = sign_in(browser, live, approver)
        wait.until(shown.url_contains("/app/inbox"))
        link = wait.until(shown.presence_of_element_located((By.CSS_SELECTOR, "table.list a")))
        width = browser.execute_script("return document.documentElement.scrollWidth")
        room = browser.execute_script("return document.documentElement.clientWidth")
        assert width <= room, f"the page is {width} px wide in {room} px"
        assert link.is_displayed()
        assert violations(browser) == []
        screenshot("phone-inbox")
        # The skip link comes first, and focus shows where it is.
        browser.find_element(By.TAG_NAME, "body").send_keys("\ue004")  # Tab
        focused = browser.switch_to.active_element
        assert focused.get_attribute("class") == "skip" and focused.is_displayed()
    finally:
        browser.set_window_size(1280, 1600)


def test_the_inbox_shows_a_new_task_without_a_reload(browser, live, admin, tenant, approver):
    wait = sign_in(browser, live, approver)
    wait.until(shown.url_contains("/app/inbox"))
    wait.until(shown.presence_of_element_located((By.ID, "inbox")))
    process = start_for(admin, tenant, approver, f"LIVE-{uuid.uuid4().hex[:6]}")
    task = eventually(lambda: data(admin.get("/api/v1/tasks", params={"process_id": process["id"]})))[0]
    WebDriverWait(browser, 20).until(
        shown.presence_of_element_located((By.CSS_SELECTOR, f'a[href="/app/tasks/{task["id"]}"]'))
    )


def test_an_admin_finds_a_process_and_reads_its_timeline(browser, live, admin, tenant, approver, screenshot):
    key = f"FIND-{uuid.uuid4().hex[:6]}"
    process = start_for(admin, tenant, approver, key)
    wait = sign_in(browser, live, tenant.admin_email, tenant.admin_password)
    wait.until(shown.url_contains("/app/inbox"))
    browser.find_element(By.LINK_TEXT, "Processes").click()
    wait.until(shown.url_contains("/app/processes"))
    browser.find_element(By.ID, "key").send_keys(key)
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    wait.until(shown.url_contains(f"key={key}"))
    wait.until(shown.element_to_be_clickable((By.LINK_TEXT, key))).click()
    wait.until(shown.url_contains(f"/app/processes/{process['id']}"))
    eventually(
        lambda: browser.refresh() or "Approve" in browser.find_element(By.CSS_SELECTOR, "ol.timeline").text
    )
    assert browser.find_element(By.CSS_SELECTOR, "[data-status]").get_attribute("data-status") == "running"
    assert violations(browser) == []
    screenshot("process")
    browser.find_element(By.CSS_SELECTOR, "form.cancel button").click()
    assert wait.until(
        shown.visibility_of_element_located((By.CSS_SELECTOR, "form.cancel [role=status]"))
    ).text
    eventually(lambda: data(admin.get(f"/api/v1/processes/{process['id']}"))["status"] == "cancelled")
    browser.refresh()
    assert browser.find_element(By.CSS_SELECTOR, "[data-status]").get_attribute("data-status") == "cancelled"
    assert not browser.find_elements(By.CSS_SELECTOR, "form.cancel")


def test_an_admin_starts_a_process_from_its_form_and_sees_errors_at_the_field(
    browser, live, admin, tenant, approver, screenshot
):
    wait = sign_in(browser, live, tenant.admin_email, tenant.admin_password)
    wait.until(shown.url_contains("/app/inbox"))
    browser.get(f"{live.url}/app/processes/new")
    wait.until(shown.element_to_be_clickable((By.LINK_TEXT, "approval"))).click()
    wait.until(shown.url_contains("definition=approval"))
    key = f"FORM-{uuid.uuid4().hex[:6]}"
    browser.find_element(By.ID, "business_key").send_keys(key)
    browser.find_element(By.ID, "input-subject").send_keys("Chairs")
    browser.find_element(By.ID, "input-amount").send_keys('{"value": "ten", "currency": "EUR"}')
    chain = [{"assignee": f"user:{approver}", "due": "P1D"}]
    browser.find_element(By.ID, "input-chain").send_keys(json.dumps(chain))
    browser.find_element(By.CSS_SELECTOR, "form.start button[type=submit]").click()
    error = wait.until(shown.visibility_of_element_located((By.ID, "e-input-amount")))
    assert error.text, "the API's error on input.amount.value is shown at the amount"
    assert violations(browser) == []
    screenshot("start-error")
    amount = browser.find_element(By.ID, "input-amount")
    amount.clear()
    amount.send_keys('{"value": "120.00", "currency": "EUR"}')
    browser.find_element(By.CSS_SELECTOR, "form.start button[type=submit]").click()
    wait.until(shown.url_matches(r"/app/processes/[0-9a-f-]{36}$"))
    assert key in browser.find_element(By.TAG_NAME, "h1").text
    started = data(admin.get("/api/v1/processes", params={"business_key": key}))
    assert [p["business_key"] for p in started] == [key]


def test_a_member_asked_for_a_second_factor_sets_it_up_and_reaches_the_inbox(
    browser, live, admin, tenant, approver, screenshot
):
    data(admin.put("/api/v1/tenant/security", json={"mfa_required": True}))
    browser.set_window_size(1280, 900)
    wait = sign_in(browser, live, approver)
    wait.until(shown.url_contains("/app/security?required=1"))
    assert browser.find_element(By.CSS_SELECTOR, "[role=alert].card").text
    assert violations(browser) == []
    browser.find_element(By.CSS_SELECTOR, "form.enrol button").click()
    secret = wait.until(shown.visibility_of_element_located((By.CSS_SELECTOR, "code.secret")))
    qr = browser.find_element(By.CSS_SELECTOR, "img.qr")
    assert wait.until(lambda _: browser.execute_script("return arguments[0].naturalWidth", qr) > 0)
    assert violations(browser) == []
    screenshot("enrol")
    browser.find_element(By.ID, "code").send_keys("000000")
    browser.find_element(By.CSS_SELECTOR, "form.confirm button").click()
    wait.until(
        shown.visibility_of_element_located((By.CSS_SELECTOR, "form.confirm [data-error]:not([hidden])"))
    )
    code = browser.find_element(By.ID, "code")
    code.clear()
    code.send_keys(pyotp.TOTP(secret.text).now())
    browser.find_element(By.CSS_SELECTOR, "form.confirm button").click()
    codes = wait.until(shown.visibility_of_all_elements_located((By.CSS_SELECTOR, "ol.recovery li")))
    assert len(codes) == 10
    screenshot("recovery-codes")
    browser.find_element(By.CSS_SELECTOR, "div.codes a.button").click()
    wait.until(shown.url_contains("/app/inbox"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "My open tasks"


def test_another_organisations_ids_are_the_404_page(browser, live, admin, tenant, make_tenant, screenshot):
    stranger = make_tenant()
    theirs = Api(live.url, stranger.api_key)
    chain = [{"assignee": f"user:{stranger.admin_email}"}]
    process = data(theirs.post("/api/v1/processes", json=approval(stranger, "THEIRS-1", chain=chain)), 201)
    wait = sign_in(browser, live, tenant.admin_email, tenant.admin_password)
    wait.until(shown.url_contains("/app/inbox"))
    for page in (f"/app/processes/{process['id']}", f"/app/tasks/{uuid.uuid4()}", "/app/documents/not-an-id"):
        browser.get(f"{live.url}{page}")
        heading = wait.until(shown.visibility_of_element_located((By.TAG_NAME, "h1")))
        assert heading.text == "Not found", page
        assert "another organisation" in browser.find_element(By.TAG_NAME, "main").text
    assert violations(browser) == []
    screenshot("not-found")

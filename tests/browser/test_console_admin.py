"""The administration pages in a real browser: an administrator creates a user, a role and an API key
from the pages (the key's secret shown once), sees a webhook's failed delivery and retries it, and
previews a template; a member sees no Admin link and gets the 403 page; a role granting more than its
creator holds is refused at the permissions; a forged post without the CSRF token changes nothing; the
pages read on a phone; axe-core finds no serious violation on any page."""

from __future__ import annotations

import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.api.conftest import data
from tests.api.test_console_admin import user_manager
from tests.api.test_processes import eventually
from tests.api.test_webhooks import deliveries, post_event, receiver, subscribe  # noqa: F401 (fixture)
from tests.browser.accessibility import violations
from tests.browser.test_console import sign_in

FORGE = """
const done = arguments[arguments.length - 1];
fetch("/api/v1/users", {method: "POST", credentials: "same-origin",
  headers: {"Content-Type": "application/json"}, body: JSON.stringify(arguments[0])})
  .then((r) => r.json().then((b) => done([r.status, b.error ? b.error.message : ""])));
"""


def admin_in(browser, live, tenant) -> WebDriverWait:
    wait = sign_in(browser, live, tenant.admin_email, tenant.admin_password)
    wait.until(shown.url_contains("/app/inbox"))
    return wait


def test_an_admin_creates_a_user_a_role_and_an_api_key_seen_once(
    browser, live, admin, api, tenant, screenshot
):
    browser.set_window_size(1280, 900)
    wait = admin_in(browser, live, tenant)
    browser.find_element(By.CSS_SELECTOR, 'nav a[href="/app/admin"]').click()
    wait.until(shown.url_contains("/app/admin"))
    assert violations(browser) == []
    screenshot("overview")
    browser.find_element(By.LINK_TEXT, "Users and roles").click()
    wait.until(shown.url_contains("/app/admin/users"))

    # A role, from the page: its permissions ticked.
    role = f"clerk{uuid.uuid4().hex[:6]}"
    form = browser.find_element(By.CSS_SELECTOR, 'form[data-action="role-create"]')
    form.find_element(By.ID, "role-name").send_keys(role)
    form.find_element(By.ID, "role-description").send_keys("Reads tasks")
    form.find_element(By.CSS_SELECTOR, 'input[name=permissions][value="tasks:read"]').click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(shown.url_contains("done=role_created"))
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-role="{role}"]')
    assert "tasks:read" in row.text and "Reads tasks" in row.text

    # A user with that role; a bad email first is shown at its field.
    email = f"new{uuid.uuid4().hex[:6]}@{tenant.domain}"
    form = browser.find_element(By.CSS_SELECTOR, 'form[data-action="user-create"]')
    form.find_element(By.ID, "user-email").send_keys("not-an-email")
    form.find_element(By.ID, "user-password").send_keys("a-long-enough-password")
    form.find_element(By.CSS_SELECTOR, f'input[name=roles][value="{role}"]').click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    error = wait.until(shown.visibility_of_element_located((By.ID, "e-user-email")))
    assert error.text
    form.find_element(By.ID, "user-email").clear()
    form.find_element(By.ID, "user-email").send_keys(email)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(shown.url_contains("done=user_created"))
    assert browser.find_element(By.CSS_SELECTOR, "[role=status]").text == "The user was created."
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-user="{email}"]')
    assert role in row.text and "active" in row.text
    (made,) = data(admin.get("/api/v1/users", params={"email": email}))
    assert made["roles"] == [role] and made["is_active"] is True
    assert violations(browser) == []
    screenshot("users")

    # Deactivated from its row.
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-edit-user="{email}"]')
    row.find_element(By.TAG_NAME, "summary").click()
    row.find_element(By.CSS_SELECTOR, "input[name=is_active]").click()
    row.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(shown.url_contains("done=user_saved"))
    assert "deactivated" in browser.find_element(By.CSS_SELECTOR, f'tr[data-user="{email}"]').text
    assert data(admin.get(f"/api/v1/users/{made['id']}"))["is_active"] is False

    # The role's permissions changed from its row; deleting it is refused while someone holds it.
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-edit-role="{role}"]')
    row.find_element(By.TAG_NAME, "summary").click()
    row.find_element(By.CSS_SELECTOR, 'input[name=permissions][value="tasks:complete"]').click()
    row.find_element(By.CSS_SELECTOR, "button[type=submit]:not([name=delete])").click()
    wait.until(shown.url_contains("done=role_saved"))
    assert (
        "tasks:complete, tasks:read" in browser.find_element(By.CSS_SELECTOR, f'tr[data-role="{role}"]').text
    )
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-edit-role="{role}"]')
    row.find_element(By.TAG_NAME, "summary").click()
    row.find_element(By.CSS_SELECTOR, "button[name=delete]").click()
    refusal = wait.until(
        shown.visibility_of_element_located((By.CSS_SELECTOR, f'tr[data-edit-role="{role}"] [data-error=""]'))
    )
    assert "hold this role" in refusal.text
    assert violations(browser) == []
    screenshot("role-refused")
    assert any(r["name"] == role for r in data(admin.get("/api/v1/roles")))

    # An API key: its secret shown once, with a copy button.
    browser.get(f"{live.url}/app/admin/api-keys")
    name = f"reporting {uuid.uuid4().hex[:4]}"
    browser.find_element(By.ID, "key-name").send_keys(name)
    browser.find_element(By.CSS_SELECTOR, 'input[name=permissions][value="tasks:read"]').click()
    assert not browser.find_element(By.ID, "secret").is_displayed()  # until a key is made
    browser.find_element(By.CSS_SELECTOR, 'form[data-action="key-create"] button[type=submit]').click()
    panel = wait.until(shown.visibility_of_element_located((By.ID, "secret")))
    secret = browser.find_element(By.ID, "secret-value").get_attribute("value")
    assert secret.startswith("keel_") and "shown only this once" in panel.text
    browser.find_element(By.ID, "secret-copy").click()
    wait.until(shown.text_to_be_present_in_element((By.ID, "secret-copy"), "Copied"))
    assert violations(browser) == []
    screenshot("key-created")
    # The key works, holds only what was ticked, and is never shown again.
    keyed = api(secret)
    assert keyed.get("/api/v1/tasks").status_code == 200
    assert keyed.get("/api/v1/users").status_code == 403
    browser.find_element(By.LINK_TEXT, "I have stored it").click()
    wait.until(shown.staleness_of(panel))
    assert secret not in browser.page_source and name in browser.page_source
    prefix = secret.split("_")[1]
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-key="{prefix}"]')
    last_used = row.find_element(By.CSS_SELECTOR, "td:nth-child(4)").text
    assert "tasks:read" in row.text and last_used and last_used != "never"  # it was used above
    row.find_element(By.CSS_SELECTOR, "button.danger").click()
    wait.until(shown.text_to_be_present_in_element((By.CSS_SELECTOR, f'tr[data-key="{prefix}"]'), "Revoked"))
    assert keyed.get("/api/v1/tasks").status_code == 401


def test_an_admin_sees_a_failed_delivery_and_retries_it(
    browser,
    live,
    admin,
    tenant,
    receiver,  # noqa: F811 (the fixture)
    screenshot,
):
    receiver.then = 500
    hook = subscribe(admin, receiver.url, ["order.*"], description="warehouse")
    post_event(admin, "order.shipped", None, order=7)
    (dead,) = eventually(lambda: deliveries(admin, hook["id"], status="failed"), timeout=20)

    browser.set_window_size(1280, 900)
    wait = admin_in(browser, live, tenant)
    browser.get(f"{live.url}/app/admin/webhooks")
    assert violations(browser) == []
    screenshot("webhooks")
    browser.find_element(By.LINK_TEXT, receiver.url).click()
    wait.until(shown.url_contains(f"/app/admin/webhooks/{hook['id']}"))
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-delivery="{dead["id"]}"]')
    assert "failed" in row.text and "HTTP 500" in row.text and "order.shipped" in row.text
    assert row.find_element(By.CSS_SELECTOR, "td:nth-child(3)").text == "3"  # attempts
    assert violations(browser) == []
    screenshot("webhook-failed")

    receiver.then = 200
    row.find_element(By.CSS_SELECTOR, 'form[data-action="retry"] button').click()
    wait.until(
        shown.text_to_be_present_in_element(
            (By.CSS_SELECTOR, f'tr[data-delivery="{dead["id"]}"]'), "Retry started"
        )
    )
    eventually(lambda: deliveries(admin, hook["id"], status="succeeded"), timeout=15)
    browser.refresh()
    status = browser.find_element(By.CSS_SELECTOR, f'tr[data-delivery="{dead["id"]}"] [data-cell=status]')
    assert status.get_attribute("data-status") == "succeeded" and "delivered" in status.text
    assert not browser.find_elements(By.CSS_SELECTOR, 'form[data-action="retry"]')
    assert violations(browser) == []
    screenshot("webhook-retried")

    browser.find_element(By.CSS_SELECTOR, 'form[data-action="webhook-test"] button').click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr[data-delivery]")) == 2)
    tested = browser.find_element(By.CSS_SELECTOR, "tr[data-delivery]")  # the newest first
    assert "webhook.test" in tested.text and "HTTP 200" in tested.text
    assert receiver.requests[-1].json["type"] == "webhook.test"


def test_an_admin_previews_a_template(browser, live, tenant, screenshot):
    browser.set_window_size(1280, 900)
    wait = admin_in(browser, live, tenant)
    browser.get(f"{live.url}/app/admin/templates")
    assert violations(browser) == []
    screenshot("templates")
    browser.find_element(By.LINK_TEXT, "task-assigned").click()
    wait.until(shown.url_contains("/app/admin/templates/task-assigned"))
    box = browser.find_element(By.ID, "preview-data")
    box.clear()
    box.send_keys('{"task_title": "Budget <2027>", ')  # not JSON: said at the field
    browser.find_element(By.CSS_SELECTOR, 'form[data-action="preview"] button').click()
    assert wait.until(shown.visibility_of_element_located((By.ID, "e-preview-data"))).text
    box.clear()
    box.send_keys('{"task_title": "Budget <2027>", "process": "approval"}')
    browser.find_element(By.CSS_SELECTOR, 'form[data-action="preview"] button').click()
    rendered = wait.until(shown.visibility_of_element_located((By.ID, "rendered")))
    assert not browser.find_element(By.ID, "e-preview-data").is_displayed()
    assert "New task: Budget <2027>" in rendered.text  # the subject, as text
    frame = rendered.find_element(By.CSS_SELECTOR, "iframe.admin-frame")
    assert frame.get_attribute("sandbox") == ""  # no script, no same origin
    browser.switch_to.frame(frame)
    try:
        assert "Budget <2027>" in browser.find_element(By.TAG_NAME, "body").text
    finally:
        browser.switch_to.default_content()
    assert violations(browser) == []
    screenshot("template-preview")

    Select(browser.find_element(By.ID, "preview-channel")).select_by_value("sms")
    browser.find_element(By.CSS_SELECTOR, 'form[data-action="preview"] button').click()
    wait.until(lambda _: not rendered.find_elements(By.TAG_NAME, "iframe"))
    assert rendered.find_element(By.CSS_SELECTOR, "pre").text == "New task: Budget <2027> - approval"


def test_a_member_sees_no_admin_pages(browser, live, approver, screenshot):
    wait = sign_in(browser, live, approver)
    wait.until(shown.url_contains("/app/inbox"))
    assert not browser.find_elements(By.CSS_SELECTOR, 'nav a[href="/app/admin"]')
    for path in ("/app/admin", "/app/admin/users", "/app/admin/api-keys"):
        browser.get(f"{live.url}{path}")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Not allowed"
        assert not browser.find_elements(By.CSS_SELECTOR, 'nav a[href="/app/admin"]')
    assert violations(browser) == []
    screenshot("forbidden")


def test_a_role_beyond_what_its_creator_holds_is_refused_at_the_permissions(browser, live, admin, tenant):
    wait = sign_in(browser, live, user_manager(admin, tenant))
    wait.until(shown.url_contains("/app/inbox"))
    browser.get(f"{live.url}/app/admin/users")
    form = browser.find_element(By.CSS_SELECTOR, 'form[data-action="role-create"]')
    form.find_element(By.ID, "role-name").send_keys("payer")
    form.find_element(By.CSS_SELECTOR, 'input[name=permissions][value="billing:read"]').click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    error = wait.until(shown.visibility_of_element_located((By.ID, "e-role-permissions")))
    assert "billing:read" in error.text
    assert all(r["name"] != "payer" for r in data(admin.get("/api/v1/roles")))
    assert violations(browser) == []


def test_a_forged_form_post_without_the_csrf_token_is_refused(browser, live, admin, tenant):
    admin_in(browser, live, tenant)
    browser.get(f"{live.url}/app/admin/users")
    email = f"forged{uuid.uuid4().hex[:6]}@{tenant.domain}"
    browser.set_script_timeout(15)
    status, message = browser.execute_async_script(
        FORGE, {"email": email, "password": "a-long-enough-password", "roles": []}
    )
    assert status == 403 and "CSRF" in message
    assert data(admin.get("/api/v1/users", params={"email": email})) == []
    browser.refresh()
    assert email not in browser.page_source


def test_on_a_phone_the_admin_pages_read(browser, live, tenant, screenshot):
    browser.set_window_size(360, 780)
    try:
        admin_in(browser, live, tenant)
        for path, label in (("/app/admin/users", "phone-users"), ("/app/admin/api-keys", "phone-keys")):
            browser.get(f"{live.url}{path}")
            width = browser.execute_script("return document.documentElement.scrollWidth")
            room = browser.execute_script("return document.documentElement.clientWidth")
            assert width <= room, f"{path} is {width} px wide in {room} px"
            assert violations(browser) == []
            screenshot(label)
    finally:
        browser.set_window_size(1280, 1600)

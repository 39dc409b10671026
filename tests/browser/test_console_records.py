"""The records area in a real browser: an admin finds a record by typing its name misspelt (the table
follows the search endpoint as they type), filters by a facet, opens the record, edits an attribute and
sees the history show the change, reverts it, and is told to reload when someone else changed the
record meanwhile; on a phone the table and the record still read. axe-core finds no serious violation
on any page."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.conftest import data
from tests.api.test_console_records import define, people
from tests.browser.accessibility import violations
from tests.browser.test_console import sign_in


def rows(browser) -> list[str]:
    """The ids of the records the table links to, top to bottom (read at once: the script redraws it)."""
    hrefs = browser.execute_script(
        "return [...document.querySelectorAll('#records-rows a')].map((a) => a.getAttribute('href'))"
    )
    return [href.rsplit("/", 1)[1] for href in hrefs]


def test_an_admin_finds_a_record_by_a_misspelt_name_edits_and_reverts_it(
    browser, live, admin, tenant, screenshot
):
    define(admin)
    made = people(admin)
    margaret, ada = made["Margaret Hamilton"], made["Ada Lovelace"]
    browser.set_window_size(1280, 900)
    wait = sign_in(browser, live, tenant.admin_email, tenant.admin_password)
    wait.until(shown.url_contains("/app/inbox"))
    browser.find_element(By.LINK_TEXT, "Records").click()
    wait.until(shown.element_to_be_clickable((By.LINK_TEXT, "Customer")))
    assert violations(browser) == []
    screenshot("types")
    browser.find_element(By.LINK_TEXT, "Customer").click()
    wait.until(shown.url_contains("/app/records/customer"))
    assert rows(browser)[0] == ada  # newest first
    assert violations(browser) == []
    screenshot("table")

    # A facet value filters the table (in place), and clicking it again lifts the filter.
    browser.find_element(By.CSS_SELECTOR, 'a[data-facet="city"][data-value="London"]').click()
    wait.until(lambda b: rows(b) == [ada])
    assert "filter%5Bcity%5D=London" in browser.current_url
    browser.find_element(By.CSS_SELECTOR, 'a[data-facet="city"][data-value="London"]').click()
    wait.until(lambda b: len(rows(b)) == 3)

    box = browser.find_element(By.ID, "q")
    box.send_keys("Margret Hamiltn")
    wait.until(lambda b: rows(b) == [margaret])
    assert browser.find_element(By.ID, "records-found").text == "Records found: 1"
    assert "q=Margret+Hamiltn" in browser.current_url  # the address keeps the search
    assert violations(browser) == []
    screenshot("found")
    browser.find_element(By.CSS_SELECTOR, "#records-rows a").click()
    wait.until(shown.url_contains(f"/app/records/customer/{margaret}"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Margaret Hamilton"
    assert violations(browser) == []

    city = browser.find_element(By.ID, "attributes-city")
    assert city.get_attribute("value") == "Boston"
    city.clear()
    city.send_keys("Cambridge")
    browser.find_element(By.CSS_SELECTOR, "form.records-edit button[type=submit]").click()
    wait.until(shown.url_contains("?saved=1"))
    change = browser.find_element(
        By.CSS_SELECTOR, '.records-history li:first-child tr[data-field="attributes.city"]'
    )
    assert change.find_element(By.CSS_SELECTOR, "td.before").text == "Boston"
    assert change.find_element(By.CSS_SELECTOR, "td.after").text == "Cambridge"
    assert data(admin.get(f"/api/v1/entities/customer/{margaret}"))["attributes"]["city"] == "Cambridge"
    assert violations(browser) == []
    screenshot("record")

    browser.find_element(By.CSS_SELECTOR, 'form.records-revert[data-version="1"] button').click()
    wait.until(shown.url_contains("?reverted=1"))
    assert browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    top = browser.find_element(By.CSS_SELECTOR, ".records-history li:first-child")
    assert "Version 3" in top.text and "Boston" in top.text
    assert data(admin.get(f"/api/v1/entities/customer/{margaret}"))["attributes"]["city"] == "Boston"

    # Mistakes are shown at their field: JSON that does not parse (here), a required attribute emptied
    # (by the API's 422).
    save = (By.CSS_SELECTOR, "form.records-edit button[type=submit]")
    name = browser.find_element(By.ID, "attributes-name")
    name.clear()
    notes = browser.find_element(By.ID, "attributes-notes")
    notes.send_keys("{not json")
    browser.find_element(*save).click()
    assert wait.until(shown.visibility_of_element_located((By.ID, "e-attributes-notes"))).text
    notes.clear()
    browser.find_element(*save).click()
    required = wait.until(shown.visibility_of_element_located((By.ID, "e-attributes-name")))
    assert "required" in required.text
    assert violations(browser) == []
    screenshot("errors")

    # Someone else saves meanwhile: the page's save is refused (412) and says to reload.
    data(admin.patch(f"/api/v1/entities/customer/{margaret}", json={"attributes": {"city": "Houston"}}))
    name.send_keys("Margaret Hamilton Jr")
    browser.find_element(*save).click()
    alert = WebDriverWait(browser, 15).until(
        shown.visibility_of_element_located((By.CSS_SELECTOR, 'form.records-edit [data-error=""]'))
    )
    assert "Reload the page" in alert.text
    assert (
        data(admin.get(f"/api/v1/entities/customer/{margaret}"))["attributes"]["name"] == "Margaret Hamilton"
    )
    assert violations(browser) == []


def test_on_a_phone_the_table_and_a_record_read(browser, live, admin, tenant, screenshot):
    define(admin)
    made = people(admin)
    browser.set_window_size(360, 780)
    try:
        wait = sign_in(browser, live, tenant.admin_email, tenant.admin_password)
        wait.until(shown.url_contains("/app/inbox"))
        pages = {
            "/app/records": "phone-types",
            "/app/records/customer": "phone-table",
            f"/app/records/customer/{made['Grace Hopper']}": "phone-record",
        }
        for path, label in pages.items():
            browser.get(f"{live.url}{path}")
            wait.until(shown.presence_of_element_located((By.TAG_NAME, "h1")))
            width = browser.execute_script("return document.documentElement.scrollWidth")
            room = browser.execute_script("return document.documentElement.clientWidth")
            assert width <= room, f"{path} is {width} px wide in {room} px"
            assert violations(browser) == []
            screenshot(label)
        browser.get(f"{live.url}/app/records/customer")
        box = wait.until(shown.element_to_be_clickable((By.ID, "q")))
        box.send_keys("Hoper")
        wait.until(lambda b: rows(b) == [made["Grace Hopper"]])
    finally:
        browser.set_window_size(1280, 1600)

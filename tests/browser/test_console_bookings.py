"""Booking in a real browser: a booker opens a room's week, clicks a free slot, confirms it in the
panel and sees it taken (a second booking of it through the REST API is refused); a slot taken
meanwhile is refused in the panel; a group's slot is booked on the resource chosen in the panel; from
my bookings they move one and cancel another, a late one once they accept the fee; on a phone the
week reads as a list of days. axe-core finds no serious violation on any page."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.api.conftest import data, error_of
from tests.api.test_console import browser as http_browser
from tests.api.test_console import csrf_of
from tests.api.test_console import sign_in as http_sign_in
from tests.api.test_console_bookings import at, book, booker, next_monday, room
from tests.browser.accessibility import violations
from tests.browser.test_console import sign_in


def slot(browser, start: str):
    return browser.find_element(By.CSS_SELECTOR, f'button.slot[data-start="{start}"]')


def test_a_booker_books_a_slot_and_sees_it_taken(browser, live, admin, tenant, screenshot):
    resource = room(admin, "Orchid room")
    monday = next_monday()
    email = booker(admin, tenant)
    browser.set_window_size(1280, 900)
    wait = sign_in(browser, live, email)
    wait.until(shown.url_contains("/app/inbox"))
    browser.get(f"{live.url}/app/bookings")
    picker = wait.until(shown.presence_of_element_located((By.ID, "pick")))
    assert violations(browser) == []
    picker.find_element(By.CSS_SELECTOR, f'option[value="resource:{resource}"]').click()
    browser.execute_script("document.getElementById('week').value = arguments[0]", monday.isoformat())
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait.until(shown.url_contains(f"resource={resource}"))
    ten = at(monday, 10).isoformat()
    button = wait.until(shown.element_to_be_clickable((By.CSS_SELECTOR, f'button.slot[data-start="{ten}"]')))
    days = browser.find_elements(By.CSS_SELECTOR, "section.day")
    assert len(days) == 7 and days[0].location["y"] == days[6].location["y"]  # seven columns side by side
    assert violations(browser) == []
    screenshot("week")

    button.click()
    panel = wait.until(shown.visibility_of_element_located((By.ID, "book-panel")))
    assert "Orchid room" in panel.text and panel.find_element(By.CSS_SELECTOR, "[data-when]").text
    assert browser.switch_to.active_element.tag_name in ("input", "button", "dialog")  # focus is in it
    panel.find_element(By.ID, "hold-subject").send_keys("Quarterly review")
    panel.find_element(By.ID, "hold-notes").send_keys("Bring the slides")
    assert violations(browser) == []
    screenshot("panel")
    panel.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    note = wait.until(shown.visibility_of_element_located((By.CSS_SELECTOR, "#booked[role=status]")))
    assert "Orchid room" in note.text and "taken" in note.text
    assert not browser.find_elements(By.CSS_SELECTOR, f'button.slot[data-start="{ten}"]')
    mine = browser.find_element(By.CSS_SELECTOR, "li.taken.mine")
    assert "Quarterly review" in mine.text and "Yours" in mine.text
    booking = data(admin.get(f"/api/v1/bookings/{mine.get_attribute('data-booking')}"))
    assert (booking["status"], booking["subject"], booking["details"]) == (
        "confirmed",
        "Quarterly review",
        {"notes": "Bring the slides"},
    )
    assert violations(browser) == []
    screenshot("taken")
    # The same slot again through the REST API: refused, the slot is the booker's.
    again = {"resources": [resource], "start": ten, "duration": "PT1H"}
    error_of(admin.post("/api/v1/bookings", json=again), 409, "booking_conflict")

    # A slot someone takes while the panel is open: the panel says so, nothing is booked.
    noon = at(monday, 12).isoformat()
    slot(browser, noon).click()
    panel = wait.until(shown.visibility_of_element_located((By.ID, "book-panel")))
    data(
        admin.post("/api/v1/bookings", json={"resources": [resource], "start": noon, "duration": "PT1H"}), 201
    )
    panel.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    alert = wait.until(shown.visibility_of_element_located((By.CSS_SELECTOR, "#book-panel [role=alert]")))
    assert "took this slot meanwhile" in alert.text
    panel.find_element(By.CSS_SELECTOR, "button[data-close]").click()
    WebDriverWait(browser, 5).until(shown.invisibility_of_element_located((By.ID, "book-panel")))
    assert browser.switch_to.active_element.get_attribute("data-start") == noon  # focus back on its slot


def test_my_bookings_are_moved_and_cancelled_from_the_page(browser, live, admin, tenant, screenshot):
    resource = room(admin, "Cedar room")
    monday = next_monday()
    email = booker(admin, tenant)
    browser.set_window_size(1280, 900)
    wait = sign_in(browser, live, email)
    wait.until(shown.url_contains("/app/inbox"))
    browser.get(f"{live.url}/app/bookings?resource={resource}&week={monday.isoformat()}")
    for hour in (9, 13):
        wait.until(
            shown.element_to_be_clickable(
                (By.CSS_SELECTOR, f'button.slot[data-start="{at(monday, hour).isoformat()}"]')
            )
        ).click()
        panel = wait.until(shown.visibility_of_element_located((By.ID, "book-panel")))
        panel.find_element(By.ID, "hold-subject").send_keys(f"Session at {hour}")
        panel.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(shown.staleness_of(panel))  # the week read again
        wait.until(shown.visibility_of_element_located((By.ID, "booked")))

    browser.find_element(By.CSS_SELECTOR, 'main a[href="/app/bookings/mine"]').click()
    wait.until(shown.url_contains("/app/bookings/mine"))
    items = browser.find_elements(By.CSS_SELECTOR, "#upcoming > li")
    assert [i.find_element(By.TAG_NAME, "h3").text for i in items] == ["Session at 9", "Session at 13"]
    assert violations(browser) == []
    screenshot("mine")

    # Move the first to 15:00 on Tuesday (the reader's zone is UTC), keeping its hour.
    first = items[0]
    move = first.find_element(By.CSS_SELECTOR, "form.booking-move")
    moved_id = move.get_attribute("data-booking")
    tuesday = monday + timedelta(days=1)
    start = move.find_element(By.CSS_SELECTOR, "input[name=start]")
    browser.execute_script("arguments[0].value = arguments[1]", start, f"{tuesday.isoformat()}T15:00")
    move.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(shown.staleness_of(move))  # the page read again
    note = wait.until(shown.visibility_of_element_located((By.CSS_SELECTOR, "#changed[role=status]")))
    assert "moved" in note.text
    moved = data(admin.get(f"/api/v1/bookings/{moved_id}"))
    assert moved["start"].startswith(f"{tuesday.isoformat()}T15:00") and moved["end"].startswith(
        f"{tuesday.isoformat()}T16:00"
    )

    # Cancel the other one.
    second = browser.find_elements(By.CSS_SELECTOR, "#upcoming > li")[0]
    assert second.find_element(By.TAG_NAME, "h3").text == "Session at 13"
    cancel = second.find_element(By.CSS_SELECTOR, "form.booking-cancel")
    booking_id = cancel.get_attribute("data-booking")
    cancel.find_element(By.CSS_SELECTOR, "input[name=reason]").send_keys("Plans changed")
    cancel.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(shown.staleness_of(cancel))
    note = wait.until(shown.visibility_of_element_located((By.CSS_SELECTOR, "#changed[role=status]")))
    assert "cancelled" in note.text
    gone = data(admin.get(f"/api/v1/bookings/{booking_id}"))
    assert (gone["status"], gone["cancel_reason"]) == ("cancelled", "Plans changed")
    titles = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "#upcoming > li h3")]
    assert titles == ["Session at 9"]
    browser.find_element(By.CSS_SELECTOR, "#past summary").click()
    assert "Session at 13" in browser.find_element(By.ID, "past").text
    assert violations(browser) == []
    screenshot("mine-after")
    # The slot is free again on the week.
    browser.get(f"{live.url}/app/bookings?resource={resource}&week={monday.isoformat()}")
    assert slot(browser, at(monday, 13).isoformat()).is_displayed()


def test_on_a_phone_the_week_is_a_list_of_days(browser, live, admin, tenant, screenshot):
    resource = room(admin, "Small room")
    monday = next_monday()
    email = booker(admin, tenant)
    browser.set_window_size(360, 780)
    try:
        wait = sign_in(browser, live, email)
        wait.until(shown.url_contains("/app/inbox"))
        browser.get(f"{live.url}/app/bookings?resource={resource}&week={monday.isoformat()}")
        wait.until(shown.presence_of_element_located((By.CSS_SELECTOR, "button.slot")))
        width = browser.execute_script("return document.documentElement.scrollWidth")
        room_ = browser.execute_script("return document.documentElement.clientWidth")
        assert width <= room_, f"the page is {width} px wide in {room_} px"
        days = browser.find_elements(By.CSS_SELECTOR, "section.day")
        assert days[0].location["y"] < days[1].location["y"]  # one day under the other
        assert violations(browser) == []
        screenshot("phone-week")
        slot(browser, at(monday, 8).isoformat()).click()
        panel = wait.until(shown.visibility_of_element_located((By.ID, "book-panel")))
        assert panel.size["width"] <= room_
        panel.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(shown.visibility_of_element_located((By.ID, "booked")))
        browser.get(f"{live.url}/app/bookings/mine")
        wait.until(shown.presence_of_element_located((By.CSS_SELECTOR, "#upcoming form.booking-cancel")))
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= room_, f"my bookings are {width} px wide in {room_} px"
        assert violations(browser) == []
        screenshot("phone-mine")
    finally:
        browser.set_window_size(1280, 900)


def test_a_group_week_books_the_resource_chosen_in_the_panel(browser, live, admin, tenant, screenshot):
    tag = f"studio{uuid.uuid4().hex[:6]}"
    first, second = room(admin, "Studio A", [tag]), room(admin, "Studio B", [tag])
    monday = next_monday()
    browser.set_window_size(1280, 900)
    wait = sign_in(browser, live, booker(admin, tenant))
    wait.until(shown.url_contains("/app/inbox"))
    browser.get(f"{live.url}/app/bookings?group={tag}&week={monday.isoformat()}")
    nine = at(monday, 9).isoformat()
    wait.until(shown.element_to_be_clickable((By.CSS_SELECTOR, f'button.slot[data-start="{nine}"]'))).click()
    panel = wait.until(shown.visibility_of_element_located((By.ID, "book-panel")))
    choice = Select(panel.find_element(By.ID, "hold-resource"))
    assert [o.text for o in choice.options] == ["Studio A", "Studio B"]
    choice.select_by_visible_text("Studio B")
    assert violations(browser) == []
    screenshot("group-panel")
    panel.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(shown.staleness_of(panel))
    note = wait.until(shown.visibility_of_element_located((By.ID, "booked")))
    assert "Studio B" in note.text
    still = slot(browser, nine)
    assert still.get_attribute("data-resources") == first and "1 free" in still.text
    taken = browser.find_element(By.CSS_SELECTOR, "li.taken.mine")
    assert "Studio B" in taken.text
    held = data(admin.get(f"/api/v1/bookings/{taken.get_attribute('data-booking')}"))["allocations"]
    assert [a["resource_id"] for a in held] == [second]
    # Only Studio A is offered for that slot now.
    still.click()
    panel = wait.until(shown.visibility_of_element_located((By.ID, "book-panel")))
    offered = [o for o in Select(panel.find_element(By.ID, "hold-resource")).options if o.is_enabled()]
    assert [o.get_attribute("value") for o in offered] == [first]


def test_a_late_cancellation_asks_to_accept_the_fee(browser, live, admin, tenant):
    resource = data(
        admin.post("/api/v1/resources", json={"name": "Late room", "kind": "room", "timezone": "UTC"}), 201
    )["id"]
    rule = {"kind": "weekly", "weekdays": list(range(7)), "start": "00:00", "end": "24:00"}
    data(admin.post(f"/api/v1/resources/{resource}/availability-rules", json=rule), 201)
    email = booker(admin, tenant)
    client = http_browser(live)
    assert http_sign_in(client, email).status_code == 303
    soon = (datetime.now(UTC) + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    book(client, csrf_of(client.get("/app/bookings/mine").text), resource, soon, subject="Soon")

    browser.set_window_size(1280, 900)
    wait = sign_in(browser, live, email)
    wait.until(shown.url_contains("/app/inbox"))
    browser.get(f"{live.url}/app/bookings/mine")
    cancel = wait.until(shown.presence_of_element_located((By.CSS_SELECTOR, "#upcoming form.booking-cancel")))
    fee = cancel.find_element(By.CSS_SELECTOR, "p.fee")
    assert not fee.is_displayed()
    cancel.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    alert = wait.until(
        shown.visibility_of_element_located((By.CSS_SELECTOR, "form.booking-cancel [role=alert]"))
    )
    assert "too late" in alert.text and fee.is_displayed()
    booking_id = cancel.get_attribute("data-booking")
    assert data(admin.get(f"/api/v1/bookings/{booking_id}"))["status"] == "confirmed"  # nothing changed
    assert violations(browser) == []
    cancel.find_element(By.CSS_SELECTOR, "input[name=accept_fee]").click()
    cancel.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(shown.staleness_of(cancel))
    assert "cancelled" in wait.until(shown.visibility_of_element_located((By.ID, "changed"))).text
    gone = data(admin.get(f"/api/v1/bookings/{booking_id}"))
    assert gone["status"] == "cancelled" and gone["late_cancellation"] is True

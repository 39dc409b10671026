"""A dashboard in a real browser: a member who reads analytics opens a dashboard with a KPI tile and a
line chart, a process ends meanwhile (its approver decides through the REST API), and the KPI tile shows
it without the page being reloaded, the change announced politely; uPlot draws its canvas without the
CSP refusing anything; on a phone-sized window nothing overflows; axe-core finds no serious
violation."""

from __future__ import annotations

import uuid
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.conftest import data
from tests.api.test_console import PASSWORD, start_for
from tests.api.test_console_dashboards import analyst
from tests.api.test_processes import eventually
from tests.browser.accessibility import violations
from tests.browser.test_console import sign_in


def complaints(browser: Any) -> list[dict[str, Any]]:
    """What the page's console logged as errors since the last look (a CSP refusal is one)."""
    return [
        e for e in browser.get_log("browser") if e["level"] == "SEVERE" or "Content Security" in e["message"]
    ]


def test_a_kpi_tile_changes_when_a_process_ends_without_reloading(
    browser, live, admin, api, tenant, approver, screenshot
):
    tiles = [
        {"metric": "process-throughput", "chart": "number", "params": {"range": "P1D"}},
        {"metric": "process-throughput", "chart": "line", "params": {"range": "P1D", "grain": "hour"}},
        {"metric": "process-throughput", "chart": "bar", "params": {"grain": "day", "group_by": "status"}},
        {
            "metric": "process-throughput",
            "chart": "heatmap",
            "params": {"grain": "day", "group_by": "definition"},
        },
    ]
    board = data(admin.post("/api/v1/dashboards", json={"name": "Today", "tiles": tiles}), 201)
    process = start_for(admin, tenant, approver, f"DASH-{uuid.uuid4().hex[:6]}")
    task = eventually(lambda: data(admin.get("/api/v1/tasks", params={"process_id": process["id"]})))[0]

    browser.set_window_size(1280, 900)
    wait = sign_in(browser, live, analyst(admin, tenant))
    wait.until(shown.url_contains("/app/inbox"))
    complaints(browser)  # what earlier pages logged is not this page's
    browser.get(f"{live.url}/app/dashboards")
    link = wait.until(shown.element_to_be_clickable((By.LINK_TEXT, "Today")))
    assert violations(browser) == []
    screenshot("list")
    link.click()
    wait.until(shown.url_contains(f"/app/dashboards/{board['id']}"))
    value = browser.find_element(By.CSS_SELECTOR, '.tile-number [data-part="value"]')
    assert value.text == "0"
    canvas = wait.until(shown.visibility_of_element_located((By.CSS_SELECTOR, ".tile-line .chart canvas")))
    assert canvas.size["width"] > 300 and canvas.size["height"] > 100
    assert browser.find_element(By.CSS_SELECTOR, ".tile-line").find_element(By.TAG_NAME, "details")
    assert violations(browser) == []
    screenshot("dashboard")
    browser.execute_script("window.stillTheSamePage = true")

    me = api(None).login(approver, PASSWORD)
    data(me.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}))
    assert eventually(lambda: data(admin.get(f"/api/v1/processes/{process['id']}"))["status"] == "completed")
    WebDriverWait(browser, 45).until(lambda b: value.text == "1")  # the stream looks every 5 s
    assert browser.execute_script("return window.stillTheSamePage === true")  # updated in place
    change = browser.find_element(By.CSS_SELECTOR, '.tile-number [data-part="change"]').text
    assert change == "▲ Up 1 from the previous period"  # the day before had none: no percent
    news = WebDriverWait(browser, 10).until(
        lambda b: b.find_element(By.ID, "dashboard-news").get_attribute("textContent")
    )
    assert "Processes ended: now 1." in news and "now 0" not in news  # only what changed is told
    figures = browser.find_element(By.CSS_SELECTOR, ".tile-line table.figures").get_attribute("textContent")
    assert "1" in figures
    assert complaints(browser) == []  # uPlot's styles went through the CSSOM, which the CSP allows
    assert violations(browser) == []
    heat = browser.find_element(By.CSS_SELECTOR, ".tile-heatmap tbody")
    assert (
        heat.find_elements(By.CSS_SELECTOR, "td.heat-4")
        and "approval" in browser.find_element(By.CSS_SELECTOR, ".tile-heatmap thead").text
    )  # the new column came with the stream
    assert browser.find_element(By.CSS_SELECTOR, ".tile-bar .chart canvas").is_displayed()
    screenshot("changed")

    browser.get(f"{live.url}/app/dashboards")
    browser.find_element(By.LINK_TEXT, "Operations").click()
    wait.until(shown.visibility_of_element_located((By.CSS_SELECTOR, ".tile-bar .chart canvas")))
    assert len(browser.find_elements(By.CSS_SELECTOR, "section.tile")) == 7
    assert violations(browser) == []
    assert complaints(browser) == []
    screenshot("operations")

    browser.set_window_size(360, 780)
    try:
        browser.get(f"{live.url}/app/dashboards/{board['id']}")
        wait.until(shown.visibility_of_element_located((By.CSS_SELECTOR, ".tile-line .chart canvas")))
        width = browser.execute_script("return document.documentElement.scrollWidth")
        room = browser.execute_script("return document.documentElement.clientWidth")
        assert width <= room, f"the page is {width} px wide in {room} px"
        assert browser.find_element(By.CSS_SELECTOR, '.tile-number [data-part="value"]').text == "1"
        assert violations(browser) == []
        assert complaints(browser) == []
        screenshot("phone")
    finally:
        browser.set_window_size(1280, 900)

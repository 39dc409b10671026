"""/docs (Swagger UI) and /redoc (ReDoc) in headless Chromium with no network beyond Keel: every host
name resolves to nothing, so a script, style, font or image from a CDN could not load. Both pages
list the API's operations, ask only Keel's origin for anything, and their CSP refuses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.conftest import Live
from tests.browser.conftest import _find, chrome_options
from web import pages
from web.docs_routes import REDOC_CSP

pytestmark = pytest.mark.slow

# Every name fails to resolve; the live server is addressed by IP, which the rule leaves alone.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """This module's own Chromium, offline but for Keel (it stands in for the package's `browser`,
    so the `screenshot` fixture draws this one)."""
    binary, driver = _find("chromium"), _find("chromedriver")
    if binary is None or driver is None:
        pytest.skip(
            "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        )
    options = chrome_options(binary)
    options.add_argument(OFFLINE)
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    chrome.set_page_load_timeout(30)
    yield chrome
    chrome.quit()


def _requested(browser: webdriver.Chrome) -> list[str]:
    """Every URL the page fetched (scripts, styles, images, the OpenAPI document, workers)."""
    names: Any = browser.execute_script(
        "return performance.getEntries().filter(e => e.name.includes('://')).map(e => e.name)"
    )
    return list(names)


def _complaints(browser: webdriver.Chrome) -> list[dict[str, Any]]:
    """What the console logged as errors (a CSP refusal and a failed load are among them)."""
    return [
        e for e in browser.get_log("browser") if e["level"] == "SEVERE" or "Content Security" in e["message"]
    ]


def _only_keel(browser: webdriver.Chrome, live: Live) -> None:
    requested = _requested(browser)
    assert requested and all(url.startswith(live.url + "/") for url in requested), requested
    assert _complaints(browser) == []


def test_swagger_ui_lists_the_operations_offline(browser, live, anonymous, screenshot) -> None:
    page = anonymous.get("/docs")
    assert page.headers["content-security-policy"] == pages.CSP  # the console's, unchanged
    assert "<script>" not in page.text and "cdn" not in page.text

    browser.get_log("browser")  # what earlier pages logged is not this page's
    browser.get(live.url + "/docs#/processes")  # deep link: Swagger UI opens the processes tag
    wait = WebDriverWait(browser, 30)
    start = (By.CSS_SELECTOR, ".opblock-post .opblock-summary-path[data-path='/api/v1/processes']")
    wait.until(EC.presence_of_element_located(start))
    paths = {
        e.get_attribute("data-path") for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    }
    assert {"/api/v1/processes/{process_id}", "/api/v1/tasks/{task_id}/complete"} <= paths
    tags = [e.get_attribute("data-tag") for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-tag")]
    assert "processes" in tags and "tasks" in tags
    # Its own styles applied: the operation's method badge is coloured by swagger-ui.css.
    badge = browser.find_element(By.CSS_SELECTOR, ".opblock-post .opblock-summary-method")
    assert badge.value_of_css_property("background-color") == "rgba(73, 204, 144, 1)"
    _only_keel(browser, live)
    assert screenshot("swagger").stat().st_size > 50_000


def test_redoc_lists_the_operations_and_searches_offline(browser, live, anonymous, screenshot) -> None:
    page = anonymous.get("/redoc")
    assert page.headers["content-security-policy"] == REDOC_CSP
    assert "'unsafe-inline'" not in REDOC_CSP and "'unsafe-eval'" not in REDOC_CSP
    assert "<script>" not in page.text and "cdn" not in page.text

    browser.get_log("browser")
    browser.get(live.url + "/redoc")
    wait = WebDriverWait(browser, 60)  # ReDoc parses the whole document before it draws anything
    operations = (By.CSS_SELECTOR, "[data-section-id^='tag/processes/operation/']")
    wait.until(EC.presence_of_element_located(operations))
    menu = browser.find_elements(By.CSS_SELECTOR, "li[data-item-id^='tag/']")
    assert len(menu) > 100, "the side menu lists every tag and operation"
    assert "Something went wrong" not in browser.find_element(By.TAG_NAME, "body").text
    assert (
        "/api/v1/processes"
        in browser.find_element(By.CSS_SELECTOR, "[data-section-id^='tag/processes/']").text
    )
    # The search box answers from its blob: Web Worker (the reason for `worker-src blob:`).
    browser.find_element(By.CSS_SELECTOR, "input.search-input").send_keys("complete")
    found = (By.CSS_SELECTOR, "[data-role='search:results'] li[data-item-id]")
    assert wait.until(EC.presence_of_all_elements_located(found))
    _only_keel(browser, live)
    assert screenshot("redoc").stat().st_size > 50_000


def test_the_oauth2_redirect_page_is_served_with_the_console_csp(anonymous) -> None:
    page = anonymous.get("/docs/oauth2-redirect")
    assert page.status_code == 200 and page.headers["content-security-policy"] == pages.CSP
    assert "swagger-ui-oauth2-redirect.js" in page.text and "<script>" not in page.text


def test_the_vendored_files_are_served_from_keel(anonymous) -> None:
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-init.js", "redoc-standalone.js"):
        served = anonymous.get(pages.static_url(name))
        assert served.status_code == 200 and served.content == pages.static_files()[name].read_bytes()

"""Headless Chromium driven by selenium, on Debian's chromium and chromedriver (the Makefile's
``browser`` target installs them), and the live API stack of tests/api, started for this package."""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from keel.settings import Settings
from tests.api import conftest as api_stack
from tests.api.conftest import Live, admin, anonymous, api, approver  # noqa: F401  (the clients, on `live` below)
from tests.conftest import LocalStripe, TypesenseServer

ARTIFACTS = Path(__file__).parent / "artifacts"  # screenshots kept for the record (git-ignored)


def _find(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/bin") / name, Path("/usr/lib/chromium") / name) if p.exists()), None
    )


def chrome_options(binary: str, width: int = 1280, height: int = 1600) -> Options:
    options = Options()
    options.binary_location = binary
    for flag in (
        "--headless=new",
        "--no-sandbox",  # the tests may run as root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-sync",
        "--password-store=basic",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    return options


@pytest.fixture(scope="package")
def live(
    settings: Settings, dev_server: str, typesense: TypesenseServer, localstripe: LocalStripe
) -> Iterator[Live]:
    """tests/api's stack (API and worker) on a task queue of its own, stopped with this package: no
    second worker outlives these tests or takes workflows started by the API tests' server."""
    own = settings.model_copy(update={"temporal_task_queue": f"{settings.temporal_task_queue}-browser"})
    yield from inspect.unwrap(api_stack.live)(own, dev_server, typesense, localstripe)


@pytest.fixture(scope="session")
def browser() -> Iterator[webdriver.Chrome]:
    binary, driver = _find("chromium"), _find("chromedriver")
    if binary is None or driver is None:
        pytest.skip(
            "Debian's chromium and chromium-driver are not installed: `make test` installs them as root "
            "(apt-get install chromium chromium-driver)"
        )
    # An explicit driver path: selenium never downloads one.
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=chrome_options(binary))
    chrome.set_page_load_timeout(30)
    yield chrome
    chrome.quit()


@pytest.fixture
def screenshot(browser: webdriver.Chrome, tmp_path: Path, request: pytest.FixtureRequest):
    """Saves the whole page under the test's tmp dir and in tests/browser/artifacts/; returns the path."""

    def take(label: str) -> Path:
        window = browser.get_window_size()
        browser.set_window_size(window["width"], 400)  # measured from a short window, not padded
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(window["width"], min(int(height) + 120, 8000))
        path = tmp_path / f"{request.node.name}-{label}.png"
        browser.save_screenshot(str(path))
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(path, ARTIFACTS / path.name)
        browser.set_window_size(window["width"], window["height"])
        return path

    return take

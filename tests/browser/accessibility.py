"""axe-core (vendored, tests/browser/vendor) run in the page: its violations of the WCAG 2.1 A and AA
rules, the serious and critical ones by default."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from selenium import webdriver

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
  .then((r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}))))
  .catch((e) => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]));
"""


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(browser: webdriver.Chrome, impacts: tuple[str, ...] = ("serious", "critical")) -> list[Any]:
    """What axe finds on the current page at ``impacts``. The script is injected by the driver, which a
    page's CSP does not restrict."""
    browser.set_script_timeout(30)
    browser.execute_script(_source())
    found: list[Any] = browser.execute_async_script(RUN)
    return [v for v in found if v["impact"] in impacts]

"""Rendering: the Jinja2 environment, versioned static URLs and the headers every page carries."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.responses import HTMLResponse

HERE = Path(__file__).parent
STATIC = HERE / "static"
STATIC_PREFIX = "/web/static"
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_STATIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(js|css)$")

# No inline script or style anywhere: all behaviour is in static files of this origin. Images may
# be data: URLs (the drawn signature's preview). Forms post nowhere else; never framed.
CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# The token is in the URL: nothing may send it onwards (Referer) or keep the page (caches).
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


@cache
def static_files() -> dict[str, Path]:
    """The files under static/ that may be served, by name (a fixed list: no path is ever joined)."""
    return {p.name: p for p in STATIC.iterdir() if p.is_file() and _STATIC_NAME.match(p.name)}


@cache
def static_url(name: str) -> str:
    """The file's URL with a digest of its content, so a new release is never served from a cache."""
    digest = hashlib.sha256(static_files()[name].read_bytes()).hexdigest()[:12]
    return f"{STATIC_PREFIX}/{name}?v={digest}"


def _instant(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(value: datetime | str) -> str:
    return _instant(value).isoformat()


def instant(value: datetime | str) -> str:
    """An instant as a reader sees it without knowing their zone: "4 Dec 2026, 17:00 UTC"."""
    moment = _instant(value).astimezone(UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def pair(value: str) -> tuple[str, str]:
    """A choice shown as its own value (a select of names)."""
    return value, value


def labelled(value: str, words: Mapping[str, str], prefix: str) -> tuple[str, str]:
    """A choice shown in the reader's words (``words[prefix + value]``), else as its value."""
    return value, words.get(prefix + value, value)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static_url"] = static_url
    env.filters["iso"] = iso
    env.filters["instant"] = instant
    env.filters["pair"] = pair
    env.filters["labelled"] = labelled
    return env


def render(
    template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> HTMLResponse:
    """The page with PAGE_HEADERS, any of which ``headers`` replaces (the payment page's CSP)."""
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS | (headers or {}))


def error_page(status: int, title: str, message: str, hint: str | None = None) -> HTMLResponse:
    return render("error.html", status, title=title, message=message, hint=hint)

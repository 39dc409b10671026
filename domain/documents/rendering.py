"""Document templates to PDF (WeasyPrint) and PDF pages to PNG (pypdfium2), bounded and offline.

A template is Jinja2 HTML (``content``, rendered by ``templating.py`` in the tenant sandbox) plus an
optional plain stylesheet (``css``, not templated). CSS paged media does the layout: ``@page { size;
margin; @top-center { content: ... } }``, ``counter(page)`` / ``counter(pages)``, ``break-before``.
Images and fonts come only from ``data:`` URLs and the tenant's assets (``asset:<name>``, see
``fetching.py``); any other URL fails the render with a ValidationFailed naming it, and nothing is
fetched. WeasyPrint's base URL is ``about:blank``: a relative path stays as written (urljoin does
not join onto that scheme) and reaches the fetcher, which refuses it like any other URL; with no
base at all WeasyPrint would drop it silently.

Bounds: the HTML size (``max_html_chars``), the page count (``max_pages``: layout stops at the
first page past it), the Jinja deadline, and a deadline with a memory ceiling on layout and PDF
writing (``seconds``), which also stops what no size limit catches (an SVG ``<use>`` bomb).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pypdfium2 as pdfium
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from domain.documents.fetching import AssetLookup, SafeFetcher, UrlRefused
from domain.documents.pdf_pdfium import pdfium_document
from domain.documents.templating import MAX_HTML_CHARS, MAX_SOURCE_CHARS, render_html
from domain.errors import FieldError, Unavailable, ValidationFailed
from domain.sandbox import MAX_RENDER_MEMORY, RenderTimeout, RenderTooLarge, deadline

MAX_PAGES = 100  # the default page cap of one document
MAX_LAYOUT_SECONDS = 30.0  # WeasyPrint's layout and PDF writing for one document
# One layout at a time per process: WeasyPrint in parallel threads does a third less in total (its
# calls into Pango and fontconfig release and retake the GIL); the others queue, a 503 past this wait.
MAX_QUEUE_SECONDS = 2 * MAX_LAYOUT_SECONDS
_ONE_AT_A_TIME = threading.Lock()
MIN_SCALE, MAX_SCALE = 0.1, 4.0  # page images: 7 to 288 dpi
MAX_IMAGE_PIXELS = 25_000_000  # one page image (an A4 page at 4x is 8 M)
_MB = MAX_RENDER_MEMORY >> 20
_BASE_URL = "about:blank"  # relative URLs are not resolved against anything (see above)


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    page_count: int


def render_document(
    content: str,
    data: Mapping[str, Any],
    *,
    css: str | None = None,
    locale: str = "en",
    assets: AssetLookup | None = None,
    max_pages: int = MAX_PAGES,
    max_html_chars: int = MAX_HTML_CHARS,
    seconds: float = MAX_LAYOUT_SECONDS,
) -> RenderedPdf:
    """A template with its data, as a PDF; every failure is a ValidationFailed naming its field."""
    html = render_html(content, data, locale, max_chars=max_html_chars)
    return render_pdf(
        html, css, assets=assets, max_pages=max_pages, max_html_chars=max_html_chars, seconds=seconds
    )


def check_template(
    content: str,
    sample_data: Mapping[str, Any] | None,
    *,
    css: str | None = None,
    locale: str = "en",
    assets: AssetLookup | None = None,
    max_pages: int = MAX_PAGES,
) -> RenderedPdf:
    """The save-time check: the template must render with its sample data (with no data at all when
    it has none). A value the template reads but the sample lacks is reported on ``sample_data``."""
    try:
        return render_document(
            content, sample_data or {}, css=css, locale=locale, assets=assets, max_pages=max_pages
        )
    except ValidationFailed as exc:
        if not any(f.field == "data" for f in exc.fields):
            raise
        fields = [FieldError("sample_data" if f.field == "data" else f.field, f.message) for f in exc.fields]
        raise ValidationFailed(fields, "; ".join(f"{f.field}: {f.message}" for f in fields)) from exc


def render_pdf(
    html: str,
    css: str | None = None,
    *,
    assets: AssetLookup | None = None,
    max_pages: int = MAX_PAGES,
    max_html_chars: int = MAX_HTML_CHARS,
    seconds: float = MAX_LAYOUT_SECONDS,
) -> RenderedPdf:
    """HTML (and a stylesheet) laid out and written as a PDF of at most ``max_pages`` pages."""
    if len(html) > max_html_chars:
        raise ValidationFailed.one("content", f"renders to more than {max_html_chars} characters")
    if css is not None and len(css) > MAX_SOURCE_CHARS:
        raise ValidationFailed.one("css", f"has more than {MAX_SOURCE_CHARS} characters")
    fetcher = SafeFetcher(assets)
    if not _ONE_AT_A_TIME.acquire(timeout=MAX_QUEUE_SECONDS):
        raise Unavailable("Every document renderer is busy; try again shortly.")
    started = time.monotonic()
    try:
        with deadline(seconds, repeat=True), _page_cap(max_pages):
            pdf, pages = _weasyprint(html, css, fetcher)
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, UrlRefused) else None
        raise _refused(cause, fetcher, css) from exc
    except _TooManyPages as exc:
        raise ValidationFailed.one("content", f"renders to more than {max_pages} pages") from exc
    except RenderTooLarge as exc:
        raise ValidationFailed.one("content", f"needs more than {_MB} MB to lay out") from exc
    except RenderTimeout as exc:
        raise ValidationFailed.one("content", f"takes longer than {seconds:g} s to lay out") from exc
    finally:
        _ONE_AT_A_TIME.release()
    # WeasyPrint swallows failures inside SVG drawing: a refusal or the deadline met there still
    # leaves an incomplete document, which is refused all the same.
    if fetcher.refused:
        raise _refused(None, fetcher, css)
    if time.monotonic() - started > seconds:
        raise ValidationFailed.one("content", f"takes longer than {seconds:g} s to lay out")
    if pages > max_pages:  # the cap below stops layout early; this is the guarantee
        raise ValidationFailed.one("content", f"renders to more than {max_pages} pages")
    return RenderedPdf(pdf, pages)


def _weasyprint(html: str, css: str | None, fetcher: SafeFetcher) -> tuple[bytes, int]:
    fonts = FontConfiguration()
    stylesheets = [CSS(string=css, url_fetcher=fetcher, font_config=fonts)] if css else []
    document = HTML(string=html, base_url=_BASE_URL, url_fetcher=fetcher).render(
        font_config=fonts, stylesheets=stylesheets
    )
    return document.write_pdf(), len(document.pages)


def _refused(cause: UrlRefused | None, fetcher: SafeFetcher, css: str | None) -> ValidationFailed:
    refusal = cause or (fetcher.refused[0] if fetcher.refused else None)
    if refusal is None:
        return ValidationFailed.one("content", "loads a resource that could not be read")
    field = "css" if css and refusal.url in css else "content"
    return ValidationFailed.one(field, f"cannot load {refusal}")


# --- The page cap --------------------------------------------------------------------------------
# WeasyPrint lays out every page before it returns any, so a template that makes 50,000 pages would
# run to the deadline. It reports each page it starts on its progress logger: a filter there stops
# the layout at the first page past the cap (the count after rendering stays the guarantee).


class _TooManyPages(BaseException):
    """Raised out of WeasyPrint's layout (a BaseException: WeasyPrint catches Exception in places)."""


_CAP = threading.local()
_PAGE_MESSAGE = "Step 5 - Creating layout - Page %d"


class _PageCap(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        cap = getattr(_CAP, "pages", None)
        if cap is not None and str(record.msg).startswith(_PAGE_MESSAGE) and record.args:
            page = record.args[0] if isinstance(record.args, tuple) else None
            if isinstance(page, int) and page > cap:
                raise _TooManyPages
        return False  # the progress lines themselves are not logged


_PROGRESS = logging.getLogger("weasyprint.progress")
_PROGRESS.addFilter(_PageCap())
_PROGRESS.setLevel(logging.INFO)  # a filter only sees records at an enabled level


@contextmanager
def _page_cap(pages: int) -> Iterator[None]:
    _CAP.pages = pages
    try:
        yield
    finally:
        _CAP.pages = None


# --- Page images -----------------------------------------------------------------------------------


def page_png(pdf: bytes, page: int = 1, *, scale: float = 1.0, max_pixels: int = MAX_IMAGE_PIXELS) -> bytes:
    """Page ``page`` (1-based) as a PNG, ``scale`` pixels per PDF point (1.0 is 72 dpi)."""
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValidationFailed.one("scale", f"must be a number from {MIN_SCALE} to {MAX_SCALE}")
    if isinstance(page, bool) or not isinstance(page, int):
        raise ValidationFailed.one("page", "must be a page number")
    with pdfium_document(pdf) as document:
        image = _render_page(document, page, scale, max_pixels)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _render_page(document: pdfium.PdfDocument, page: int, scale: float, max_pixels: int) -> Any:
    count = len(document)
    if not 1 <= page <= count:
        raise ValidationFailed.one("page", f"must be from 1 to {count}")
    pdf_page = document[page - 1]
    try:
        width, height = pdf_page.get_size()
        if width * scale * height * scale > max_pixels:
            raise ValidationFailed.one("scale", f"the page image would exceed {max_pixels:,} pixels")
        return pdf_page.render(scale=scale).to_pil()
    finally:
        pdf_page.close()

"""Document templates to PDF and PNG: paged media, locales, no fetch outside data: and assets, bounds."""

from __future__ import annotations

import base64
import io
import math
import socket
import time
import urllib.request
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from domain.documents.fetching import Asset
from domain.documents.rendering import check_template, page_png, render_document, render_pdf
from domain.errors import ValidationFailed

LOOK = Path("/tmp/rn-look")  # page images kept to be looked at

INVOICE = """<!doctype html>
<html><body>
<h1>Invoice {{ number }}</h1>
<p class="issued">Issued {{ issued | date("long") }}</p>
<table>
{% for line in lines %}<tr><td>{{ line.name }}</td><td>{{ line.price | money(currency) }}</td></tr>
{% endfor %}</table>
<p class="total">Total {{ total | money(currency) }}</p>
<section class="terms"><h2>Terms</h2><p>Payable within {{ days }} days.</p></section>
</body></html>
"""
INVOICE_CSS = """
@page {
  size: A4; margin: 25mm 20mm;
  @top-center { content: "ACME Trading"; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); }
}
body { font-family: sans-serif; }
td { padding: 2px 12px; }
.terms { break-before: page; }
"""
INVOICE_DATA = {
    "number": "2026-0042",
    "issued": "2026-03-01",
    "currency": "EUR",
    "total": "1234.5",
    "days": 14,
    "lines": [{"name": "Widget", "price": "1000"}, {"name": "Support", "price": 234.5}],
}
A4 = (595.2756, 841.8898)  # points


def png_of(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


RED_PNG = base64.b64encode(png_of(Image.new("RGB", (2, 2), (255, 0, 0)))).decode()


def texts(pdf: bytes) -> list[str]:
    """Each page's text, no-break spaces read as spaces."""
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return [" ".join(p.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split()) for p in pages]


def refused(exc: pytest.ExceptionInfo[ValidationFailed]) -> tuple[str, str]:
    (field,) = exc.value.fields
    return field.field, field.message


# --- Paged media and locales ----------------------------------------------------------------------


def test_a_two_page_invoice_has_its_running_header_and_page_x_of_y_on_every_page():
    rendered = render_document(INVOICE, INVOICE_DATA, css=INVOICE_CSS, locale="en-US")
    assert rendered.page_count == 2
    first, second = texts(rendered.pdf)
    assert "ACME Trading" in first and "page 1 of 2" in first
    assert "ACME Trading" in second and "page 2 of 2" in second
    assert "Invoice 2026-0042" in first and "Terms" in second and "Terms" not in first


@pytest.mark.parametrize(
    ("locale", "total", "line", "issued"),
    [
        ("en-US", "Total €1,234.50", "Support €234.50", "Issued March 1, 2026"),
        ("de-DE", "Total 1.234,50 €", "Support 234,50 €", "Issued 1. März 2026"),
    ],
)
def test_money_and_dates_are_worded_for_the_documents_locale(locale, total, line, issued):
    first, _ = texts(render_document(INVOICE, INVOICE_DATA, css=INVOICE_CSS, locale=locale).pdf)
    assert total in first and line in first and issued in first


def test_the_money_object_numbers_and_instants_have_filters_too():
    content = (
        "<p>{{ price | money }}|{{ qty | number(2) }}|{{ at | datetime('Europe/Berlin') }}|"
        "{{ day | date('short') }}</p>"
    )
    data = {
        "price": {"value": "9.90", "currency": "USD"},
        "qty": 3,
        "at": "2026-03-01T09:30:00Z",
        "day": "2026-03-01",
    }
    (text,) = texts(render_document(content, data, locale="de-DE").pdf)
    assert text == "9,90 $|3,00|01.03.2026, 10:30 CET|01.03.26"


def test_values_are_escaped_as_html():
    (text,) = texts(render_document("<p>{{ name }}</p>", {"name": "<b>Smith & Sons</b>"}).pdf)
    assert text == "<b>Smith & Sons</b>"


@pytest.mark.parametrize(
    ("content", "data", "field", "message"),
    [
        ("<p>{{ total | money }}</p>", {"total": "12"}, "content", "money needs a currency"),
        (
            "<p>\n{{ total | money('EUR') }}</p>",
            {"total": "twelve"},
            "content",
            "line 2: money: 'twelve' is not a number",
        ),
        (
            "<p>{{ total | money('XYZ') }}</p>",
            {"total": "1"},
            "content",
            "'XYZ' is not an ISO 4217 currency code",
        ),
        ("<p>{{ total | money('EUR') }}</p>", {"total": "1e400"}, "content", "not a finite amount"),
        ("<p>{{ day | date('eternal') }}</p>", {"day": "2026-03-01"}, "content", "unknown date format"),
        ("<p>{{ day | date }}</p>", {"day": "soon"}, "content", "is not an ISO date"),
        (
            "<p>{{ at | datetime('Mars/Olympus') }}</p>",
            {"at": "2026-03-01T09:30:00Z"},
            "content",
            "not a time zone",
        ),
        ("<p>{{ at | datetime }}</p>", {"at": 1772357400}, "content", "expects an ISO instant"),
        ("<p>\n\n{{ customer.name }}</p>", {}, "data", "line 3: 'customer' is undefined"),
        ("<p>{% for l in lines %}{{ l }}{% endfor %}</p>", {}, "data", "'lines' is undefined"),
    ],
)
def test_bad_values_and_missing_data_name_the_line(content, data, field, message):
    with pytest.raises(ValidationFailed) as exc:
        render_document(content, data)
    got_field, got_message = refused(exc)
    assert got_field == field and message in got_message


@pytest.mark.parametrize("data", [[1, 2], "text", {1: "x"}, None])
def test_data_must_be_an_object(data):
    with pytest.raises(ValidationFailed) as exc:
        render_document("<p>x</p>", data)
    assert refused(exc) == ("data", "must be an object")


def test_a_missing_value_may_be_tested_for():
    content = "<p>{% if discount %}discount{% else %}none{% endif %} {{ note | default('-') }}</p>"
    assert texts(render_document(content, {}).pdf) == ["none -"]


@pytest.mark.parametrize("locale", ["xx-Nope", "", "de-DE" * 10, "../../etc"])
def test_an_unknown_locale_is_refused(locale):
    with pytest.raises(ValidationFailed) as exc:
        render_document("<p>x</p>", {}, locale=locale)
    assert refused(exc)[0] == "locale"


# --- Nothing is fetched but data: URLs and the tenant's assets ---------------------------------------


@pytest.fixture
def listener():
    """A port on this machine that a fetch would connect to; the test asserts nothing arrives."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture
def no_outside_access(monkeypatch):
    """Records any socket connection or urllib open made during the test."""
    attempts: list[str] = []
    real_connect = socket.socket.connect

    def connect(self, address):
        attempts.append(f"connect {address}")
        return real_connect(self, address)

    def opener(self, url, *args, **kwargs):
        attempts.append(f"urllib {getattr(url, 'full_url', url)}")
        raise AssertionError("urllib must not be used")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", opener)
    return attempts


def places(url: str) -> list[tuple[str, str, str | None]]:
    """(name, content, css) putting ``url`` where a template could load it."""
    return [
        ("img", f'<img src="{url}">', None),
        ("link", f'<link rel="stylesheet" href="{url}"><p>x</p>', None),
        ("css url()", "<p class='x'>x</p>", f".x {{ background-image: url('{url}'); }}"),
        ("css @import", "<p>x</p>", f"@import url('{url}');"),
        ("style url()", f"<style>p {{ background: url('{url}') }}</style><p>x</p>", None),
        (
            "font-face",
            "<p>x</p>",
            f"@font-face {{ font-family: F; src: url('{url}'); }} p {{ font-family: F }}",
        ),
        (
            "svg image",
            f'<svg width="10" height="10"><image href="{url}" width="10" height="10"/></svg>',
            None,
        ),
        ("object", f'<object data="{url}"></object>', None),
    ]


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "local", "file:///etc/passwd"]
)
@pytest.mark.parametrize("place", range(8))
def test_remote_and_file_urls_fail_the_render_and_are_never_fetched(
    target, place, listener, no_outside_access
):
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/x.css" if target == "local" else target
    name, content, css = places(url)[place]
    with pytest.raises(ValidationFailed) as exc:
        render_pdf(content, css)
    field, message = refused(exc)
    assert field == ("css" if css else "content"), name
    shown = "a file: URL" if url.startswith("file:") else url
    assert message == f"cannot load {shown}: only data: URLs and asset:<name> references are loaded", name
    assert "passwd" not in message  # no path a tenant did not write is ever echoed
    assert no_outside_access == [], name
    with pytest.raises(BlockingIOError):
        listener.accept()  # no connection arrived


@pytest.mark.parametrize(
    "content",
    [
        '<img src="../../../etc/passwd">',
        '<base href="file:///etc/"><img src="passwd">',
        '<img src="logo.png">',
        '<img src="FILE:///etc/passwd">',
        '<img src="ftp://127.0.0.1/x">',
        '<img src="jar:file:///x!/y">',
        '<link rel="attachment" href="https://example.com/x">',
    ],
)
def test_relative_paths_base_elements_and_other_schemes_are_refused(content, no_outside_access):
    with pytest.raises(ValidationFailed) as exc:
        render_pdf(content)
    assert refused(exc)[1].startswith("cannot load ")
    assert no_outside_access == []


def test_a_relative_url_hints_at_the_asset_scheme():
    with pytest.raises(ValidationFailed) as exc:
        render_pdf('<img src="logo.png">')
    assert refused(exc) == (
        "content",
        "cannot load logo.png: a relative URL is not loaded; write asset:<name> for a stored asset",
    )


def test_a_data_image_is_embedded_and_drawn():
    pdf = render_pdf(f'<img src="data:image/png;base64,{RED_PNG}" style="width: 5cm; height: 5cm">').pdf
    (page,) = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert len(page.images) == 1
    image = Image.open(io.BytesIO(page_png(pdf, 1))).convert("RGB")
    assert image.getpixel((100, 100)) == (255, 0, 0)  # 5 cm from the 2 cm margin is red


def test_assets_come_from_the_callers_lookup_and_only_images_and_fonts():
    looked_up: list[str] = []

    def assets(name: str) -> Asset | None:
        looked_up.append(name)
        if name == "logo.png":
            return Asset(base64.b64decode(RED_PNG), "image/png")
        if name == "page.html":
            return Asset(b"<p>hi</p>", "text/html")
        return None

    pdf = render_pdf('<img src="asset:logo.png"><img src="asset:logo.png">', assets=assets).pdf
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images) >= 1
    assert looked_up == ["logo.png"]  # looked up once per render
    for src, reason in [
        ("asset:missing.png", "no such asset"),
        ("asset:page.html", "assets are images or fonts, not text/html"),
        ("asset:../secret", "an asset name is"),
        ("asset:", "an asset name is"),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            render_pdf(f'<img src="{src}">', assets=assets)
        assert reason in refused(exc)[1], src


def test_data_urls_are_limited_to_images_fonts_and_css():
    with pytest.raises(ValidationFailed) as exc:
        render_pdf('<object data="data:text/html,<p>x</p>"></object>')
    assert "not text/html" in refused(exc)[1]
    with pytest.raises(ValidationFailed) as exc:
        render_pdf('<img src="data:image/png;base64,@@@">')
    assert "malformed" in refused(exc)[1]


@pytest.mark.parametrize(
    ("side", "message"),
    [(7_000, "7000x7000 pixels, more than 40,000,000"), (20_000, "more than 40,000,000 pixels")],
)
def test_an_image_that_would_decode_to_gigabytes_is_refused(side, message):
    data = base64.b64encode(png_of(Image.new("1", (side, side)))).decode()  # kB on disk, GB decoded
    with pytest.raises(ValidationFailed) as exc:
        render_pdf(f'<img src="data:image/png;base64,{data}">')
    assert message in refused(exc)[1]


# --- Hostile templates are refused quickly --------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "not allowed in a template"),
        ("{{ lines.__class__ }}", "not allowed in a template"),
        ("{% if ''.__class__ %}x{% endif %}", "not allowed in a template"),
        ("{{ 'x' * 10**9 }}", "not allowed in a template"),
        ("{{ 'x' | center(10**9) }}", "not allowed in a template"),
        ("{% for i in range(10**9) %}{% endfor %}", "OverflowError"),
        (
            "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
            "takes longer than 2 s",
        ),
        (
            "{% for i in range(99999) %}{% for j in range(99) %}xxxxxxxxxx{% endfor %}{% endfor %}",
            "renders to more than",
        ),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "RecursionError"),
        ("{% for x in %}", "line 1: Expected an expression"),
    ],
)
def test_escapes_loops_and_giant_strings_are_refused_quickly(content, message):
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as exc:
        render_document(content, {"lines": []})
    assert time.monotonic() - started < 5
    field, got = refused(exc)
    assert field == "content" and message in got


def test_giant_data_is_bounded_by_the_html_cap():
    with pytest.raises(ValidationFailed) as exc:
        render_document("{{ blob }}{{ blob }}", {"blob": "x" * 3_000_000})
    assert refused(exc) == ("content", "renders to more than 5000000 characters")


def test_the_page_cap_stops_layout_early():
    content = "{% for i in range(20000) %}<p style='break-after: page'>{{ i }}</p>{% endfor %}"
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as exc:
        render_document(content, {})
    # 101 pages laid out, not 20,000 (which take many minutes): a bound loose enough for a busy machine.
    assert time.monotonic() - started < 60
    assert refused(exc) == ("content", "renders to more than 100 pages")
    with pytest.raises(ValidationFailed) as exc:
        render_document(INVOICE, INVOICE_DATA, css=INVOICE_CSS, max_pages=1)
    assert refused(exc) == ("content", "renders to more than 1 pages")


def test_an_svg_use_bomb_meets_the_layout_deadline():
    levels = "".join(
        f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 9)
    )  # 10^8 rectangles from a few kB
    svg = f'<svg width="100" height="100"><defs><rect id="l0" width="1" height="1"/>{levels}</defs><use href="#l8"/></svg>'
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as exc:
        render_pdf(svg * 3, seconds=1.0)  # one SVG swallows the first interruption; the deadline repeats
    assert time.monotonic() - started < 5
    assert refused(exc) == ("content", "takes longer than 1 s to lay out")


# --- The save-time check --------------------------------------------------------------------------


def test_a_template_is_checked_with_its_sample_data():
    assert check_template(INVOICE, INVOICE_DATA, css=INVOICE_CSS).page_count == 2
    with pytest.raises(ValidationFailed) as exc:
        check_template(INVOICE, {**INVOICE_DATA, "lines": None})
    assert refused(exc) == ("content", "line 6: TypeError: 'NoneType' object is not iterable")
    with pytest.raises(ValidationFailed) as exc:
        check_template(INVOICE, {k: v for k, v in INVOICE_DATA.items() if k != "number"})
    assert refused(exc) == ("sample_data", "line 3: 'number' is undefined")
    with pytest.raises(ValidationFailed) as exc:
        check_template("<p>{{ x }</p>", None)
    assert refused(exc)[0] == "content" and refused(exc)[1].startswith("line 1: ")
    with pytest.raises(ValidationFailed) as exc:
        check_template("<p>x</p>", None, css="p { background: url(https://example.com/x.png) }")
    assert refused(exc)[0] == "css"


# --- Page images ------------------------------------------------------------------------------------


def test_page_one_as_png_has_the_pages_size_at_the_scale():
    pdf = render_document(INVOICE, INVOICE_DATA, css=INVOICE_CSS, locale="de-DE").pdf
    LOOK.mkdir(exist_ok=True)
    for scale in (1.0, 2.0):
        png = page_png(pdf, 1, scale=scale)
        (LOOK / f"invoice-page1-x{scale:g}.png").write_bytes(png)
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert image.size == (math.ceil(A4[0] * scale), math.ceil(A4[1] * scale))  # 596x842 at 1.0
    (LOOK / "invoice-page2.png").write_bytes(page_png(pdf, 2))


@pytest.mark.parametrize(
    ("pdf", "page", "scale", "field"),
    [
        (None, 3, 1.0, "page"),
        (None, 0, 1.0, "page"),
        (None, True, 1.0, "page"),
        (None, 1, 0.0, "scale"),
        (None, 1, 50.0, "scale"),
        (None, 1, float("nan"), "scale"),
        (b"%PDF-1.7 not really", 1, 1.0, "pdf"),
        (b"", 1, 1.0, "pdf"),
    ],
)
def test_bad_page_image_requests_are_refused(pdf, page, scale, field):
    pdf = pdf if pdf is not None else render_document(INVOICE, INVOICE_DATA, css=INVOICE_CSS).pdf
    with pytest.raises(ValidationFailed) as exc:
        page_png(pdf, page, scale=scale)
    assert refused(exc)[0] == field


def test_a_huge_page_is_not_drawn_past_the_pixel_cap():
    pdf = render_pdf("<style>@page { size: 5000mm 5000mm }</style><p>x</p>").pdf
    with pytest.raises(ValidationFailed) as exc:
        page_png(pdf, 1, scale=1.0)
    assert refused(exc)[0] == "scale"


def test_renders_from_many_threads_take_turns_and_a_render_kept_waiting_too_long_is_busy(monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from domain.documents import rendering
    from domain.errors import Unavailable

    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda i: render_pdf(f"<p>Copy {i}</p>").page_count, range(4)))
    assert done == [1, 1, 1, 1]

    monkeypatch.setattr(rendering, "MAX_QUEUE_SECONDS", 0.2)
    with rendering._ONE_AT_A_TIME:  # another render holds the renderer
        started = time.monotonic()
        with pytest.raises(Unavailable):
            render_pdf("<p>Waiting</p>")
        assert time.monotonic() - started < 2
    assert render_pdf("<p>Free again</p>").page_count == 1

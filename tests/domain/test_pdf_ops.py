"""PDF operations on bytes: sniffing, safe inspection, merge, split, stamp, AcroForm fill, packaging.

Fixtures are built here: WeasyPrint writes real documents (and real AcroForm fields), and a small
writer of raw PDF syntax builds the hostile ones (bombs, cycles, lies) that no library would produce.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
import zlib

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from domain.documents.pdf import PdfLimits, inspect_pdf
from domain.documents.pdf_forms import fill_form, list_fields
from domain.documents.pdf_package import package_pdf, package_zip, safe_file_names
from domain.documents.pdf_pages import merge_pdfs, parse_ranges, split_pdf
from domain.documents.pdf_stamp import stamp_pdf
from domain.documents.sniffing import sniff_content_type
from domain.errors import ValidationFailed

MIB = 1024 * 1024


# --- fixtures -------------------------------------------------------------------------------------


def html_pdf(body: str, forms: bool = False) -> bytes:
    style = "<style>@page { size: A4; margin: 2cm } body { font-family: 'DejaVu Sans' }</style>"
    return HTML(string=style + body).write_pdf(pdf_forms=forms)


def pages_pdf(*texts: str) -> bytes:
    return html_pdf("".join(f'<p style="break-before: page">{t}</p>' for t in texts))


def raw_pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF file of the given numbered objects, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def one_page(extra: bytes = b"", mediabox: bytes = b"[0 0 595 842]", contents: bytes | None = None) -> bytes:
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R" + extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" /Contents 4 0 R >>",
        4: contents or b"<< /Length 0 >>\nstream\n\nendstream",
    }
    return raw_pdf(objects)


def deflated_zeros(size: int) -> bytes:
    """``size`` zero bytes compressed, without ever holding them."""
    compressor = zlib.compressobj(9)
    chunk = bytes(MIB)
    parts = [compressor.compress(chunk) for _ in range(size // MIB)]
    return b"".join(parts) + compressor.flush()


def flate_stream(payload: bytes) -> bytes:
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(payload), payload)


def fields_of(error: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [f.field for f in error.value.fields]


def text_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def render(data: bytes, page: int = 0, forms: bool = False):
    document = pdfium.PdfDocument(data)
    if forms:
        document.init_forms()
    return document[page].render(scale=1, may_draw_forms=forms).to_pil().convert("RGB")


FORM_HTML = """
<h1>Application</h1>
<p>Name <input type="text" name="name"></p>
<p>City <input type="text" name="city" value="Lisbon"></p>
<p>Agree <input type="checkbox" name="agree"></p>
<p>Plan <select name="plan"><option value="basic">Basic</option><option value="pro" selected>Pro</option></select></p>
<p>Size <input type="radio" name="size" value="s"> S <input type="radio" name="size" value="m"> M</p>
<p style="break-before: page">Notes <textarea name="notes"></textarea></p>
"""


@pytest.fixture(scope="module")
def form_pdf() -> bytes:
    return html_pdf(FORM_HTML, forms=True)


@pytest.fixture(scope="module")
def three_pages() -> bytes:
    return pages_pdf("Alpha page", "Bravo page", "Charlie page")


# --- content type sniffing ---------------------------------------------------------------------------


def office_zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        ("Grüße, plain text\n".encode(), "text/plain"),
        (b"<html><script>alert(1)</script></html>", "text/plain"),  # never served as a page
        (
            office_zip("[Content_Types].xml", "word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            office_zip("[Content_Types].xml", "xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (office_zip("a.txt"), "application/zip"),
        (b"PK\x03\x04broken", "application/octet-stream"),
        (bytes(range(256)), "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_the_content_type_comes_from_the_bytes(data: bytes, expected: str):
    assert sniff_content_type(data) == expected


def test_text_cut_inside_a_character_at_the_window_is_still_text():
    data = b"a" * 8191 + "é".encode() + b"b" * 100
    assert sniff_content_type(data) == "text/plain"


def test_csv_is_text_claimed_as_csv():
    data = b"name,amount\nAda,12.30\n"
    assert sniff_content_type(data, filename="export.csv") == "text/csv"
    assert sniff_content_type(data, claimed="text/csv; charset=utf-8") == "text/csv"
    assert sniff_content_type(data) == "text/plain"


@pytest.mark.parametrize(
    ("claimed", "filename"), [("application/pdf", None), (None, "invoice.pdf"), ("Application/PDF", "x")]
)
def test_a_file_claimed_as_pdf_that_is_not_one_is_refused(claimed, filename):
    with pytest.raises(ValidationFailed) as caught:
        sniff_content_type(b"\x89PNG\r\n\x1a\n", claimed=claimed, filename=filename, field="file")
    assert fields_of(caught) == ["file"]
    assert "not a PDF" in caught.value.fields[0].message


# --- inspection and bombs ----------------------------------------------------------------------------


def test_inspect_counts_pages_sizes_and_extracts_text(three_pages: bytes, form_pdf: bytes):
    info = inspect_pdf(three_pages, text=True)
    assert info.page_count == 3
    assert info.encrypted is False
    assert info.has_form is False
    assert info.page_sizes[0] == pytest.approx((595.28, 841.89), abs=0.01)
    assert [t.strip() for t in info.texts] == ["Alpha page", "Bravo page", "Charlie page"]
    assert info.text_complete
    assert inspect_pdf(form_pdf).has_form
    assert inspect_pdf(three_pages).texts == ()  # text only when asked


def test_extracted_text_is_bounded_per_page_and_per_document(three_pages: bytes):
    info = inspect_pdf(three_pages, text=True, limits=PdfLimits(max_page_chars=5, max_text_chars=8))
    assert info.texts == ("Alpha", "Bra", "")
    assert info.text_complete is False


def test_a_rotated_page_reports_its_displayed_size(three_pages: bytes):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_pages)))
    writer.pages[1].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    sizes = inspect_pdf(out.getvalue()).page_sizes
    assert sizes[1] == pytest.approx((841.89, 595.28), abs=0.01)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"hello, not a pdf", "is not a PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"%PDF" * 10, "is not a PDF"),
        (b"%PDF-1.7\n" + b"garbage " * 100, "is not a readable PDF"),
    ],
)
def test_what_is_not_a_readable_pdf_is_refused_naming_the_field(data: bytes, message: str):
    with pytest.raises(ValidationFailed) as caught:
        inspect_pdf(data, field="file")
    assert fields_of(caught) == ["file"]
    assert message in caught.value.fields[0].message


def page_tree(count: int, declared: int) -> bytes:
    """``count`` distinct pages under one /Pages node that declares ``declared``."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, declared),
    }
    for i in range(count):
        objects[3 + i] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    return raw_pdf(objects)


@pytest.mark.parametrize("declared", [10_000, 1], ids=["honest-count", "lying-count"])
def test_a_pdf_of_ten_thousand_pages_is_refused_fast(declared: int):
    data = page_tree(10_000, declared)
    start = time.monotonic()
    with pytest.raises(ValidationFailed) as caught:
        inspect_pdf(data)
    assert time.monotonic() - start < 2.0
    assert "more than 500 pages" in caught.value.fields[0].message


def test_one_page_listed_ten_thousand_times_counts_as_ten_thousand():
    kids = b" ".join([b"3 0 R"] * 10_000)
    data = raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [%s] /Count 1 >>" % kids,
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        }
    )
    with pytest.raises(ValidationFailed, match="more than 500 pages"):
        inspect_pdf(data)


def test_the_page_limit_is_a_parameter(three_pages: bytes):
    with pytest.raises(ValidationFailed, match="more than 2 pages"):
        inspect_pdf(three_pages, limits=PdfLimits(max_pages=2))


def test_more_objects_than_the_limit_is_refused():
    with pytest.raises(ValidationFailed, match="more than 50 objects"):
        inspect_pdf(page_tree(60, 60), limits=PdfLimits(max_objects=50))


def test_a_stream_inflating_to_100_mb_is_refused_fast_with_bounded_memory():
    data = one_page(contents=flate_stream(deflated_zeros(100 * MIB)))
    assert len(data) < 200_000
    start = time.monotonic()
    with pytest.raises(ValidationFailed, match="decompresses past the size limit"):
        inspect_pdf(data)
    assert time.monotonic() - start < 2.0

    tracemalloc.start()
    try:
        with pytest.raises(ValidationFailed, match="decompresses past the size limit"):
            inspect_pdf(data, limits=PdfLimits(max_stream_bytes=8 * MIB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * 8 * MIB


def test_a_bomb_hidden_in_an_unused_object_is_refused_too():
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        4: flate_stream(deflated_zeros(100 * MIB)),  # referenced by nothing
    }
    with pytest.raises(ValidationFailed, match="decompresses past the size limit"):
        inspect_pdf(raw_pdf(objects))


def test_many_streams_each_under_the_limit_are_refused_past_the_document_budget():
    payload = deflated_zeros(4 * MIB)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    }
    for number in range(4, 24):
        objects[number] = flate_stream(payload)
    limits = PdfLimits(max_stream_bytes=8 * MIB, max_decoded_bytes=32 * MIB)
    with pytest.raises(ValidationFailed, match="decompresses past the document size limit"):
        inspect_pdf(raw_pdf(objects), limits=limits)
    assert inspect_pdf(raw_pdf(objects), limits=PdfLimits(max_decoded_bytes=128 * MIB)).page_count == 1


def test_a_cyclic_page_tree_is_refused():
    data = raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        }
    )
    with pytest.raises(ValidationFailed) as caught:
        inspect_pdf(data)
    assert fields_of(caught) == ["file"]


def test_deeply_nested_arrays_are_refused():
    nested = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(ValidationFailed) as caught:
        inspect_pdf(one_page(extra=b" /Junk " + nested))
    assert fields_of(caught) == ["file"]


@pytest.mark.parametrize(
    "mediabox", [b"[0 0 100000 100000]", b"[0 0 0 0]", b"[0 0 1 1]", b"[0 0 595 1000000000]"], ids=str
)
def test_an_absurd_page_size_is_refused(mediabox: bytes):
    with pytest.raises(ValidationFailed, match="impossible size"):
        inspect_pdf(one_page(mediabox=mediabox))


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_encrypted_pdf_is_refused(three_pages: bytes):
    for password in ("secret", ""):
        with pytest.raises(ValidationFailed, match="is encrypted"):
            inspect_pdf(encrypted(three_pages, password))
        with pytest.raises(ValidationFailed, match="is encrypted"):
            merge_pdfs([("Locked", encrypted(three_pages, password))])


def test_inspect_may_report_an_encrypted_pdf_anyone_can_open(three_pages: bytes):
    info = inspect_pdf(encrypted(three_pages, ""), allow_encrypted=True)
    assert (info.encrypted, info.page_count) == (True, 3)
    with pytest.raises(ValidationFailed, match="is encrypted"):
        inspect_pdf(encrypted(three_pages, "secret"), allow_encrypted=True)


# --- merge -------------------------------------------------------------------------------------------


def outline_titles(data: bytes) -> list[tuple[str, int]]:
    reader = PdfReader(io.BytesIO(data))
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def test_merge_keeps_order_and_adds_an_outline_entry_per_source(three_pages: bytes):
    merged = merge_pdfs([("Letters A to C", three_pages), ("Delta", pages_pdf("Delta page"))])
    assert [t.strip() for t in text_of(merged)] == ["Alpha page", "Bravo page", "Charlie page", "Delta page"]
    assert outline_titles(merged) == [("Letters A to C", 0), ("Delta", 3)]
    assert inspect_pdf(merged).page_count == 4


def test_merge_without_bookmarks_has_no_outline(three_pages: bytes):
    merged = merge_pdfs([("A", three_pages), ("B", three_pages)], bookmarks=False)
    assert outline_titles(merged) == []
    assert len(text_of(merged)) == 6


def test_merge_refuses_bad_input_naming_the_document(three_pages: bytes):
    with pytest.raises(ValidationFailed) as caught:
        merge_pdfs([("Good", three_pages), ("Bad", b"not a pdf")])
    assert fields_of(caught) == ["documents.1"]
    with pytest.raises(ValidationFailed) as caught:
        merge_pdfs([("  ", three_pages)])
    assert fields_of(caught) == ["documents.0.title"]
    with pytest.raises(ValidationFailed) as caught:
        merge_pdfs([])
    assert fields_of(caught) == ["documents"]
    with pytest.raises(ValidationFailed, match="together have more than 4 pages") as caught:
        merge_pdfs([("A", three_pages), ("B", three_pages)], limits=PdfLimits(max_pages=4))
    with pytest.raises(ValidationFailed) as caught:
        merge_pdfs([("Bomb", one_page(contents=flate_stream(deflated_zeros(100 * MIB))))])
    assert fields_of(caught) == ["documents.0"]


# --- ranges and split --------------------------------------------------------------------------------


def test_ranges_in_every_form():
    assert parse_ranges(["1-2", "3-", "5", "-2"], 10, allow_overlap=True) == [(1, 2), (3, 10), (5, 5), (1, 2)]
    assert parse_ranges(["-2", " 3 - 4 ", "5-"], 6) == [(1, 2), (3, 4), (5, 6)]


def test_overlapping_ranges_are_refused_unless_allowed():
    with pytest.raises(ValidationFailed) as caught:
        parse_ranges(["1-2", "3-", "5", "-2"], 10)
    assert fields_of(caught) == ["ranges.2", "ranges.3"]
    assert "overlaps ranges.1" in caught.value.fields[0].message


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("3-1", "is reversed"),
        ("0", "start at 1"),
        ("0-2", "start at 1"),
        ("11", "past the last page"),
        ("4-11", "past the last page"),
        ("abc", "is not a page range"),
        ("1-2-3", "is not a page range"),
        ("1..2", "is not a page range"),
        ("-", "is not a page range"),
        ("1 2", "is not a page range"),
        ("\u0661-\u0662", "is not a page range"),  # Arabic-Indic digits are not page numbers here
        ("9" * 40, "is not a page range"),
        (5, "is not a page range"),
    ],
)
def test_a_bad_range_is_named(given, message: str):
    with pytest.raises(ValidationFailed) as caught:
        parse_ranges(["1", given], 10)
    assert fields_of(caught) == ["ranges.1"]
    assert message in caught.value.fields[0].message


@pytest.mark.parametrize("given", [[], "1-2", None])
def test_ranges_must_be_a_list(given):
    with pytest.raises(ValidationFailed) as caught:
        parse_ranges(given, 10)
    assert fields_of(caught) == ["ranges"]


def test_split_gives_one_pdf_per_range(three_pages: bytes):
    parts = split_pdf(three_pages, ["-2", "3"])
    assert [[t.strip() for t in text_of(part)] for part in parts] == [
        ["Alpha page", "Bravo page"],
        ["Charlie page"],
    ]


def test_split_refuses_bad_ranges_and_bad_documents(three_pages: bytes):
    with pytest.raises(ValidationFailed) as caught:
        split_pdf(three_pages, ["1-2", "2-4"])
    assert fields_of(caught) == ["ranges.1"]
    with pytest.raises(ValidationFailed) as caught:
        split_pdf(b"plain text", ["1"])
    assert fields_of(caught) == ["file"]
    with pytest.raises(ValidationFailed, match="together select more than 5 pages"):
        split_pdf(three_pages, ["1-3", "1-3"], allow_overlap=True, limits=PdfLimits(max_pages=5))


# --- stamp -------------------------------------------------------------------------------------------


def red_pixels(image, box) -> int:
    region = image.crop(box)
    return sum(1 for r, g, b in region.getdata() if r > 200 and r - g > 50 and r - b > 50)


def test_a_stamp_is_real_text_on_the_chosen_pages(three_pages: bytes):
    stamped = stamp_pdf(three_pages, "PAID", pages="first")
    texts = text_of(stamped)
    assert "PAID" in texts[0]
    assert "PAID" not in texts[1] + texts[2]
    assert "Alpha page" in texts[0]  # the page's own content stays
    image = render(stamped)
    width, height = image.size
    assert red_pixels(image, (width // 3, height // 3, 2 * width // 3, 2 * height // 3)) > 500
    assert red_pixels(render(stamped, 1), (0, 0, width, height)) == 0


@pytest.mark.parametrize(
    ("position", "box"),
    [
        ("top-left", (0, 0, 0.5, 0.2)),
        ("top-right", (0.5, 0, 1, 0.2)),
        ("bottom-left", (0, 0.8, 0.5, 1)),
        ("bottom-right", (0.5, 0.8, 1, 1)),
    ],
)
def test_a_corner_stamp_lands_in_its_corner(three_pages: bytes, position: str, box):
    stamped = stamp_pdf(three_pages, "COPY", pages=[2, 3], position=position)
    assert ["COPY" in t for t in text_of(stamped)] == [False, True, True]
    image = render(stamped, 1)
    width, height = image.size
    inside = red_pixels(
        image, (int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height))
    )
    assert inside > 100
    assert red_pixels(image, (0, 0, width, height)) == inside


def test_a_stamp_is_upright_on_a_rotated_page_and_prints_any_latin_text(three_pages: bytes):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_pages)))
    writer.pages[2].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    stamped = stamp_pdf(out.getvalue(), "Łódź — opłacono", pages="last", position="top-right")
    assert "Łódź — opłacono" in text_of(stamped)[2]
    image = render(stamped, 2)
    width, height = image.size
    assert width > height  # displayed in landscape
    assert red_pixels(image, (width // 2, 0, width, height // 4)) > 100


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "X" * 41}, "text"),
        ({"text": "PAID\nNOW"}, "text"),
        ({"text": "PAID\u202e"}, "text"),
        ({"text": 42}, "text"),
        ({"position": "middle"}, "position"),
        ({"pages": "some"}, "pages"),
        ({"pages": []}, "pages"),
        ({"pages": [0]}, "pages.0"),
        ({"pages": [1, 4]}, "pages.1"),
        ({"pages": [2, 2]}, "pages.1"),
        ({"pages": [True]}, "pages.0"),
    ],
)
def test_bad_stamps_are_refused_naming_the_field(three_pages: bytes, kwargs: dict, field: str):
    arguments = {"text": "PAID", **kwargs}
    with pytest.raises(ValidationFailed) as caught:
        stamp_pdf(three_pages, **arguments)
    assert fields_of(caught) == [field]


def test_stamping_what_is_not_a_pdf_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        stamp_pdf(b"\x89PNG\r\n\x1a\n", "PAID")
    assert fields_of(caught) == ["file"]


# --- AcroForm ----------------------------------------------------------------------------------------


def test_fields_are_listed_with_type_value_options_and_page(form_pdf: bytes):
    fields = {f.name: f for f in list_fields(form_pdf)}
    assert list(fields) == ["name", "city", "agree", "plan", "size", "notes"]
    assert (fields["name"].type, fields["name"].value, fields["name"].page) == ("text", "", 1)
    assert fields["city"].value == "Lisbon"
    assert (fields["agree"].type, fields["agree"].value) == ("checkbox", False)
    assert (fields["plan"].type, fields["plan"].value, fields["plan"].options) == (
        "choice",
        "pro",
        ("basic", "pro"),
    )
    assert (fields["size"].type, fields["size"].value, fields["size"].options) == ("radio", None, ("s", "m"))
    assert (fields["notes"].type, fields["notes"].page, fields["notes"].multiline) == ("text", 2, True)


def test_a_pdf_without_a_form_has_no_fields(three_pages: bytes):
    assert list_fields(three_pages) == []
    with pytest.raises(ValidationFailed) as caught:
        fill_form(three_pages, {"name": "Ada"})
    assert fields_of(caught) == ["fields"]


GOOD_VALUES = {
    "name": "Zoë Łukasz-Wümpel",
    "agree": True,
    "plan": "basic",
    "size": "m",
    "notes": "First line\nsecond line",
}


def test_filled_values_are_read_back(form_pdf: bytes):
    filled = fill_form(form_pdf, GOOD_VALUES)
    values = {f.name: f.value for f in list_fields(filled)}
    assert values == {**GOOD_VALUES, "city": "Lisbon"}
    reader = PdfReader(io.BytesIO(filled))
    assert reader.root_object["/AcroForm"]["/NeedAppearances"].value is False  # our appearances are the truth


def test_a_flattened_form_prints_its_values_and_is_gone(form_pdf: bytes):
    flat = fill_form(form_pdf, GOOD_VALUES, flatten=True)
    assert list_fields(flat) == []
    reader = PdfReader(io.BytesIO(flat))
    assert "/AcroForm" not in reader.root_object
    assert all("/Annots" not in page for page in reader.pages)
    texts = text_of(flat)
    for expected in ("Zoë Łukasz-Wümpel", "Lisbon", "Basic"):
        assert expected in texts[0]
    assert "First line\nsecond line" in texts[1]
    image = render(flat)
    assert image.getbbox() is not None
    info = inspect_pdf(flat)
    assert (info.page_count, info.has_form) == (2, False)


def test_bad_values_are_each_named(form_pdf: bytes):
    with pytest.raises(ValidationFailed) as caught:
        fill_form(
            form_pdf,
            {
                "nope": "x",
                "agree": "maybe",
                "plan": "gold",
                "size": "xl",
                "name": "line\nbreak",
                "city": ["Lisbon"],
                "notes": "x" * 10_001,
            },
        )
    assert fields_of(caught) == [
        "fields.nope",
        "fields.agree",
        "fields.plan",
        "fields.size",
        "fields.name",
        "fields.city",
        "fields.notes",
    ]
    assert "not a field" in caught.value.fields[0].message
    assert "true or false" in caught.value.fields[1].message
    assert "basic, pro" in caught.value.fields[2].message


@pytest.mark.parametrize("values", [None, ["name"], "name=Ada"])
def test_fields_must_be_an_object(form_pdf: bytes, values):
    with pytest.raises(ValidationFailed) as caught:
        fill_form(form_pdf, values)
    assert fields_of(caught) == ["fields"]


def test_a_cyclic_field_tree_is_refused():
    data = one_page(
        extra=b" /AcroForm << /Fields [5 0 R] >>",
    )
    # Append the two field objects by rebuilding with them.
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        5: b"<< /T (a) /Kids [6 0 R] >>",
        6: b"<< /T (b) /Parent 5 0 R /Kids [5 0 R] >>",
    }
    assert data
    with pytest.raises(ValidationFailed, match="cyclic form field tree") as caught:
        list_fields(raw_pdf(objects))
    assert fields_of(caught) == ["file"]


# --- packaging ---------------------------------------------------------------------------------------


def test_safe_unique_file_names():
    names = safe_file_names(
        [
            ("../../etc/passwd", "text/plain"),
            ("Invoice.pdf", "application/pdf"),
            ("invoice.PDF", "application/pdf"),
            ("C:\\Users\\me\\report", "application/pdf"),
            ("CON", "application/pdf"),
            ("nul.tar.pdf", "application/pdf"),
            ("evil.html", "text/plain"),
            ("a\x00b\u202ec.pdf", "application/pdf"),
            ("", "image/png"),
            ("...", "image/jpeg"),
            ('what?*<>|":.pdf', "application/pdf"),
            ("x" * 300 + ".pdf", "application/pdf"),
            ("photo.jpeg", "image/jpeg"),
        ]
    )
    assert names[:11] == [
        "passwd.txt",
        "Invoice.pdf",
        "invoice (2).PDF",
        "report.pdf",
        "_CON.pdf",
        "_nul.tar.pdf",
        "evil.html.txt",
        "abc.pdf",
        "document.png",
        "document.jpg",
        "what_______.pdf",
    ]
    assert len(names[11]) == 100 and names[11].endswith(".pdf")
    assert names[12] == "photo.jpeg"


def test_a_zip_package_holds_each_document_under_a_safe_name(three_pages: bytes):
    packaged = package_zip([("Report.pdf", three_pages), ("report.pdf", three_pages), ("../notes", b"hello")])
    with zipfile.ZipFile(io.BytesIO(packaged)) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["Report.pdf", "report (2).pdf", "notes.txt"]
        assert archive.read("notes.txt") == b"hello"
        assert archive.read("report (2).pdf") == three_pages
        assert all((i.external_attr >> 16) == 0o100644 for i in infos)


def test_a_pdf_package_is_one_pdf_with_an_outline(three_pages: bytes):
    packaged = package_pdf([("First", three_pages), ("Second", pages_pdf("Delta page"))])
    assert outline_titles(packaged) == [("First", 0), ("Second", 3)]


def test_packages_refuse_bad_input(three_pages: bytes):
    with pytest.raises(ValidationFailed) as caught:
        package_pdf([("First", three_pages), ("Picture", b"\x89PNG\r\n\x1a\n")])
    assert fields_of(caught) == ["documents.1"]
    with pytest.raises(ValidationFailed) as caught:
        package_zip([])
    assert fields_of(caught) == ["documents"]
    with pytest.raises(ValidationFailed) as caught:
        package_zip([("a", "not bytes")])
    assert fields_of(caught) == ["documents.0"]

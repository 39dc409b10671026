"""PDF operations on bytes: sniffing, safe inspection, merge and split."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from domain.documents.pdf import PdfLimits, inspect_pdf
from domain.documents.pdf_pages import merge_pdfs, parse_ranges, split_pdf
from domain.documents.sniffing import sniff_content_type
from domain.errors import ValidationFailed
from tests.domain.pdf_helpers import (
    MIB,
    deflated_zeros,
    fields_of,
    flate_stream,
    one_page,
    outline_titles,
    pages_pdf,
    raw_pdf,
    text_of,
)

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

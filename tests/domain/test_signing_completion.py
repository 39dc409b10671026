"""The completed document (values drawn into their boxes, a certificate of completion appended) and
anchor text positions."""

from __future__ import annotations

import hashlib
import io
import struct
import time
import zlib
from datetime import UTC, datetime

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from domain.errors import ValidationFailed
from domain.signing.anchors import find_anchors
from domain.signing.completion import (
    MAX_PNG_BYTES,
    CertificateEvent,
    CertificateSigner,
    CompletionCertificate,
    Placement,
    complete_pdf,
)
from tests.domain.pdf_helpers import fields_of, html_pdf, one_page, render, text_of

SIGNED_AT = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)
# A4 with 2 cm margins; the anchor paragraph is pushed to a known height.
PAGE = "<p>Lease agreement between the parties.</p><p style='margin-top: 400pt'>Signature:</p>"


@pytest.fixture(scope="module")
def original() -> bytes:
    return html_pdf(PAGE + "<p style='break-before: page'>Annex. Signature: and again signature:</p>")


def certificate(original: bytes, **changes: object) -> CompletionCertificate:
    values: dict[str, object] = {
        "title": "Flat lease 2026",
        "document_name": "lease.pdf",
        "original_sha256": hashlib.sha256(original).hexdigest(),
        "completed_at": SIGNED_AT,
        "signers": [
            CertificateSigner(
                "Ann <b>Lee</b>",
                "ann@example.com",
                "signer",
                SIGNED_AT,
                "203.0.113.5",
                "Firefox/128",
                "email",
                "typed",
            ),
            CertificateSigner(
                "Bob Stone",
                "bob@example.com",
                "signer",
                SIGNED_AT,
                "198.51.100.7",
                "Safari/17",
                "sms_otp",
                "drawn",
            ),
        ],
        "events": [
            CertificateEvent(SIGNED_AT, "sent", None, None),
            CertificateEvent(SIGNED_AT, "viewed", "Ann <b>Lee</b>", "203.0.113.5"),
            CertificateEvent(SIGNED_AT, "signed", "Bob Stone", "198.51.100.7"),
            CertificateEvent(SIGNED_AT, "completed", None, None),
        ],
        "locale": "de",
    }
    return CompletionCertificate(**(values | changes))  # type: ignore[arg-type]


def red_png(width: int = 300, height: int = 100) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, width - 1, height - 1), fill=(220, 20, 20, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def ink(image, box: tuple[float, float, float, float], colour: str) -> int:
    """Pixels of one colour in ``box`` (left, top, right, bottom) of an RGB page image."""
    left, top, right, bottom = (round(v) for v in box)
    pixels = list(image.crop((left, top, right, bottom)).getdata())
    if colour == "red":
        return sum(1 for r, g, b in pixels if r > 180 and g < 90 and b < 90)
    if colour == "blue":
        return sum(1 for r, g, b in pixels if b > 80 and b - r > 40)
    return sum(1 for r, g, b in pixels if r < 100 and g < 100 and b < 100)


TYPED = Placement(1, 60, 470, 220, 40, "signature", "Ann <b>Lee</b>")
DRAWN = Placement(1, 320, 470, 210, 70, "signature", "", red_png())
DATE = Placement(1, 60, 530, 150, 20, "date", "2026-03-14")
TEXT = Placement(2, 60, 200, 300, 20, "text", "Flat 3 & garage")


@pytest.fixture(scope="module")
def completed(original: bytes) -> bytes:
    return complete_pdf(original, [TYPED, DRAWN, DATE, TEXT], certificate(original))


def test_values_are_drawn_in_their_boxes_and_nowhere_else(completed: bytes):
    page = render(completed)  # 1 pixel per point, top-left origin like the boxes
    assert ink(page, (60, 470, 280, 510), "blue") > 150  # the typed signature, in its ink
    assert ink(page, (320, 470, 530, 540), "red") > 0.9 * 210 * 70 * 0.9  # the drawn image fills its box
    assert ink(page, (0, 0, 595, 460), "red") + ink(page, (0, 0, 595, 460), "blue") == 0
    assert ink(page, (0, 545, 595, 842), "red") + ink(page, (0, 545, 595, 842), "blue") == 0
    assert ink(page, (60, 530, 210, 550), "dark") > 50  # the date
    assert ink(render(completed, 1), (60, 200, 360, 220), "dark") > 50


def test_typed_values_are_text_escaped_and_dates_follow_the_locale(completed: bytes):
    first, second = text_of(completed)[:2]
    assert "Ann <b>Lee</b>" in first  # HTML in a name is printed, not interpreted
    assert "14.03.2026" in first  # de: the day as Germans write it
    assert "Flat 3 & garage" in second
    assert "Lease agreement between the parties." in first  # the page's own content stays


def test_the_certificate_page_is_appended_with_signers_times_ips_hash_and_events(
    original: bytes, completed: bytes
):
    assert len(PdfReader(io.BytesIO(completed)).pages) == len(PdfReader(io.BytesIO(original)).pages) + 1
    page = text_of(completed)[-1]
    for expected in (
        "Certificate of completion",
        "Flat lease 2026",
        "lease.pdf",
        hashlib.sha256(original).hexdigest(),
        "Ann <b>Lee</b>",
        "ann@example.com",
        "bob@example.com",
        "203.0.113.5",
        "198.51.100.7",
        "2026-03-14 09:26:53 UTC",
        "sms_otp",
        "completed",
        "viewed",
    ):
        assert expected in page, expected


@pytest.mark.parametrize(
    ("placement", "field"),
    [
        (Placement(1, 500, 800, 200, 40, "signature", "Ann"), "fields.1"),  # past the right and bottom edges
        (Placement(1, -5, 10, 50, 20, "text", "x"), "fields.1"),
        (Placement(3, 10, 10, 50, 20, "text", "x"), "fields.1.page"),
        (Placement(1, 10, 10, 1, 1, "text", "x"), "fields.1"),
        (Placement(1, float("nan"), 10, 50, 20, "text", "x"), "fields.1"),
        (Placement(1, 10, 10, 50, 20, "stamp", "x"), "fields.1.kind"),  # type: ignore[arg-type]
        (Placement(1, 10, 10, 50, 20, "signature", "A" * 101), "fields.1.value"),
        (Placement(1, 10, 10, 50, 20, "text", "bell\x07"), "fields.1.value"),
    ],
)
def test_a_bad_box_or_value_names_its_field(original: bytes, placement: Placement, field: str):
    with pytest.raises(ValidationFailed) as error:
        complete_pdf(original, [DATE, placement], certificate(original))
    assert fields_of(error) == [field]


def png_header_only(width: int, height: int) -> bytes:
    """A PNG claiming huge dimensions in a few bytes: it must be refused before decoding."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


@pytest.mark.parametrize(
    ("drawn", "message"),
    [
        (b"GIF89a not a png", "must be a PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "not a readable PNG"),
        (png_header_only(20_000, 20_000), "pixels"),
        (red_png(800, 400)[:-20] + b"\0" * (MAX_PNG_BYTES + 1), "kB"),
    ],
)
def test_a_drawn_value_that_is_not_a_small_png_is_refused(original: bytes, drawn: bytes, message: str):
    placement = Placement(1, 10, 10, 100, 40, "signature", "", drawn)
    with pytest.raises(ValidationFailed) as error:
        complete_pdf(original, [DATE, placement], certificate(original))
    assert fields_of(error) == ["fields.1.value"]
    assert message in error.value.fields[0].message


def test_one_signature_in_many_boxes_is_embedded_once_and_the_total_is_bounded(original: bytes):
    signature = red_png()
    boxes = [Placement(1, 10 + 50 * n, 10, 40, 20, "initials", "", signature) for n in range(10)]
    done = complete_pdf(original, boxes, certificate(original))
    assert done.count(b"/Subtype /Image") == 1  # one opaque image, embedded once
    page = render(done)
    assert all(ink(page, (10 + 50 * n, 10, 50 + 50 * n, 30), "red") > 300 for n in range(10))

    big = [Placement(1, 10, 10 + 20 * n, 40, 15, "initials", "", red_png(1990 + n, 1990)) for n in range(5)]
    with pytest.raises(ValidationFailed) as error:
        complete_pdf(original, big, certificate(original))
    assert fields_of(error) == ["fields.4.value"] and "in all" in error.value.fields[0].message


def test_a_rotated_page_gets_its_box_where_the_reader_sees_it():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(one_page())))
    writer.pages[0].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    rotated = out.getvalue()
    done = complete_pdf(
        rotated, [Placement(1, 20, 30, 200, 60, "signature", "", red_png())], certificate(rotated)
    )
    page = render(done)  # displayed landscape: 842 x 595
    assert page.size == (842, 595)
    assert ink(page, (20, 30, 220, 90), "red") > 0.8 * 180 * 60
    assert ink(page, (300, 200, 842, 595), "red") == 0


def test_bad_pdf_and_oversized_certificates_are_refused(original: bytes):
    with pytest.raises(ValidationFailed) as not_pdf:
        complete_pdf(b"not a pdf", [], certificate(original))
    assert fields_of(not_pdf) == ["pdf"]
    too_many = [CertificateEvent(SIGNED_AT, "viewed", "x", None)] * 1001
    with pytest.raises(ValidationFailed) as events:
        certificate(original, events=too_many)
    assert fields_of(events) == ["certificate.events"]
    with pytest.raises(ValidationFailed) as nameless:
        certificate(original, signers=[{"email": "a@example.com"}])
    assert fields_of(nameless) == ["certificate.signers.0"]


def test_an_empty_optional_value_draws_nothing(original: bytes):
    done = complete_pdf(original, [Placement(1, 60, 470, 220, 40, "text", "  ")], certificate(original))
    assert list(render(done).getdata()) == list(render(original).getdata())


def test_signers_and_events_may_be_plain_mappings(original: bytes):
    done = complete_pdf(
        original,
        [],
        certificate(
            original,
            signers=[{"name": "Cy Map", "email": "cy@example.com", "signed_at": "2026-03-14T10:00:00+01:00"}],
            events=[{"at": "2026-03-14T09:00:00Z", "action": "signed", "signer": "Cy Map", "extra": 1}],
        ),
    )
    page = text_of(done)[-1]
    assert "Cy Map" in page and "cy@example.com" in page
    assert page.count("2026-03-14 09:00:00") == 2  # the signer's +01:00 time and the event's, in UTC


# --- anchors -------------------------------------------------------------------------------------------


def test_anchors_are_found_on_their_pages_with_top_left_coordinates(original: bytes):
    found = find_anchors(original, "Signature:")
    assert [a.page for a in found] == [1, 2, 2]  # case-insensitive: "signature:" counts
    first = found[0]
    # 2 cm margin (56.7 pt) plus the body's; the paragraph sits 400 pt and more below the first line.
    assert 56 < first.x < 80 and 450 < first.y < 520
    assert 40 < first.width < 90 and 6 < first.height < 16
    assert found[1].y == pytest.approx(found[2].y, abs=1) and found[2].x > found[1].x + first.width


def test_no_anchor_is_an_empty_list_and_an_empty_anchor_is_refused(original: bytes):
    assert find_anchors(original, "Witness:") == []
    with pytest.raises(ValidationFailed) as error:
        find_anchors(original, "  ")
    assert fields_of(error) == ["anchor"]
    with pytest.raises(ValidationFailed) as not_pdf:
        find_anchors(b"plain text", "Signature:")
    assert fields_of(not_pdf) == ["pdf"]


def test_anchor_search_is_bounded_on_a_big_document(original: bytes):
    writer = PdfWriter()
    page = PdfReader(io.BytesIO(original)).pages[1]
    for _ in range(400):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    started = time.monotonic()
    found = find_anchors(out.getvalue(), "signature:", max_matches=50)
    assert len(found) == 50 and time.monotonic() - started < 20
    assert find_anchors(out.getvalue(), "signature:", seconds=0) == []

"""PDF operations on bytes that change a document: stamp, AcroForm fill, packaging."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject

from domain.documents.pdf import inspect_pdf
from domain.documents.pdf_forms import fill_form, list_fields
from domain.documents.pdf_package import package_pdf, package_zip, safe_file_names
from domain.documents.pdf_stamp import stamp_pdf
from domain.errors import ValidationFailed
from tests.domain.pdf_helpers import (
    fields_of,
    one_page,
    outline_titles,
    pages_pdf,
    raw_pdf,
    render,
    text_of,
)

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
    form = reader.root_object["/AcroForm"]
    assert isinstance(form, DictionaryObject)
    assert form["/NeedAppearances"] == BooleanObject(False)  # our appearances are the truth


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
        package_zip([("a", "not bytes")])  # type: ignore[list-item]  # a caller breaking the types
    assert fields_of(caught) == ["documents.0"]

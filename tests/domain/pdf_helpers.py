"""PDF fixtures for the PDF operation tests: WeasyPrint writes real documents (and real AcroForm
fields), and a small writer of raw PDF syntax builds the hostile ones (bombs, cycles, lies) that no
library would produce."""

from __future__ import annotations

import io
import zlib

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination
from weasyprint import HTML

from domain.documents.pdf_pdfium import pdfium_document
from domain.errors import ValidationFailed

MIB = 1024 * 1024


# --- builders -------------------------------------------------------------------------------------


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
    # Under the product's PDFium lock: the live API and worker threads of this process may render too,
    # and PDFium called from two threads at once can crash the process.
    with pdfium_document(data) as document:
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


def outline_titles(data: bytes) -> list[tuple[str | None, int | None]]:
    reader = PdfReader(io.BytesIO(data))
    return [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if isinstance(item, Destination)
    ]

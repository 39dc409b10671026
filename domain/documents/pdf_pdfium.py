"""PDFium (pypdfium2) behind one process-wide lock: PDFium is not thread-safe, and the API and the
worker call it from threads. Page images, anchor search and text extraction all open PDFs here."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium

from domain.errors import ValidationFailed

_LOCK = threading.Lock()


@contextmanager
def pdfium_document(pdf: bytes) -> Iterator[pdfium.PdfDocument]:
    """``pdf`` opened in PDFium, holding the lock until the block ends; unreadable is a 422 on ``pdf``."""
    with _LOCK:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise ValidationFailed.one("pdf", "is not a readable PDF") from exc
        try:
            yield document
        finally:
            document.close()


def page_text(document: pdfium.PdfDocument, index: int) -> str:
    """The text of page ``index`` (0-based) in reading order, as PDFium extracts it."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()

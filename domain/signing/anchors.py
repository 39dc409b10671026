"""Where an anchor text ("Signature:") sits in a PDF, so fields can be placed next to it.

Positions are boxes in points from the displayed page's top-left corner (the coordinates of signing
fields), whatever the page's rotation or crop box. The document passes the same checks as every PDF
operation first; then PDFium searches page by page within a time budget and a cap on matches.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium

from domain.documents.pdf import DEFAULT_LIMITS, PdfLimits, inspect_pdf
from domain.documents.pdf_pdfium import pdfium_document
from domain.errors import ValidationFailed

MAX_ANCHOR_CHARS = 200
MAX_MATCHES = 500
SEARCH_SECONDS = 10.0


@dataclass(frozen=True)
class AnchorBox:
    page: int  # 1-based
    x: float
    y: float
    width: float
    height: float


def find_anchors(
    pdf: bytes,
    text: str,
    *,
    limits: PdfLimits = DEFAULT_LIMITS,
    max_matches: int = MAX_MATCHES,
    seconds: float = SEARCH_SECONDS,
) -> list[AnchorBox]:
    """Every occurrence of ``text`` (case-insensitive), in page order; none is an empty list.

    Past ``max_matches`` or ``seconds`` the search stops and answers what it found so far."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed.one("anchor", "must not be empty")
    text = unicodedata.normalize("NFC", text.strip())
    if len(text) > MAX_ANCHOR_CHARS:
        raise ValidationFailed.one("anchor", f"must be at most {MAX_ANCHOR_CHARS} characters")
    inspect_pdf(pdf, field="pdf", limits=limits)  # bombs and malformed files are refused here
    deadline = time.monotonic() + seconds
    found: list[AnchorBox] = []
    with pdfium_document(pdf) as document:
        for index in range(len(document)):
            if len(found) >= max_matches or time.monotonic() > deadline:
                break
            page = document[index]
            try:
                found += _on_page(page, index + 1, text, max_matches - len(found), deadline)
            finally:
                page.close()
    return found


def _on_page(page: pdfium.PdfPage, number: int, text: str, room: int, deadline: float) -> list[AnchorBox]:
    textpage = page.get_textpage()
    try:
        searcher = textpage.search(text, match_case=False)
        boxes: list[AnchorBox] = []
        while len(boxes) < room and time.monotonic() <= deadline:
            occurrence = searcher.get_next()
            if occurrence is None:
                break
            start, count = occurrence
            rects = [textpage.get_rect(i) for i in range(textpage.count_rects(start, count))]
            if rects:
                boxes.append(_displayed(page, number, rects))
        return boxes
    finally:
        textpage.close()


def _displayed(
    page: pdfium.PdfPage, number: int, rects: list[tuple[float, float, float, float]]
) -> AnchorBox:
    """The union of PDFium's rectangles (user space, bottom-left origin) as the reader sees the page."""
    left = min(r[0] for r in rects)
    bottom = min(r[1] for r in rects)
    right = max(r[2] for r in rects)
    top = max(r[3] for r in rects)
    x0, y0, x1, y1 = page.get_cropbox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        x, y, w, h = bottom - y0, left - x0, top - bottom, right - left
    elif rotation == 180:
        x, y, w, h = x1 - right, bottom - y0, right - left, top - bottom
    elif rotation == 270:
        x, y, w, h = y1 - top, x1 - right, top - bottom, right - left
    else:
        x, y, w, h = left - x0, y1 - top, right - left, top - bottom
    return AnchorBox(page=number, x=round(x, 2), y=round(y, 2), width=round(w, 2), height=round(h, 2))

"""Stamping a short text ("PAID", "COPY") on chosen pages, as real vector text."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import Literal

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject

from domain.documents.pdf import DEFAULT_LIMITS, PdfLimits, open_pdf, write_pdf
from domain.documents.pdf_overlay import Box, draw, escape, page_matrix, render_boxes
from domain.errors import ValidationFailed

Position = Literal["center", "top-left", "top-right", "bottom-left", "bottom-right"]
PageChoice = Literal["all", "first", "last"] | Sequence[int]
POSITIONS: tuple[str, ...] = ("center", "top-left", "top-right", "bottom-left", "bottom-right")
MAX_TEXT = 40
# DejaVu Sans Bold capitals average about 0.72 em: a font size that makes the text this long.
_EM_PER_CHAR = 0.78

_CSS = """
.stamp { position: absolute; font-weight: bold; white-space: nowrap; line-height: 1.15;
  color: rgb(200, 30, 30); border: 0.08em solid rgb(200, 30, 30); border-radius: 0.15em;
  padding: 0.02em 0.3em; }
.center { left: 50%; top: 50%; opacity: 0.45; }
"""


def stamp_pdf(
    data: bytes,
    text: str,
    *,
    pages: PageChoice = "all",
    position: str = "center",
    diagonal: bool = True,
    limits: PdfLimits = DEFAULT_LIMITS,
) -> bytes:
    """``data`` with ``text`` drawn on the chosen pages (1-based numbers, or all, first or last)."""
    text = clean_stamp_text(text)
    if position not in POSITIONS:
        raise ValidationFailed.one("position", f"must be one of {', '.join(POSITIONS)}")
    with open_pdf(data, limits=limits) as reader:
        chosen = choose_pages(pages, len(reader.pages))
        writer = PdfWriter(clone_from=reader)
        targets = [writer.pages[index] for index in chosen]
        _stamp(writer, targets, text, position, diagonal)
        return write_pdf(writer)


def clean_stamp_text(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationFailed.one("text", "must be a string")
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise ValidationFailed.one("text", "must not be empty")
    if len(text) > MAX_TEXT:
        raise ValidationFailed.one("text", f"must be at most {MAX_TEXT} characters")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} for ch in text):
        raise ValidationFailed.one("text", "must be printable text on one line")
    return text


def choose_pages(pages: PageChoice, page_count: int) -> list[int]:
    """0-based indexes of the chosen pages, in document order, each once."""
    if pages == "all":
        return list(range(page_count))
    if pages == "first":
        return [0]
    if pages == "last":
        return [page_count - 1]
    if isinstance(pages, str) or not isinstance(pages, Sequence) or not pages:
        raise ValidationFailed.one("pages", 'must be "all", "first", "last" or a list of page numbers')
    if len(pages) > page_count:
        raise ValidationFailed.one("pages", f"lists more pages than the document's {page_count}")
    chosen: set[int] = set()
    for i, number in enumerate(pages):
        if isinstance(number, bool) or not isinstance(number, int):
            raise ValidationFailed.one(f"pages.{i}", "must be a page number")
        if not 1 <= number <= page_count:
            raise ValidationFailed.one(f"pages.{i}", f"must be between 1 and {page_count}")
        if number - 1 in chosen:
            raise ValidationFailed.one(f"pages.{i}", f"page {number} is listed twice")
        chosen.add(number - 1)
    return sorted(chosen)


def _stamp(
    writer: PdfWriter, targets: Sequence[DictionaryObject], text: str, position: str, diagonal: bool
) -> None:
    """One overlay per distinct displayed page size, drawn on every target page of that size."""
    frames = [page_matrix(page) for page in targets]
    sizes = sorted({(round(w, 2), round(h, 2)) for w, h, _ in frames})
    boxes = [Box(w, h, _stamp_markup(text, w, h, position, diagonal)) for w, h in sizes]
    overlays = dict(zip(sizes, render_boxes(writer, boxes, _CSS), strict=True))
    for page, (w, h, matrix) in zip(targets, frames, strict=True):
        draw(writer, page, [(overlays[(round(w, 2), round(h, 2))], matrix)])


def _stamp_markup(text: str, width: float, height: float, position: str, diagonal: bool) -> str:
    if position == "center":
        angle = math.degrees(math.atan2(height, width)) if diagonal else 0.0
        span = math.hypot(width, height) if diagonal else width
        size = min(span * 0.6 / (len(text) * _EM_PER_CHAR + 0.8), height * 0.3)
        style = f"font-size: {size:.2f}pt; transform: translate(-50%, -50%) rotate(-{angle:.3f}deg)"
        return f'<div class="stamp center" style="{style}">{escape(text)}</div>'
    size = max(10.0, min(28.0, min(width, height) * 0.045))
    margin = max(12.0, min(width, height) * 0.04)
    vertical, horizontal = position.split("-")
    style = f"font-size: {size:.2f}pt; {vertical}: {margin:.2f}pt; {horizontal}: {margin:.2f}pt"
    return f'<div class="stamp" style="{style}">{escape(text)}</div>'

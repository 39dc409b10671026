"""Merging PDFs (an outline entry per source) and splitting one by page ranges ("1-2", "3-", "5", "-2")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pypdf import PdfWriter

from domain.documents.pdf import DEFAULT_LIMITS, PdfLimits, open_pdf, pdf_limits, write_pdf
from domain.errors import FieldError, ValidationFailed

MAX_DOCUMENTS = 500
MAX_TITLE = 200
MAX_RANGES = 500
_RANGE = re.compile(r"\s*([0-9]{1,9})?\s*(-)?\s*([0-9]{1,9})?\s*", re.ASCII)
_RANGE_HELP = 'is not a page range: write "5", "1-3", "4-" (to the end) or "-2" (from the start)'


def merge_pdfs(
    documents: Sequence[tuple[str, bytes]],
    *,
    bookmarks: bool = True,
    limits: PdfLimits = DEFAULT_LIMITS,
    field: str = "documents",
) -> bytes:
    """One PDF of ``documents`` (title, bytes) in order; with ``bookmarks``, an outline entry per title."""
    titles = _checked_titles(documents, field)
    writer = PdfWriter()
    pages = 0
    with pdf_limits(limits):
        for index, (title, (_, data)) in enumerate(zip(titles, documents, strict=True)):
            with open_pdf(data, field=f"{field}.{index}", limits=limits) as reader:
                pages += len(reader.pages)
                if pages > limits.max_pages:
                    raise ValidationFailed.one(field, f"together have more than {limits.max_pages} pages")
                writer.append(reader, outline_item=title if bookmarks else None, import_outline=bookmarks)
        return write_pdf(writer)


def _checked_titles(documents: Sequence[tuple[str, bytes]], field: str) -> list[str]:
    if isinstance(documents, str | bytes) or not isinstance(documents, Sequence) or not documents:
        raise ValidationFailed.one(field, "must list at least one document")
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationFailed.one(field, f"must list at most {MAX_DOCUMENTS} documents")
    titles = []
    for index, entry in enumerate(documents):
        if not isinstance(entry, tuple) or len(entry) != 2:
            raise ValidationFailed.one(f"{field}.{index}", "must be a title and the document's bytes")
        titles.append(clean_title(entry[0], f"{field}.{index}.title"))
    return titles


def clean_title(title: object, field: str) -> str:
    if not isinstance(title, str):
        raise ValidationFailed.one(field, "must be a string")
    title = " ".join(unicodedata.normalize("NFC", title).split())
    if not title:
        raise ValidationFailed.one(field, "must not be empty")
    if len(title) > MAX_TITLE:
        raise ValidationFailed.one(field, f"must be at most {MAX_TITLE} characters")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs"} for ch in title):
        raise ValidationFailed.one(field, "must not contain control characters")
    return title


def parse_ranges(
    ranges: Sequence[str], page_count: int, *, allow_overlap: bool = False
) -> list[tuple[int, int]]:
    """Each range as (first, last) page, 1-based and inclusive; every bad range is named ``ranges.<i>``."""
    if isinstance(ranges, str | bytes) or not isinstance(ranges, Sequence) or not ranges:
        raise ValidationFailed.one("ranges", 'must list at least one page range, such as ["1-2", "3-"]')
    if len(ranges) > MAX_RANGES:
        raise ValidationFailed.one("ranges", f"must list at most {MAX_RANGES} ranges")
    spans: list[tuple[int, int]] = []
    errors: list[FieldError] = []
    for index, text in enumerate(ranges):
        try:
            span = _parse_range(text, page_count)
            if not allow_overlap:
                _refuse_overlap(span, spans)
            spans.append(span)
        except ValueError as exc:
            errors.append(FieldError(f"ranges.{index}", str(exc)))
    if errors:
        raise ValidationFailed(errors)
    return spans


def _parse_range(text: object, page_count: int) -> tuple[int, int]:
    if not isinstance(text, str):
        raise ValueError(_RANGE_HELP)
    if not text.strip():
        raise ValueError("is empty")
    match = _RANGE.fullmatch(text)
    if match is None or not (match[1] or match[3]) or (match[1] and match[3] and not match[2]):
        raise ValueError(_RANGE_HELP)
    start, dash, end = match.groups()
    first = int(start) if start else 1
    last = int(end) if end else (page_count if dash else first)
    if first < 1 or last < 1:
        raise ValueError("page numbers start at 1")
    if first > last:
        raise ValueError(f"is reversed: page {first} comes after page {last}")
    if last > page_count:
        raise ValueError(f"goes past the last page ({page_count})")
    return first, last


def _refuse_overlap(span: tuple[int, int], earlier: list[tuple[int, int]]) -> None:
    for index, (first, last) in enumerate(earlier):
        if span[0] <= last and first <= span[1]:
            raise ValueError(f"overlaps ranges.{index} (pages {first}-{last}); ranges must not share pages")


def split_pdf(
    data: bytes, ranges: Sequence[str], *, allow_overlap: bool = False, limits: PdfLimits = DEFAULT_LIMITS
) -> list[bytes]:
    """One PDF per range, in the order the ranges are given."""
    with open_pdf(data, limits=limits) as reader:
        spans = parse_ranges(ranges, len(reader.pages), allow_overlap=allow_overlap)
        if sum(last - first + 1 for first, last in spans) > limits.max_pages:
            raise ValidationFailed.one("ranges", f"together select more than {limits.max_pages} pages")
        parts = []
        for first, last in spans:
            writer = PdfWriter()
            writer.append(reader, pages=list(range(first - 1, last)), import_outline=False)
            parts.append(write_pdf(writer))
        return parts

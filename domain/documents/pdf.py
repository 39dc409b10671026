"""Reading a PDF without trusting it. Every PDF operation opens its input through ``open_pdf``.

pypdf parses lazily, so a hostile file can hide its cost anywhere: a page tree with 10,000 leaves
behind a ``/Count`` of 1, a stream that inflates to gigabytes, a cycle. Here pypdf's own limits are
applied for the whole operation (its configuration is a context variable), the object table and the
page tree are counted before anything is copied, every page's size is checked, and every stream is
decoded once within a per-stream and a per-document budget, so a bomb is refused before a renderer,
a viewer or a later step meets it. Whatever the parser raises on the bytes is the document's fault:
a ``ValidationFailed`` naming the field, never a bare exception.
"""

from __future__ import annotations

import io
import math
import re
import struct
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
from pypdf import PdfReader, PdfWriter, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.filters import decode_stream_data
from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

from domain.documents.pdf_pdfium import page_text, pdfium_document
from domain.errors import DomainError, ValidationFailed

MIB = 1024 * 1024
PDF_HEADER = b"%PDF-"
# Acrobat accepts the header anywhere in the first KiB; so do we, and no further.
HEADER_WINDOW = 1024
# PDF 1.7, annex C: the smallest and largest page side a conforming reader must handle, in points.
MIN_PAGE_SIDE = 3.0

# What pypdf raises on malformed input: its own errors and whatever Python raises underneath.
PARSER_FAULTS: tuple[type[BaseException], ...] = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    OverflowError,
    NotImplementedError,
    zlib.error,
    struct.error,
)
_FAULTS_OR_MEMORY: tuple[type[BaseException], ...] = (*PARSER_FAULTS, MemoryError)
_FAULTS_OR_MISSING_CRYPTO: tuple[type[BaseException], ...] = (*PARSER_FAULTS, ImportError)
_FAULTS_OR_DEPTH: tuple[type[BaseException], ...] = (*PARSER_FAULTS, RecursionError)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: PostgreSQL text refuses them


@dataclass(frozen=True)
class PdfLimits:
    max_pages: int = 500
    max_objects: int = 200_000
    max_stream_bytes: int = 48 * MIB  # one stream decoded: an A4 page scanned at 600 dpi fits
    max_decoded_bytes: int = 256 * MIB  # all the streams of one document decoded, one after another
    max_page_side: float = 14_400.0  # points (200 inches), PDF's own implementation limit
    max_page_chars: int = 20_000  # extracted text kept per page
    max_text_chars: int = 1_000_000  # extracted text kept per document
    text_seconds: float = 10.0  # text extraction stops (incomplete, not failed) after this


DEFAULT_LIMITS = PdfLimits()


@dataclass(frozen=True)
class PdfInfo:
    page_count: int
    encrypted: bool
    has_form: bool
    page_sizes: tuple[tuple[float, float], ...]  # (width, height) in points, as displayed
    texts: tuple[str, ...] = ()  # one per page, when asked for
    text_complete: bool = True  # False when the time or size budget cut extraction short


@contextmanager
def pdf_limits(limits: PdfLimits) -> Iterator[None]:
    """pypdf's resource limits, lowered to ``limits`` for everything done inside the block."""
    stream = limits.max_stream_bytes
    with apply_configuration(
        maximum_declared_stream_length=stream,
        array_based_stream_maximum_output_length=stream,
        zlib_maximum_output_length=stream,
        lzw_maximum_output_length=stream,
        run_length_maximum_output_length=stream,
        brotli_maximum_output_length=stream,
        jbig2_maximum_output_length=stream,
        image_maximum_buffer_size=stream,
        stream_decoding_work_maximum_length=2 * stream,
        stream_parsing_work_maximum_count=1_000_000,
        # A balanced page tree has fewer than two nodes per page.
        page_tree_maximum_entries=2 * limits.max_pages + 16,
        page_tree_maximum_depth=32,
        form_fields_maximum_entries=10_000,
        form_fields_maximum_depth=32,
        outline_maximum_entries=10_000,
        outline_maximum_depth=32,
        named_destinations_maximum_entries=10_000,
        xform_maximum_invocations_per_extraction=1_000,
        jbig2dec_binary=None,  # never run an external decoder on hostile bytes
        disable_legacy_handling=True,
    ):
        yield


@contextmanager
def refusing(field: str) -> Iterator[None]:
    """Turns a parser failure inside the block into a ``ValidationFailed`` naming ``field``."""
    try:
        yield
    except DomainError:
        raise
    except LimitReachedError as exc:
        raise ValidationFailed.one(field, "is too large or too complex to process safely") from exc
    except RecursionError as exc:
        raise ValidationFailed.one(field, "is nested too deeply to process safely") from exc
    except _FAULTS_OR_MEMORY as exc:
        raise ValidationFailed.one(field, "is not a readable PDF") from exc


def is_pdf(data: bytes) -> bool:
    return PDF_HEADER in data[:HEADER_WINDOW]


@contextmanager
def open_pdf(
    data: bytes, *, field: str = "file", limits: PdfLimits = DEFAULT_LIMITS, allow_encrypted: bool = False
) -> Iterator[PdfReader]:
    """A checked reader of ``data``; the caller's work on it inside the block runs under the same limits."""
    with pdf_limits(limits), refusing(field):
        yield checked_reader(data, field, limits, allow_encrypted)


def checked_reader(data: bytes, field: str, limits: PdfLimits, allow_encrypted: bool = False) -> PdfReader:
    if not isinstance(data, bytes | bytearray) or not data:
        raise ValidationFailed.one(field, "is empty")
    if not is_pdf(data):
        raise ValidationFailed.one(field, "is not a PDF")
    reader = PdfReader(io.BytesIO(data), strict=False, xref_stream_maximum_entries=limits.max_objects)
    if object_count(reader) > limits.max_objects:
        raise ValidationFailed.one(field, f"has more than {limits.max_objects} objects")
    if reader.is_encrypted:
        _decrypt_or_refuse(reader, field, allow_encrypted)
    _check_pages(reader, field, limits)
    _check_streams(reader, field, limits)
    return reader


def object_count(reader: PdfReader) -> int:
    in_table = sum(len(entries) for entries in reader.xref.values())
    return in_table + len(reader.xref_objStm)


def _decrypt_or_refuse(reader: PdfReader, field: str, allow_encrypted: bool) -> None:
    message = "is encrypted; upload it without password protection"
    if not allow_encrypted:
        raise ValidationFailed.one(field, message)
    # Only a document anyone may open (an empty user password, restrictions aside) is read.
    try:
        opened = reader.decrypt("")
    except _FAULTS_OR_MISSING_CRYPTO as exc:
        raise ValidationFailed.one(field, message) from exc
    if not opened:
        raise ValidationFailed.one(field, message)


def _check_pages(reader: PdfReader, field: str, limits: PdfLimits) -> None:
    declared = reader.root_object.get("/Pages", DictionaryObject()).get_object().get("/Count", 0)
    # The declared count refuses an honest giant at once; the walk below catches a lying one.
    if isinstance(declared, int) and declared > limits.max_pages:
        raise ValidationFailed.one(field, f"has more than {limits.max_pages} pages")
    try:
        count = len(reader.pages)
    except LimitReachedError as exc:
        raise ValidationFailed.one(field, f"has more than {limits.max_pages} pages") from exc
    if count == 0:
        raise ValidationFailed.one(field, "has no pages")
    if count > limits.max_pages:
        raise ValidationFailed.one(field, f"has more than {limits.max_pages} pages")
    for index, page in enumerate(reader.pages):
        width, height = page_size(page)
        sides_ok = all(
            math.isfinite(s) and MIN_PAGE_SIDE <= s <= limits.max_page_side for s in (width, height)
        )
        if not sides_ok:
            raise ValidationFailed.one(
                field, f"page {index + 1} has an impossible size ({width} x {height} pt)"
            )


def page_size(page: DictionaryObject) -> tuple[float, float]:
    """The page's visible (crop box) size in points, ``/UserUnit`` and ``/Rotate`` applied."""
    box = page.cropbox  # type: ignore[attr-defined]
    unit = float(page.get("/UserUnit", 1))
    width, height = abs(float(box.width)) * unit, abs(float(box.height)) * unit
    return (height, width) if page.rotation % 180 == 90 else (width, height)  # type: ignore[attr-defined]


def _check_streams(reader: PdfReader, field: str, limits: PdfLimits) -> None:
    """Decodes every stream once, without keeping it: a bomb anywhere is refused here."""
    decoded = 0
    for number, generation in _object_numbers(reader):
        stream = reader.get_object(IndirectObject(number, generation, reader))
        if not isinstance(stream, StreamObject) or "/Filter" not in stream:
            continue
        try:
            decoded += len(decode_stream_data(stream))
        except (LimitReachedError, MemoryError) as exc:
            raise ValidationFailed.one(field, "has a stream that decompresses past the size limit") from exc
        except PARSER_FAULTS:
            continue  # damaged or exotic (JBIG2, Crypt) but not a bomb: viewers cope, and so do copies
        if decoded > limits.max_decoded_bytes:
            raise ValidationFailed.one(field, "decompresses past the document size limit")


def _object_numbers(reader: PdfReader) -> list[tuple[int, int]]:
    """(number, generation) of every object the cross-reference table lists."""
    listed = {(number, generation) for generation, entries in reader.xref.items() for number in entries}
    return sorted(listed | {(number, 0) for number in reader.xref_objStm})


def inspect_pdf(
    data: bytes,
    *,
    field: str = "file",
    limits: PdfLimits = DEFAULT_LIMITS,
    text: bool = False,
    allow_encrypted: bool = False,
) -> PdfInfo:
    """Page count, sizes and form presence of a PDF that passed every check; its text if asked."""
    with open_pdf(data, field=field, limits=limits, allow_encrypted=allow_encrypted) as reader:
        sizes = tuple(page_size(page) for page in reader.pages)
        encrypted = reader.is_encrypted
        has_form = "/AcroForm" in reader.root_object
    # Text comes from PDFium, some fifty times faster than pypdf's extraction, once pypdf's checks passed.
    texts, complete = extract_texts(data, limits) if text and not encrypted else ((), not text)
    return PdfInfo(
        page_count=len(sizes),
        encrypted=encrypted,
        has_form=has_form,
        page_sizes=sizes,
        texts=texts,
        text_complete=complete,
    )


def extract_texts(data: bytes, limits: PdfLimits) -> tuple[tuple[str, ...], bool]:
    """Each page's text, bounded per page, per document and in time; an unreadable page is empty."""
    deadline = time.monotonic() + limits.text_seconds
    budget = limits.max_text_chars
    texts: list[str] = []
    complete = True
    try:
        with pdfium_document(data) as document:
            for index in range(len(document)):
                if budget <= 0 or time.monotonic() > deadline:
                    complete = False
                    texts.append("")
                    continue
                try:
                    raw = page_text(document, index)
                except pdfium.PdfiumError:
                    raw, complete = "", False
                cleaned = _UNSTORABLE.sub("", raw)
                kept = cleaned[: min(limits.max_page_chars, budget)]
                complete = complete and len(kept) == len(cleaned)
                budget -= len(kept)
                texts.append(kept)
    except ValidationFailed:  # pypdf read it, PDFium cannot: stored all the same, without its text
        return (), False
    return tuple(texts), complete


def write_pdf(writer: PdfWriter) -> bytes:
    """The writer's document, without the objects no page or catalogue entry reaches any more."""
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

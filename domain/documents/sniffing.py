"""The content type of a file, from its bytes: what a client claims is a hint, never the answer.

Only types a browser cannot be tricked into running are answered: HTML, SVG or XML uploaded as text
come back as ``text/plain``, so a stored file can never be served as a page of this origin.
"""

from __future__ import annotations

import io
import zipfile

from domain.documents.pdf import is_pdf
from domain.errors import ValidationFailed

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
TEXT = "text/plain"
CSV = "text/csv"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
OCTET_STREAM = "application/octet-stream"

EXTENSIONS = {
    PDF: ".pdf",
    PNG: ".png",
    JPEG: ".jpg",
    GIF: ".gif",
    WEBP: ".webp",
    TEXT: ".txt",
    CSV: ".csv",
    DOCX: ".docx",
    XLSX: ".xlsx",
    ZIP: ".zip",
    OCTET_STREAM: ".bin",
}
_TEXT_WINDOW = 8192  # bytes looked at to tell text from binary
_MAX_ZIP_MEMBERS = 10_000  # a central directory listing more is not an office document we read
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}  # tab, newline, form feed, carriage return are text


def sniff_content_type(
    data: bytes, *, claimed: str | None = None, filename: str | None = None, field: str = "file"
) -> str:
    """The type the bytes are. A file claimed to be a PDF (by type or by name) that is not one is refused."""
    sniffed = _sniff(data)
    if sniffed != PDF and _claims_pdf(claimed, filename):
        raise ValidationFailed.one(field, "is not a PDF (its content is not a PDF document)")
    if sniffed == TEXT and _claims_csv(claimed, filename):
        return CSV
    return sniffed


def _sniff(data: bytes) -> str:
    head = data[:16]
    if is_pdf(data):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if _is_text(data):
        return TEXT
    return OCTET_STREAM


def _zip_kind(data: bytes) -> str:
    """DOCX and XLSX are ZIP files told apart by their members' names; only the directory is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return OCTET_STREAM
    if len(infos) > _MAX_ZIP_MEMBERS:
        return ZIP
    names = {info.filename for info in infos}
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return ZIP


def _is_text(data: bytes) -> bool:
    window = data[:_TEXT_WINDOW].removeprefix(b"\xef\xbb\xbf")
    if not window:
        return False
    try:
        decoded = window.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A window cut inside a multi-byte character is still text.
        if exc.start < len(window) - 3 or len(data) <= _TEXT_WINDOW:
            return False
        decoded = window[: exc.start].decode("utf-8")
    return not any(ord(ch) in _CONTROL or ch == "\x7f" for ch in decoded)


def _claims_pdf(claimed: str | None, filename: str | None) -> bool:
    return _base_type(claimed) == PDF or (filename or "").lower().rstrip(". ").endswith(".pdf")


def _claims_csv(claimed: str | None, filename: str | None) -> bool:
    return _base_type(claimed) == CSV or (filename or "").lower().endswith(".csv")


def _base_type(claimed: str | None) -> str:
    return (claimed or "").split(";", 1)[0].strip().lower()

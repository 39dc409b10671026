"""Several documents as one download: a ZIP with safe, unique file names, or one PDF with an outline."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import datetime

from domain.documents.pdf import DEFAULT_LIMITS, PdfLimits, is_pdf
from domain.documents.pdf_pages import MAX_DOCUMENTS, merge_pdfs
from domain.documents.sniffing import EXTENSIONS, JPEG, TEXT, sniff_content_type
from domain.errors import ValidationFailed

MAX_NAME = 100  # characters of one file name, its extension included
MAX_PACKAGE_BYTES = 512 * 1024 * 1024
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_UNSAFE = re.compile(r'[<>:"/\\|?*]')
# Names Windows gives to devices, whatever the extension: "nul.pdf" cannot be created there.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
)
_ALSO_FINE = {JPEG: (".jpeg",), TEXT: (".text", ".log", ".md")}


def package_zip(documents: Sequence[tuple[str, bytes]], *, modified: datetime | None = None) -> bytes:
    """A ZIP of ``documents`` (name, bytes): every name made safe to extract anywhere, and unique."""
    _check_documents(documents)
    names = safe_file_names([(name, sniff_content_type(data)) for name, data in documents])
    stamp = modified.timetuple()[:6] if modified and modified.year >= 1980 else ZIP_EPOCH
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, (_, data) in zip(names, documents, strict=True):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16  # a plain file, readable: never executable, never a link
            archive.writestr(info, data)
    return out.getvalue()


def package_pdf(
    documents: Sequence[tuple[str, bytes]], *, bookmarks: bool = True, limits: PdfLimits = DEFAULT_LIMITS
) -> bytes:
    """One PDF of ``documents`` (title, bytes), an outline entry per document; each must be a PDF."""
    _check_documents(documents)
    for index, (_, data) in enumerate(documents):
        if not is_pdf(data):
            raise ValidationFailed.one(
                f"documents.{index}", "is not a PDF; only PDFs can be packaged as one PDF"
            )
    return merge_pdfs(documents, bookmarks=bookmarks, limits=limits)


def _check_documents(documents: Sequence[tuple[str, bytes]]) -> None:
    if isinstance(documents, str | bytes) or not isinstance(documents, Sequence) or not documents:
        raise ValidationFailed.one("documents", "must list at least one document")
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationFailed.one("documents", f"must list at most {MAX_DOCUMENTS} documents")
    total = 0
    for index, entry in enumerate(documents):
        if not isinstance(entry, tuple) or len(entry) != 2 or not isinstance(entry[1], bytes):
            raise ValidationFailed.one(f"documents.{index}", "must be a name and the document's bytes")
        total += len(entry[1])
    if total > MAX_PACKAGE_BYTES:
        raise ValidationFailed.one("documents", f"together exceed {MAX_PACKAGE_BYTES // (1024 * 1024)} MB")


def safe_file_names(entries: Sequence[tuple[str, str]]) -> list[str]:
    """A file name per (name, content type): no directory, no control or reserved character, no device
    name, an extension matching the content, and no two alike even where case does not count."""
    taken: set[str] = set()
    names = []
    for name, content_type in entries:
        stem, extension = _split(_clean(name), content_type)
        candidate = f"{stem}{extension}"
        counter = 2
        while candidate.casefold() in taken:
            suffix = f" ({counter})"
            candidate = f"{stem[: MAX_NAME - len(extension) - len(suffix)]}{suffix}{extension}"
            counter += 1
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def _clean(name: object) -> str:
    text = unicodedata.normalize("NFC", name if isinstance(name, str) else "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]  # a path keeps its last part only
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"})
    text = _UNSAFE.sub("_", " ".join(text.split()))
    return text.strip(" .")


def _split(name: str, content_type: str) -> tuple[str, str]:
    """(stem, extension) where the extension is the one the content calls for."""
    wanted = EXTENSIONS.get(content_type, ".bin")
    fine = (wanted, *_ALSO_FINE.get(content_type, ()))
    dot = name.rfind(".")
    stem, extension = (name[:dot], name[dot:]) if dot > 0 else (name, "")
    if extension.lower() not in fine:
        stem, extension = name, wanted  # "invoice.html" holding text is "invoice.html.txt"
    stem = stem.strip(" .") or "document"
    if stem.split(".", 1)[0].strip().lower() in _RESERVED:
        stem = f"_{stem}"
    return stem[: MAX_NAME - len(extension)].rstrip(" ."), extension

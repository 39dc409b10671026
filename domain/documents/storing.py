"""The one content check every stored document version passes, and the store-then-record order.

Checking: the type is sniffed from the bytes (a file named or declared ``.pdf`` that is not a PDF
is refused); a PDF is opened with the tenant's page cap and refused when encrypted, damaged or a bomb
(``pdf.inspect_pdf``); its page count and a bounded extract of its text are kept for the row.

Storing: objects are content-addressed and ``put`` is idempotent, so the bytes are stored first and
the row recorded after, in the caller's transaction. A crash in between leaves an object no row
names; content is only ever served through a row, so such an object is never reached.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from adapters.storage import ObjectStore, StoredObject
from domain.documents import sniffing
from domain.documents.pdf import DEFAULT_LIMITS, inspect_pdf
from domain.documents.schemas import DocumentLimits
from domain.errors import PayloadTooLarge, ValidationFailed

MAX_TEXT_CHARS = 200_000  # extracted text kept per version, for search


@dataclass(frozen=True)
class CheckedContent:
    content_type: str
    page_count: int | None
    text: str | None


def check_content(
    content: bytes,
    *,
    limits: DocumentLimits,
    filename: str | None = None,
    claimed_type: str | None = None,
    field: str = "file",
) -> CheckedContent:
    """What the bytes are, or a 413/422 saying why they cannot be stored."""
    if len(content) > limits.max_bytes:
        raise PayloadTooLarge(f"The content is larger than {limits.max_bytes} bytes.", limits.max_bytes)
    if not content:
        raise ValidationFailed.one(field, "is empty")
    content_type = sniffing.sniff_content_type(content, claimed=claimed_type, filename=filename, field=field)
    if content_type != sniffing.PDF:
        return CheckedContent(content_type, None, None)
    pdf_limits = replace(DEFAULT_LIMITS, max_pages=limits.max_pages, max_text_chars=MAX_TEXT_CHARS)
    info = inspect_pdf(content, field=field, limits=pdf_limits, text=True)
    text = "\f".join(info.texts)[:MAX_TEXT_CHARS]
    return CheckedContent(content_type, info.page_count, text)


def store_bytes(
    store: ObjectStore, tenant_id: uuid.UUID, content: bytes, limits: DocumentLimits
) -> StoredObject:
    """The bytes in the object store (once per tenant, whoever stored them first)."""
    return store.put(tenant_id, [content], max_bytes=limits.max_bytes)

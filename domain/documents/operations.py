"""PDF operations on stored documents: merge, split, stamp, fill a form, package.

Each reads the caller's documents through the service (tenant, soft delete and readiness checked
there), runs the pure operation of ``pdf_pages``/``pdf_stamp``/``pdf_forms``/``pdf_package`` on the
bytes, and stores the result as a new document or a new version, with its own history. The inputs
are bounded (how many documents, how many bytes together) before any byte is read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models import Document, DocumentVersion
from domain.context import TenantContext
from domain.documents import service
from domain.documents.operation_schemas import (
    FillIn,
    FormFieldOut,
    MergeIn,
    PackageIn,
    SplitIn,
    StampIn,
)
from domain.documents.pdf import PdfLimits
from domain.documents.pdf_forms import fill_form, list_fields
from domain.documents.pdf_package import package_pdf, package_zip
from domain.documents.pdf_pages import merge_pdfs, split_pdf
from domain.documents.pdf_stamp import stamp_pdf
from domain.documents.schemas import DocumentLimits, EntityLink
from domain.documents.sniffing import PDF
from domain.errors import PayloadTooLarge

# Several inputs together may be larger than one stored document: a merge of many small files is
# the common case. The result itself is checked against the document limits when it is stored.
INPUT_BYTES_FACTOR = 4


def _pdf_limits(limits: DocumentLimits) -> PdfLimits:
    return PdfLimits(max_pages=limits.max_pages)


def _sources(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    ids: Sequence[uuid.UUID],
    limits: DocumentLimits,
) -> list[tuple[Document, DocumentVersion, bytes]]:
    """Each document's current version and bytes, in order; sizes summed from the rows before reading."""
    ctx.require(service.WRITE)
    rows = [service.get_version(session, ctx, document_id) for document_id in ids]
    budget = limits.max_bytes * INPUT_BYTES_FACTOR
    if sum(version.size for _, version in rows) > budget:
        raise PayloadTooLarge(f"The documents together are larger than {budget} bytes.", budget)
    return [(doc, version, b"".join(store.read(ctx.tenant_id, version.storage_key))) for doc, version in rows]


def _current(session: Session, ctx: TenantContext, store: ObjectStore, document_id: uuid.UUID) -> bytes:
    ctx.require(service.WRITE)
    return service.read_content(session, ctx, store, document_id)[1]


def _link(doc: Document) -> EntityLink | None:
    if doc.entity_type is None or doc.entity_id is None:
        return None
    return EntityLink(type=doc.entity_type, id=doc.entity_id)


def _edited(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    document_id: uuid.UUID,
    pdf: bytes,
    limits: DocumentLimits,
    source: str,
    note: str,
) -> DocumentVersion:
    """An edit of the document's PDF, stored as its next version."""
    return service.add_version(
        session, ctx, store, document_id, pdf, source=source, note=note, limits=limits, claimed_type=PDF
    )


def _combined(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    body: MergeIn | PackageIn,
    sources: Sequence[tuple[Document, DocumentVersion, bytes]],
    content: bytes,
    claimed_type: str,
    limits: DocumentLimits,
    *,
    source: str,
    default_type: str,
) -> Document:
    """A new document made of several: named, typed and linked as the body asks (of ``default_type``
    when it names none), its version noting the documents it was made from."""
    made = {"merge": "merged", "package": "packaged"}[source]
    return service.create_document(
        session,
        ctx,
        store,
        name=body.name,
        document_type=body.document_type or default_type,
        content=content,
        source=source,
        entity=body.entity,
        metadata=body.metadata,
        note=f"{made} from " + ", ".join(str(doc.id) for doc, _, _ in sources),
        limits=limits,
        claimed_type=claimed_type,
    )


def merge(
    session: Session, ctx: TenantContext, store: ObjectStore, body: MergeIn, limits: DocumentLimits
) -> Document:
    """One new PDF of the documents in order, with an outline entry per source when asked."""
    sources = _sources(session, ctx, store, body.documents, limits)
    merged = merge_pdfs(
        [(doc.name, data) for doc, _, data in sources],
        bookmarks=body.bookmarks,
        limits=_pdf_limits(limits),
    )
    first_type = sources[0][0].document_type
    return _combined(
        session, ctx, store, body, sources, merged, PDF, limits, source="merge", default_type=first_type
    )


def split(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    document_id: uuid.UUID,
    body: SplitIn,
    limits: DocumentLimits,
) -> list[Document]:
    """A new document per range (``"1-2"``, ``"3-"``), named after the source and its pages."""
    data = _current(session, ctx, store, document_id)
    doc = service.get_document(session, ctx, document_id)
    parts = split_pdf(data, body.ranges, limits=_pdf_limits(limits))
    return [
        service.create_document(
            session,
            ctx,
            store,
            name=f"{doc.name} (pages {text.strip()})"[:255],
            document_type=doc.document_type,
            content=part,
            source="split",
            entity=_link(doc),
            note=f"pages {text.strip()} of {doc.id}",
            limits=limits,
            claimed_type=PDF,
        )
        for text, part in zip(body.ranges, parts, strict=True)
    ]


def stamp(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    document_id: uuid.UUID,
    body: StampIn,
    limits: DocumentLimits,
) -> DocumentVersion:
    """The text drawn on the chosen pages, as the document's next version."""
    data = _current(session, ctx, store, document_id)
    stamped = stamp_pdf(
        data,
        body.text,
        pages=body.pages,
        position=body.position,
        diagonal=body.diagonal,
        limits=_pdf_limits(limits),
    )
    return _edited(session, ctx, store, document_id, stamped, limits, "stamp", f"stamped {body.text!r}")


def form_fields(
    session: Session, ctx: TenantContext, store: ObjectStore, document_id: uuid.UUID, limits: DocumentLimits
) -> list[FormFieldOut]:
    """The AcroForm fields of the current version (none for a PDF without a form)."""
    _, data = service.read_content(session, ctx, store, document_id)
    fields = list_fields(data, limits=_pdf_limits(limits))
    return [FormFieldOut.model_validate(field, from_attributes=True) for field in fields]


def fill(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    document_id: uuid.UUID,
    body: FillIn,
    limits: DocumentLimits,
) -> DocumentVersion:
    """The form filled (and flattened when asked) as the document's next version."""
    data = _current(session, ctx, store, document_id)
    filled = fill_form(data, body.fields, flatten=body.flatten, limits=_pdf_limits(limits))
    note = "form filled and flattened" if body.flatten else "form filled"
    return _edited(session, ctx, store, document_id, filled, limits, "fill", note)


def package(
    session: Session, ctx: TenantContext, store: ObjectStore, body: PackageIn, limits: DocumentLimits
) -> Document:
    """The documents as one zip (any content types, safe unique names) or one PDF (PDFs only)."""
    sources = _sources(session, ctx, store, body.documents, limits)
    if body.format == "zip":
        content = package_zip([(doc.name, data) for doc, _, data in sources])
        claimed = "application/zip"
    else:
        content = package_pdf([(doc.name, data) for doc, _, data in sources], limits=_pdf_limits(limits))
        claimed = PDF
    return _combined(
        session, ctx, store, body, sources, content, claimed, limits, source="package", default_type="package"
    )

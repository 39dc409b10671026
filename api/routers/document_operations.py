"""PDF operations on documents (merge, split, stamp, form fields and fill, package) and document search.

Each result is a document or a version with its own history; the inputs are the caller's ready
documents. The work is CPU-bound pypdf on bytes bounded by the document limits, done in the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Response
from fastapi.types import DecoratedCallable

from api.deps import Ctx, Db, FilesDep, IndexDep
from api.envelope import Envelope, created, errors, success
from domain.documents import operations
from domain.documents import search as document_search
from domain.documents.operation_schemas import (
    DocumentSearchIn,
    DocumentSearchOut,
    FillIn,
    FormFieldOut,
    MergeIn,
    PackageIn,
    SplitIn,
    SplitOut,
    StampIn,
)
from domain.documents.schemas import DocumentOut, DocumentVersionOut
from domain.documents.service import document_out

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])
ITEM = "/{document_id}"
MAKES = errors(403, 404, 409, 413)


def _operation(path: str, out: Any, summary: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """An operation that makes a document or a version (201) from the caller's ready documents."""
    return router.post(path, status_code=201, response_model=Envelope[out], responses=MAKES, summary=summary)


def _document(response: Response, row: Any) -> dict[str, Any]:
    return created(response, f"/api/v1/documents/{row.id}", document_out(row).model_dump(mode="json"))


def _version(response: Response, row: Any) -> dict[str, Any]:
    out = DocumentVersionOut.model_validate(row).model_dump(mode="json")
    return created(response, f"/api/v1/documents/{row.document_id}/content?version={row.version}", out)


@_operation(
    "/merge", DocumentOut, "Merge PDFs into a new document, in order, with an outline entry per source"
)
def merge(body: MergeIn, ctx: Ctx, session: Db, files: FilesDep, response: Response) -> dict[str, Any]:
    return _document(response, operations.merge(session, ctx, files.store, body, files.limits))


@_operation(
    "/package",
    DocumentOut,
    "Package documents into a new document: a zip of any files, or one PDF with an outline",
)
def package(body: PackageIn, ctx: Ctx, session: Db, files: FilesDep, response: Response) -> dict[str, Any]:
    return _document(response, operations.package(session, ctx, files.store, body, files.limits))


@router.post(
    "/search",
    response_model=Envelope[DocumentSearchOut],
    responses=errors(403, 503),
    summary="Search documents by name and by the text of their current version (Typesense)",
)
def search(body: DocumentSearchIn, ctx: Ctx, session: Db, index: IndexDep) -> dict[str, Any]:
    return success(document_search.search(session, ctx, index, body).model_dump(mode="json"))


@_operation(
    ITEM + "/split",
    SplitOut,
    'Split a PDF into new documents, one per page range ("1-2", "3-", "-4", "5")',
)
def split(
    document_id: uuid.UUID, body: SplitIn, ctx: Ctx, session: Db, files: FilesDep, response: Response
) -> dict[str, Any]:
    rows = operations.split(session, ctx, files.store, document_id, body, files.limits)
    out = SplitOut(documents=[document_out(row) for row in rows]).model_dump(mode="json")
    return created(response, f"/api/v1/documents/{rows[0].id}", out)


@_operation(
    ITEM + "/stamp",
    DocumentVersionOut,
    'Stamp a short text ("PAID", "COPY") on pages of a PDF; the result is its new version',
)
def stamp(
    document_id: uuid.UUID, body: StampIn, ctx: Ctx, session: Db, files: FilesDep, response: Response
) -> dict[str, Any]:
    return _version(response, operations.stamp(session, ctx, files.store, document_id, body, files.limits))


@router.get(
    ITEM + "/fields",
    response_model=Envelope[list[FormFieldOut]],
    responses=errors(403, 404, 409),
    summary="The AcroForm fields of a PDF's current version: name, type, value, options, page",
)
def fields(document_id: uuid.UUID, ctx: Ctx, session: Db, files: FilesDep) -> dict[str, Any]:
    found = operations.form_fields(session, ctx, files.store, document_id, files.limits)
    return success([field.model_dump(mode="json") for field in found])


@_operation(
    ITEM + "/fill",
    DocumentVersionOut,
    "Fill a PDF form by field name (and flatten it when asked); the result is its new version",
)
def fill(
    document_id: uuid.UUID, body: FillIn, ctx: Ctx, session: Db, files: FilesDep, response: Response
) -> dict[str, Any]:
    return _version(response, operations.fill(session, ctx, files.store, document_id, body, files.limits))

"""PDF operations on documents (merge, split, stamp, form fields and fill, package) and document search.

Each result is a document or a version with its own history; the inputs are the caller's ready
documents. The work is CPU-bound pypdf on bytes bounded by the document limits, done in the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Response
from sqlalchemy.orm import Session

from api.deps import Ctx, Db, DocumentFiles, FilesDep, IndexDep
from api.envelope import created, success
from api.resource_routes import ResourceRoutes, Route
from db.models import Document, DocumentVersion
from domain.context import TenantContext
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
routes = ResourceRoutes(router, DocumentVersionOut, item="/{document_id}")
MAKES = (409, 413)
"""What an operation on the caller's documents answers besides 403 and 404."""
T = TypeVar("T")


def _operation(below: str, out: Any, summary: str) -> Route:
    """An operation that makes a document (201) from the caller's ready documents."""
    return routes.collection_post(below, 404, *MAKES, model=out, status_code=201, summary=summary)


def _new_version(operation: str, summary: str) -> Route:
    """An operation on one PDF whose result is the document's new version (201)."""
    return routes.post(f"/{operation}", *MAKES, status_code=201, summary=summary)


@dataclass(frozen=True)
class Workbench:
    """What every operation works with: the caller, the request's unit of work, the stored document
    files, and the response that carries the Location of what an operation makes."""

    ctx: TenantContext
    session: Session
    files: DocumentFiles
    response: Response

    def run(self, operation: Callable[..., T], *args: Any) -> T:
        """``operation(session, ctx, store, *args, limits)``: the signature every operation shares."""
        return operation(self.session, self.ctx, self.files.store, *args, self.files.limits)

    def made(self, location: str, out: dict[str, Any]) -> dict[str, Any]:
        return created(self.response, location, out)

    def document(self, row: Document) -> dict[str, Any]:
        return self.made(f"/api/v1/documents/{row.id}", document_out(row).model_dump(mode="json"))

    def version(self, row: DocumentVersion) -> dict[str, Any]:
        out = DocumentVersionOut.model_validate(row).model_dump(mode="json")
        return self.made(f"/api/v1/documents/{row.document_id}/content?version={row.version}", out)


async def _workbench(ctx: Ctx, session: Db, files: FilesDep, response: Response) -> Workbench:
    # async: a plain assembly, run on the event loop rather than through a worker thread
    return Workbench(ctx, session, files, response)


Working = Annotated[Workbench, Depends(_workbench)]


@_operation(
    "/merge", DocumentOut, "Merge PDFs into a new document, in order, with an outline entry per source"
)
def merge(body: MergeIn, work: Working) -> dict[str, Any]:
    return work.document(work.run(operations.merge, body))


@_operation(
    "/package",
    DocumentOut,
    "Package documents into a new document: a zip of any files, or one PDF with an outline",
)
def package(body: PackageIn, work: Working) -> dict[str, Any]:
    return work.document(work.run(operations.package, body))


@routes.collection_post(
    "/search",
    503,
    model=DocumentSearchOut,
    summary="Search documents by name and by the text of their current version (Typesense)",
)
def search(body: DocumentSearchIn, ctx: Ctx, session: Db, index: IndexDep) -> dict[str, Any]:
    return success(document_search.search(session, ctx, index, body).model_dump(mode="json"))


@routes.post(
    "/split",
    *MAKES,
    model=SplitOut,
    status_code=201,
    summary='Split a PDF into new documents, one per page range ("1-2", "3-", "-4", "5")',
)
def split(document_id: uuid.UUID, body: SplitIn, work: Working) -> dict[str, Any]:
    rows: list[Document] = work.run(operations.split, document_id, body)
    out = SplitOut(documents=[document_out(row) for row in rows]).model_dump(mode="json")
    return work.made(f"/api/v1/documents/{rows[0].id}", out)


@_new_version(
    "stamp",
    'Stamp a short text ("PAID", "COPY") on pages of a PDF; the result is its new version',
)
def stamp(document_id: uuid.UUID, body: StampIn, work: Working) -> dict[str, Any]:
    return work.version(work.run(operations.stamp, document_id, body))


@routes.read(
    409,
    below="/fields",
    model=list[FormFieldOut],
    summary="The AcroForm fields of a PDF's current version: name, type, value, options, page",
)
def fields(document_id: uuid.UUID, work: Working) -> dict[str, Any]:
    found: list[FormFieldOut] = work.run(operations.form_fields, document_id)
    return success([field.model_dump(mode="json") for field in found])


@_new_version(
    "fill",
    "Fill a PDF form by field name (and flatten it when asked); the result is its new version",
)
def fill(document_id: uuid.UUID, body: FillIn, work: Working) -> dict[str, Any]:
    return work.version(work.run(operations.fill, document_id, body))

"""The console's documents: the list (newest first, filtered by type and by the record they belong
to) and a document's page: its facts, a preview of its pages (``GET /api/v1/documents/{id}/pages/{n}``
for a PDF, the content itself for an image), its versions and their downloads (``GET /api/v1/
documents/{id}/content``). The browser sends the session cookie with those GETs: no private route."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from db.models import DocumentVersion
from domain.context import TenantContext
from domain.documents import service
from domain.queries import live
from web.console import i18n, views

router = APIRouter(prefix="/app/documents", include_in_schema=False)
PAGE = 100  # the list shows the newest hundred that match
PREVIEW_PAGES = 20  # a long PDF's preview links to its first pages; the download has them all
IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")

i18n.extend(
    {
        "en": {
            "documents_title": "Documents",
            "documents_empty": "No document matches. Documents appear here when a process generates "
            "one or someone uploads one (POST /api/v1/documents).",
            "documents_type": "Type",
            "documents_record": "Record type",
            "documents_name": "Name",
            "documents_version": "Version",
            "documents_size": "Size",
            "documents_updated": "Updated",
            "documents_status_ready": "ready",
            "documents_status_generating": "being generated",
            "documents_status_failed": "failed",
            "documents_preview": "Preview",
            "documents_page": "Page",
            "documents_page_alt": "Page {n} of {name}",
            "documents_no_preview": "No preview for this kind of file: download it.",
            "documents_download": "Download",
            "documents_versions": "Versions",
            "documents_pages": "Pages",
            "documents_source": "Source",
            "documents_note": "Note",
        },
        "fr": {
            "documents_title": "Documents",
            "documents_empty": "Aucun document ne correspond. Les documents apparaissent ici quand un "
            "processus en génère un ou que quelqu'un en dépose un (POST /api/v1/documents).",
            "documents_type": "Type",
            "documents_record": "Type de fiche",
            "documents_name": "Nom",
            "documents_version": "Version",
            "documents_size": "Taille",
            "documents_updated": "Modifié le",
            "documents_status_ready": "prêt",
            "documents_status_generating": "en cours de génération",
            "documents_status_failed": "en échec",
            "documents_preview": "Aperçu",
            "documents_page": "Page",
            "documents_page_alt": "Page {n} de {name}",
            "documents_no_preview": "Pas d'aperçu pour ce type de fichier : téléchargez-le.",
            "documents_download": "Télécharger",
            "documents_versions": "Versions",
            "documents_pages": "Pages",
            "documents_source": "Origine",
            "documents_note": "Note",
        },
    }
)


def _listing(document_type: str, entity_type: str) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        rows, _ = service.list_documents(
            session,
            ctx,
            document_type=document_type or None,
            entity_type=entity_type or None,
            limit=PAGE,
            cursor=None,
        )
        return {"rows": rows, "zone": views.zone(session, ctx)}

    return read


@router.get("")
async def document_list(
    request: Request,
    document_type: Annotated[str, Query(alias="type", max_length=100)] = "",
    entity_type: Annotated[str, Query(alias="record", max_length=100)] = "",
) -> Response:
    asked = {"type": document_type, "record": entity_type}
    return await views.rendered(request, _listing(document_type, entity_type), "documents.html", asked=asked)


def _document(document_id: uuid.UUID) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        doc = service.get_document(session, ctx, document_id)
        versions = session.scalars(
            live(ctx, DocumentVersion)
            .where(DocumentVersion.document_id == doc.id)
            .order_by(DocumentVersion.version.desc())
        )
        pdf = doc.version > 0 and doc.content_type == "application/pdf"
        return {
            "doc": doc,
            "versions": list(versions),
            "pages": range(1, min(doc.page_count or 1, PREVIEW_PAGES) + 1) if pdf else range(0),
            "image": doc.version > 0 and doc.content_type in IMAGES,
            "zone": views.zone(session, ctx),
        }

    return read


@router.get("/{document_id}")
async def document_page(request: Request, document_id: str) -> Response:
    return await views.shown(request, "document", document_id, _document, "document.html")

"""Document templates: Jinja2 HTML and CSS to PDF, versioned, checked at save, previewed as PDF or PNG."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.deps import Ctx, Cursor, Db, DocumentFiles, FilesDep, IfMatch, Limit
from api.envelope import created, models_page, success
from api.etag import check_if_match, etag
from api.resource_routes import ResourceRoutes
from domain.context import TenantContext
from domain.documents import templates
from domain.documents.schemas import (
    TEMPLATE_KEY,
    DocumentTemplateCreate,
    DocumentTemplateIn,
    DocumentTemplateOut,
    DocumentTemplatePatch,
    DocumentTemplateSummary,
    DocumentTemplateVersionOut,
    PreviewIn,
)
from domain.documents.templates import TemplateView
from domain.outputs import from_row

router = APIRouter(prefix="/api/v1/document-templates", tags=["document templates"])
routes = ResourceRoutes(router, DocumentTemplateOut, item="/{key}")
Key = Annotated[str, Path(min_length=1, max_length=100, pattern=TEMPLATE_KEY)]
SAVE_CHECK = (
    "; it must render with its sample_data in the sandbox (422 naming the field and the template line "
    "otherwise: missing data, unsafe code, a URL other than data: or asset:<name>, too many pages)"
)


def _etag(view: TemplateView) -> str:
    return etag(view.template.id, view.template.updated_at)


def _answer(view: TemplateView, response: Response) -> dict[str, Any]:
    response.headers["ETag"] = _etag(view)
    return view.out().model_dump(mode="json")


@routes.create(
    409,
    summary="Create a template (version 1)" + SAVE_CHECK,
)
def create_template(
    body: DocumentTemplateCreate, ctx: Ctx, session: Db, files: FilesDep, response: Response
) -> dict[str, Any]:
    view = templates.create_template(session, ctx, files.store, body, files.limits)
    return created(response, f"/api/v1/document-templates/{view.template.key}", _answer(view, response))


@routes.listing(
    model=list[DocumentTemplateSummary],
    summary="The tenant's templates, newest first (without their content)",
)
def list_templates(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    rows, next_cursor = templates.list_templates(session, ctx, limit=limit, cursor=cursor)
    out = (from_row(DocumentTemplateSummary, r, version=r.current_version) for r in rows)
    return models_page(out, limit=limit, next_cursor=next_cursor)


@routes.read(
    summary="A template's current version (or ?version=N), with its ETag",
)
def get_template(
    key: Key, ctx: Ctx, session: Db, response: Response, version: Annotated[int | None, Query(ge=1)] = None
) -> dict[str, Any]:
    return success(_answer(templates.get_template(session, ctx, key, version), response))


@dataclass(frozen=True)
class NewVersion:
    """Saving a new version of the template in the path, If-Match guarded, answered with its ETag."""

    key: str
    ctx: TenantContext
    session: Session
    files: DocumentFiles
    response: Response
    if_match: str | None

    def save(self, body: DocumentTemplateIn | DocumentTemplatePatch) -> dict[str, Any]:
        current = templates.current_for_update(self.session, self.ctx, self.key)
        check_if_match(self.if_match, _etag(current))
        full = templates.merged(current, body) if isinstance(body, DocumentTemplatePatch) else body
        files = self.files
        view = templates.update_template(self.session, self.ctx, files.store, current, full, files.limits)
        return success(_answer(view, self.response))


def _new_version(
    key: Key, ctx: Ctx, session: Db, files: FilesDep, response: Response, if_match: IfMatch = None
) -> NewVersion:
    return NewVersion(key, ctx, session, files, response, if_match)


Saving = Annotated[NewVersion, Depends(_new_version)]


@routes.put(
    412, summary="Replace the template with a new version; If-Match guards lost updates (412)" + SAVE_CHECK
)
def replace_template(body: DocumentTemplateIn, new: Saving) -> dict[str, Any]:
    return new.save(body)


@routes.patch(
    412, summary="Change some fields in a new version; If-Match guards lost updates (412)" + SAVE_CHECK
)
def patch_template(body: DocumentTemplatePatch, new: Saving) -> dict[str, Any]:
    return new.save(body)


@routes.delete(
    summary="Delete a template; documents generated from it keep their content",
)
def delete_template(key: Key, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    return success(_answer(templates.delete_template(session, ctx, key), response))


@routes.read(
    below="/versions",
    model=list[DocumentTemplateVersionOut],
    summary="A template's versions, newest first",
)
def list_versions(
    key: Key, ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None
) -> dict[str, Any]:
    rows, next_cursor = templates.list_versions(session, ctx, key, limit=limit, cursor=cursor)
    return models_page(
        (DocumentTemplateVersionOut.model_validate(r) for r in rows), limit=limit, next_cursor=next_cursor
    )


@routes.post(
    "/preview",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}, "image/png": {}},
            "description": "the PDF, or page 1 as PNG",
        }
    },
    summary="Render the template with {data} (its sample data when omitted) as a PDF, or page 1 as a PNG "
    "with ?format=png; nothing is stored",
)
async def preview_template(
    key: Key,
    body: PreviewIn,
    ctx: Ctx,
    session: Db,
    files: FilesDep,
    format: Literal["pdf", "png"] = Query("pdf"),
) -> Response:
    def render() -> bytes:
        return templates.preview(
            session,
            ctx,
            files.store,
            key,
            body.data,
            files.limits,
            version=body.version,
            png=format == "png",
        )

    content = await run_in_threadpool(render)
    media_type = "image/png" if format == "png" else "application/pdf"
    disposition = f'inline; filename="{key}-preview.{format}"'
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )

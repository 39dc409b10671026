"""Document templates: Jinja2 HTML and CSS to PDF, versioned, checked at save, previewed as PDF or PNG."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from adapters.storage import object_store
from api.deps import Ctx, Cursor, Db, IfMatch, Limit, SettingsDep
from api.envelope import Envelope, created, errors, models_page, success
from api.etag import check_if_match, etag
from domain.documents import templates
from domain.documents.schemas import (
    TEMPLATE_KEY,
    DocumentLimits,
    DocumentTemplateCreate,
    DocumentTemplateIn,
    DocumentTemplateOut,
    DocumentTemplatePatch,
    DocumentTemplateSummary,
    DocumentTemplateVersionOut,
    PreviewIn,
)
from domain.documents.templates import TemplateView
from keel.settings import Settings

router = APIRouter(prefix="/api/v1/document-templates", tags=["document templates"])
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


def _limits(settings: Settings) -> DocumentLimits:
    return DocumentLimits.of(settings)


@router.post(
    "",
    status_code=201,
    response_model=Envelope[DocumentTemplateOut],
    responses=errors(403, 409),
    summary="Create a template (version 1)" + SAVE_CHECK,
)
def create_template(
    body: DocumentTemplateCreate, ctx: Ctx, session: Db, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    view = templates.create_template(session, ctx, object_store(settings), body, _limits(settings))
    return created(response, f"/api/v1/document-templates/{view.template.key}", _answer(view, response))


@router.get(
    "",
    response_model=Envelope[list[DocumentTemplateSummary]],
    responses=errors(403),
    summary="The tenant's templates, newest first (without their content)",
)
def list_templates(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    rows, next_cursor = templates.list_templates(session, ctx, limit=limit, cursor=cursor)
    out = (
        DocumentTemplateSummary(
            id=r.id,
            key=r.key,
            name=r.name,
            version=r.current_version,
            created_at=r.created_at,
            updated_at=r.updated_at,
        )
        for r in rows
    )
    return models_page(out, limit=limit, next_cursor=next_cursor)


@router.get(
    "/{key}",
    response_model=Envelope[DocumentTemplateOut],
    responses=errors(403, 404),
    summary="A template's current version (or ?version=N), with its ETag",
)
def get_template(
    key: Key, ctx: Ctx, session: Db, response: Response, version: Annotated[int | None, Query(ge=1)] = None
) -> dict[str, Any]:
    return success(_answer(templates.get_template(session, ctx, key, version), response))


def _save(
    key: str,
    body: DocumentTemplateIn | DocumentTemplatePatch,
    ctx: Any,
    session: Any,
    settings: Settings,
    if_match: str | None,
    response: Response,
) -> dict[str, Any]:
    current = templates.current_for_update(session, ctx, key)
    check_if_match(if_match, _etag(current))
    full = templates.merged(current, body) if isinstance(body, DocumentTemplatePatch) else body
    view = templates.update_template(session, ctx, object_store(settings), current, full, _limits(settings))
    return success(_answer(view, response))


@router.put(
    "/{key}",
    response_model=Envelope[DocumentTemplateOut],
    responses=errors(403, 404, 412),
    summary="Replace the template with a new version; If-Match guards lost updates (412)" + SAVE_CHECK,
)
def replace_template(
    key: Key,
    body: DocumentTemplateIn,
    ctx: Ctx,
    session: Db,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _save(key, body, ctx, session, settings, if_match, response)


@router.patch(
    "/{key}",
    response_model=Envelope[DocumentTemplateOut],
    responses=errors(403, 404, 412),
    summary="Change some fields in a new version; If-Match guards lost updates (412)" + SAVE_CHECK,
)
def patch_template(
    key: Key,
    body: DocumentTemplatePatch,
    ctx: Ctx,
    session: Db,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _save(key, body, ctx, session, settings, if_match, response)


@router.delete(
    "/{key}",
    response_model=Envelope[DocumentTemplateOut],
    responses=errors(403, 404),
    summary="Delete a template; documents generated from it keep their content",
)
def delete_template(key: Key, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    return success(_answer(templates.delete_template(session, ctx, key), response))


@router.get(
    "/{key}/versions",
    response_model=Envelope[list[DocumentTemplateVersionOut]],
    responses=errors(403, 404),
    summary="A template's versions, newest first",
)
def list_versions(
    key: Key, ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None
) -> dict[str, Any]:
    rows, next_cursor = templates.list_versions(session, ctx, key, limit=limit, cursor=cursor)
    return models_page(
        (DocumentTemplateVersionOut.model_validate(r) for r in rows), limit=limit, next_cursor=next_cursor
    )


@router.post(
    "/{key}/preview",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}, "image/png": {}},
            "description": "the PDF, or page 1 as PNG",
        },
        **errors(403, 404),
    },
    summary="Render the template with {data} (its sample data when omitted) as a PDF, or page 1 as a PNG "
    "with ?format=png; nothing is stored",
)
async def preview_template(
    key: Key,
    body: PreviewIn,
    ctx: Ctx,
    session: Db,
    settings: SettingsDep,
    format: Literal["pdf", "png"] = Query("pdf"),
) -> Response:
    def render() -> bytes:
        return templates.preview(
            session,
            ctx,
            object_store(settings),
            key,
            body.data,
            _limits(settings),
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

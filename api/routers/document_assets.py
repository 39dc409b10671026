"""Document assets: the tenant's images and fonts, loaded by templates as ``asset:<name>``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.types import DecoratedCallable
from starlette.concurrency import run_in_threadpool

from api.bodies import multipart_content, request_body
from api.deps import Ctx, Cursor, Db, FilesDep, Limit, form_file
from api.envelope import Envelope, created, dumped, errors, models_page, success
from domain.documents import assets
from domain.documents.schemas import DocumentAssetOut
from domain.errors import PayloadTooLarge

router = APIRouter(prefix="/api/v1/document-assets", tags=["document assets"])
ONE = errors(403, 404)
UPLOAD_BODY = request_body(
    multipart_content(
        ["file", "name"], {"name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"}}
    )
)


@router.post(
    "",
    status_code=201,
    response_model=Envelope[DocumentAssetOut],
    responses=errors(403, 409, 413),
    openapi_extra=UPLOAD_BODY,
    summary="Upload an image (PNG, JPEG, GIF, WebP, SVG) or a font (WOFF2, WOFF, TTF, OTF), at most 5 MB, "
    "as multipart 'file' and 'name'; templates load it as asset:<name>. The type is read from the bytes",
)
async def create_asset(
    request: Request, ctx: Ctx, session: Db, files: FilesDep, response: Response
) -> dict[str, Any]:
    ctx.require(assets.WRITE)
    form, upload = await form_file(request, "the image or font")
    name = form.get("name")
    if not isinstance(name, str):
        name = upload.filename or ""
    assets.check_name(name)
    content = await upload.read(assets.MAX_ASSET_BYTES + 1)
    if len(content) > assets.MAX_ASSET_BYTES:
        raise PayloadTooLarge(f"An asset is at most {assets.MAX_ASSET_BYTES} bytes.", assets.MAX_ASSET_BYTES)

    def save() -> dict[str, Any]:
        row = assets.create_asset(session, ctx, files.store, name=name, content=content)
        return dumped(DocumentAssetOut, row)

    out = await run_in_threadpool(save)
    return created(response, f"/api/v1/document-assets/{out['id']}", out)


@router.get(
    "",
    response_model=Envelope[list[DocumentAssetOut]],
    responses=errors(403),
    summary="The tenant's assets, newest first",
)
def list_assets(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    rows, next_cursor = assets.list_assets(session, ctx, limit=limit, cursor=cursor)
    return models_page(
        (DocumentAssetOut.model_validate(r) for r in rows), limit=limit, next_cursor=next_cursor
    )


def _one_asset(method: str, summary: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """A route on one asset, by id, that answers it."""
    model = Envelope[DocumentAssetOut]
    return router.api_route(
        "/{asset_id}", methods=[method], response_model=model, responses=ONE, summary=summary
    )


@_one_asset("GET", "An asset's name, type, size and sha256")
def get_asset(asset_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(dumped(DocumentAssetOut, assets.get_asset(session, ctx, asset_id)))


@_one_asset("DELETE", "Delete an asset; templates that load it no longer render (and name it)")
def delete_asset(asset_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(dumped(DocumentAssetOut, assets.delete_asset(session, ctx, asset_id)))

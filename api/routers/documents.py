"""Documents: generate from a template (202, a workflow renders it) or upload (201), list, read,
download (Range, ETag, signed links), version, delete and restore."""

from __future__ import annotations

import json
import re
import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from adapters.storage import ObjectStore
from api.bodies import json_content, multipart_content, request_body
from api.deps import Ctx, Cursor, Db, EngineDep, FilesDep, Limit, SettingsDep, form_file, get_launcher
from api.envelope import Envelope, created, error, models_page, rows_listed, success
from api.launch import start_and_answer
from api.process_runtime import Start
from api.resource_routes import ResourceRoutes
from api.signing_signal import PAGE_NUMBER, PAGE_SCALE, page_answer
from db.models import DocumentVersion
from db.session import tenant_session
from domain.context import TenantContext
from domain.documents import downloads, generation, service, sniffing
from domain.documents.schemas import (
    DocumentLimits,
    DocumentOut,
    DocumentVersionOut,
    DownloadUrlOut,
    GenerateIn,
    RegenerateIn,
    UploadMeta,
)
from domain.errors import (
    BadRequest,
    Conflict,
    Gone,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from workflows.documents import DocumentGenerationWorkflow

BASE = "/api/v1/documents"
router = APIRouter(tags=["documents"])
routes = ResourceRoutes(router, DocumentOut, item="/{document_id}", collection=BASE)
READ_CHUNK = 1_048_576
_METADATA_PARAM = re.compile(r"^metadata\[([^\[\]]{1,100})\]$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
OneVersion = Annotated[int | None, Query(ge=1, description="a version's number; the current one by default")]


def _out(row: Any) -> dict[str, Any]:
    return service.document_out(row).model_dump(mode="json")


def _location(document_id: uuid.UUID) -> str:
    return f"/api/v1/documents/{document_id}"


# --- Request bodies ------------------------------------------------------------------------------

_META_HELP = 'JSON: {"name", "document_type", "entity": {"type", "id"}?, "metadata"?, "note"?}'
CREATE_BODY = request_body(
    json_content(GenerateIn)
    | multipart_content(["file", "meta"], {"meta": {"type": "string", "description": _META_HELP}})
)
VERSION_BODY = request_body(
    json_content(RegenerateIn) | multipart_content(["file"], {"note": {"type": "string", "maxLength": 2000}})
)


def _kind(request: Request) -> str:
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind in ("", "application/json") or (kind.startswith("application/") and kind.endswith("+json")):
        return "json"
    if kind == "multipart/form-data":
        return "multipart"
    raise UnsupportedMediaType("Send application/json (generate) or multipart/form-data (upload).")


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"null")
    except ValueError as exc:
        raise BadRequest("The body is not valid JSON.") from exc


def _parse(model: Any, raw: Any, prefix: str = "") -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ValidationFailed.from_pydantic(exc, prefix) from exc


async def _read_upload(upload: UploadFile, limits: DocumentLimits) -> bytes:
    """The uploaded file, refused (413) as soon as it passes the byte limit."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(READ_CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise PayloadTooLarge(f"The file is larger than {limits.max_bytes} bytes.", limits.max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


# --- Create ------------------------------------------------------------------------------------


@routes.create(
    413,
    415,
    503,
    responses={202: {"model": Envelope[DocumentOut], "description": "generation accepted"}},
    openapi_extra=CREATE_BODY,
    summary="Generate a document from a template (JSON {template, data, name, document_type, entity?, "
    "metadata?}: 202, status 'generating', then 'ready' or 'failed' with the reason), or upload one "
    "(multipart 'file' and 'meta' JSON: 201, ready; the type is sniffed from the bytes; 413 past "
    "KEEL_DOCUMENT_MAX_BYTES; a PDF over KEEL_DOCUMENT_MAX_PAGES, encrypted, or a '.pdf' that is not "
    "a PDF is a 422)",
)
async def create_document(
    request: Request, ctx: Ctx, session: Db, files: FilesDep, response: Response
) -> dict[str, Any]:
    if _kind(request) == "json":
        body: GenerateIn = _parse(GenerateIn, await _json(request))
        ctx.require(service.WRITE)
        launcher = await get_launcher(request)

        def record(session: Session) -> tuple[DocumentOut, list[Start]]:
            doc, run = generation.request(session, ctx, body)
            start = Start(DocumentGenerationWorkflow.run, run, generation.workflow_id(doc.id))
            return service.document_out(doc), [start]

        response.status_code = 202
        return await start_and_answer(launcher, ctx, response, BASE, record, generation.discard)
    ctx.require(service.WRITE)
    limits = files.limits
    form, upload = await form_file(request, "the document")
    raw_meta = form.get("meta")
    if not isinstance(raw_meta, str):
        raise ValidationFailed.one(
            "meta", f"send the document's details as the multipart field 'meta': {_META_HELP}"
        )
    try:
        meta_json = json.loads(raw_meta)
    except (ValueError, RecursionError) as exc:
        raise ValidationFailed.one("meta", "is not valid JSON") from exc
    meta: UploadMeta = _parse(UploadMeta, meta_json, "meta")
    content = await _read_upload(upload, limits)

    def store_it() -> dict[str, Any]:
        doc = service.create_document(
            session,
            ctx,
            files.store,
            **dict(meta),  # the document's details: name, type, entity, metadata, note
            content=content,
            source="upload",
            limits=limits,
            filename=upload.filename,
            claimed_type=upload.content_type,
        )
        return _out(doc)

    stored = await run_in_threadpool(store_it)
    return created(response, _location(stored["id"]), stored)


# --- Read ----------------------------------------------------------------------------------------


@routes.listing(
    summary="The tenant's documents, newest first; filters entity_type, entity_id, document_type and "
    "metadata[key]=value (top-level keys; several are ANDed)",
)
def list_documents(
    request: Request,
    ctx: Ctx,
    session: Db,
    limit: Limit = None,
    cursor: Cursor = None,
    entity_type: Annotated[str | None, Query(max_length=100)] = None,
    entity_id: uuid.UUID | None = None,
    document_type: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, Any]:
    pairs = []
    for name, value in request.query_params.multi_items():
        match = _METADATA_PARAM.match(name)
        if match:
            if len(value) > 1000:
                raise ValidationFailed.one(name, "is longer than 1000 characters")
            pairs.append((match.group(1), value))
        elif name.startswith("metadata"):
            raise ValidationFailed.one(name, "filter metadata as metadata[key]=value")
    rows, next_cursor = service.list_documents(
        session,
        ctx,
        entity_type=entity_type,
        entity_id=entity_id,
        document_type=document_type,
        metadata=pairs,
        limit=limit,
        cursor=cursor,
    )
    return models_page((service.document_out(r) for r in rows), limit=limit, next_cursor=next_cursor)


@routes.read(
    summary="A document: its current version's facts and its status (generating, ready, or failed with why)"
)
def get_document(document_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    doc = service.get_document(session, ctx, document_id)
    if doc.sha256:
        response.headers["ETag"] = f'"{doc.sha256}"'
    return success(_out(doc))


@routes.delete(summary="Delete a document (soft: POST .../restore brings it back)")
def delete_document(document_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(_out(service.delete_document(session, ctx, document_id)))


@routes.post("/restore", summary="Restore a deleted document")
def restore_document(document_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(_out(service.restore_document(session, ctx, document_id)))


# --- Content -------------------------------------------------------------------------------------


def _filename(name: str, content_type: str) -> str:
    """A name safe in a header: ASCII letters, digits, '.', '-', '_' and the type's extension."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:120] or "document"
    extension = sniffing.EXTENSIONS.get(content_type, "")
    return safe if safe.lower().endswith(extension) else safe + extension


def _disposition(name: str, content_type: str) -> str:
    ascii_name = _filename(name, content_type)
    extension = sniffing.EXTENSIONS.get(content_type, "")
    full = name if name.lower().endswith(extension) else name + extension
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full[:200], safe='')}"


def _byte_range(header: str | None, size: int) -> tuple[int, int] | JSONResponse | None:
    """``(start, stop)`` of a single satisfiable range, None to send everything, or the 416 answer.
    A header that is not one ``bytes=`` range is ignored (RFC 9110 §14.2), as are several ranges."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        start, stop = max(0, size - int(last)), size
        if int(last) == 0:
            return _unsatisfiable(size)
    else:
        start = int(first)
        stop = size if last == "" else min(int(last) + 1, size)
        if last != "" and int(last) < start:
            return None
    if start >= size or start >= stop:
        return _unsatisfiable(size)
    return start, stop


def _unsatisfiable(size: int) -> JSONResponse:
    return JSONResponse(
        error("range_not_satisfiable", f"The range is outside the content ({size} bytes).", {"size": size}),
        status_code=416,
        headers={"Content-Range": f"bytes */{size}"},
    )


def send_version(
    request: Request,
    store: ObjectStore,
    tenant_id: uuid.UUID,
    name: str,
    version: DocumentVersion,
    *,
    cache: str,
) -> Response:
    tag = f'"{version.sha256}"'
    headers = {
        "ETag": tag,
        "Accept-Ranges": "bytes",
        "Cache-Control": cache,
        "Content-Disposition": _disposition(name, version.content_type),
        "X-Document-Version": str(version.version),
    }
    given = request.headers.get("if-none-match")
    if given and (given.strip() == "*" or tag in {t.strip().removeprefix("W/") for t in given.split(",")}):
        return Response(status_code=304, headers=headers)
    size = version.size
    wanted = _byte_range(request.headers.get("range"), size)
    if request.headers.get("if-range") not in (None, tag):
        wanted = None  # the client's partial copy is of other bytes: send them all
    if isinstance(wanted, JSONResponse):
        return wanted
    start, stop = wanted or (0, size)
    chunks = store.read(tenant_id, version.storage_key, start=start, stop=stop)  # NotFound before any byte
    headers["Content-Length"] = str(stop - start)
    status = 200
    if wanted is not None:
        status = 206
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    return StreamingResponse(chunks, status_code=status, media_type=version.content_type, headers=headers)


CONTENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {}}, "description": "the bytes, typed as sniffed"},
    206: {"description": "the requested byte range"},
    304: {"description": "If-None-Match matched the ETag (the sha256)"},
}


@routes.read(
    409,
    416,
    below="/content",
    response_class=StreamingResponse,
    responses=CONTENT_RESPONSES,
    summary="Download the current version (or ?version=N); ETag is the sha256, Range and If-None-Match work",
)
def document_content(
    document_id: uuid.UUID,
    request: Request,
    ctx: Ctx,
    session: Db,
    files: FilesDep,
    version: OneVersion = None,
) -> Response:
    doc, row = service.get_version(session, ctx, document_id, version)
    return send_version(request, files.store, ctx.tenant_id, doc.name, row, cache="private, no-cache")


@routes.png(
    409,
    422,
    below="/pages/{number}",
    summary="A page of a PDF document (the current version, or ?version=N) as a PNG image: its preview; "
    "409 when the document is not a PDF, 422 past its last page",
)
def document_page(
    document_id: uuid.UUID,
    number: Annotated[int, PAGE_NUMBER],
    ctx: Ctx,
    session: Db,
    files: FilesDep,
    version: OneVersion = None,
    scale: Annotated[float, PAGE_SCALE] = 1.0,
) -> Response:
    _, row = service.get_version(session, ctx, document_id, version)
    if row.content_type != "application/pdf":
        raise Conflict("Only a PDF has page images: download the document instead.")
    return page_answer(b"".join(files.store.read(ctx.tenant_id, row.storage_key)), number, scale)


@routes.read(
    409,
    below="/download-url",
    model=DownloadUrlOut,
    summary="A time-limited URL that downloads the current version (or ?version=N) without a bearer",
)
def download_url(
    document_id: uuid.UUID,
    request: Request,
    ctx: Ctx,
    session: Db,
    settings: SettingsDep,
    files: FilesDep,
    version: OneVersion = None,
    expires_in: Annotated[
        int, Query(ge=1, le=downloads.MAX_SECONDS, description="seconds")
    ] = downloads.DEFAULT_SECONDS,
) -> dict[str, Any]:
    doc, row = service.get_version(session, ctx, document_id, version)
    token, expires_at = downloads.issue(
        settings.require_jwt_secret(), ctx.tenant_id, doc.id, row.version, expires_in
    )
    presigned = files.store.download_url(
        ctx.tenant_id,
        row.storage_key,
        expires_in=expires_in,
        filename=_filename(doc.name, row.content_type),
        content_type=row.content_type,
    )
    url = presigned or str(request.base_url).rstrip("/") + downloads.PATH + token
    return success(DownloadUrlOut(url=url, expires_at=expires_at).model_dump(mode="json"))


# --- Versions ------------------------------------------------------------------------------------


@routes.post(
    "/versions",
    409,
    413,
    415,
    model=DocumentVersionOut,
    status_code=201,
    openapi_extra=VERSION_BODY,
    summary="Add a version: upload a file (multipart 'file', 'note'?) or, for a generated document, "
    "render its pinned template again with new data (JSON {data, note?}); it becomes current",
)
async def add_version(
    document_id: uuid.UUID, request: Request, ctx: Ctx, session: Db, files: FilesDep, response: Response
) -> dict[str, Any]:
    ctx.require(service.WRITE)
    store, limits = files.store, files.limits
    if _kind(request) == "json":
        body: RegenerateIn = _parse(RegenerateIn, await _json(request))

        def regenerate() -> DocumentVersion:
            return generation.regenerate(session, ctx, store, document_id, body.data, limits, note=body.note)

        row = await run_in_threadpool(regenerate)
    else:
        form, upload = await form_file(request, "the new version")
        note = form.get("note")
        if note is not None and (not isinstance(note, str) or len(note) > 2000):
            raise ValidationFailed.one("note", "is text of at most 2000 characters")
        content = await _read_upload(upload, limits)

        def add() -> DocumentVersion:
            return service.add_version(
                session,
                ctx,
                store,
                document_id,
                content,
                source="upload",
                note=note,
                limits=limits,
                filename=upload.filename,
                claimed_type=upload.content_type,
            )

        row = await run_in_threadpool(add)
    out = DocumentVersionOut.model_validate(row).model_dump(mode="json")
    return created(response, f"{_location(document_id)}/content?version={row.version}", out)


@routes.read(
    below="/versions",
    model=list[DocumentVersionOut],
    summary="A document's versions, newest first: who, when, sha256, size, source",
)
def list_versions(
    document_id: uuid.UUID, ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None
) -> Envelope[list[DocumentVersionOut]]:
    rows, next_cursor = service.list_versions(session, ctx, document_id, limit=limit, cursor=cursor)
    return rows_listed(DocumentVersionOut, rows, limit=limit, next_cursor=next_cursor)


# --- Signed links: the token is the credential ------------------------------------------------

signed_links = ResourceRoutes(router, None, item="{token}", collection=downloads.PATH, answers=())


@signed_links.read(
    403,
    409,
    410,
    416,
    response_class=StreamingResponse,
    responses=CONTENT_RESPONSES,
    summary="Download through a signed link from .../download-url (no bearer): 403 forged, 410 expired",
)
def signed_download(
    token: str, request: Request, engine: EngineDep, settings: SettingsDep, files: FilesDep
) -> Response:
    grant = downloads.verify(settings.require_jwt_secret(), token)
    ctx = TenantContext.system(grant.tenant_id)
    with tenant_session(engine, grant.tenant_id) as session:
        try:
            doc, row = service.get_version(session, ctx, grant.document_id, grant.version)
        except NotFound as exc:  # deleted since the link was made
            raise Gone("The document of this link is no longer available.") from exc
        name = doc.name
        session.expunge(row)
    return send_version(request, files.store, grant.tenant_id, name, row, cache="private, max-age=0")

"""Bulk writes, file imports (a workflow per import) and streamed exports of a type's records."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.bodies import multipart_content, request_body
from api.deps import Ctx, Cursor, Db, EngineDep, LauncherDep, Limit, form_file
from api.envelope import Envelope, models_page, success
from api.launch import start_and_answer
from api.process_runtime import Start
from api.resource_routes import ResourceRoutes, Route
from db.session import tenant_session
from domain.context import TenantContext
from domain.entities import bulk, csvsafe, export, imports, types
from domain.entities.schemas import ImportOut, ImportRequest, ImportRun
from domain.errors import ValidationFailed
from workflows.imports import ImportWorkflow

router = APIRouter(tags=["imports"])
ENTITIES = "/api/v1/entities/{type_name}"
records = ResourceRoutes(router, list[bulk.ItemResult], collection=ENTITIES)
"""What is done to a type's records as a whole (written in bulk, imported, exported): a 404 is a type
that does not exist."""
imports_routes = ResourceRoutes(router, ImportOut, item="/{import_id}", collection="/api/v1/imports")
DOWNLOAD: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}}
DownloadFormat = Annotated[Literal["csv", "jsonl"], Query()]


def _download_route(routes: ResourceRoutes, below: str, summary: str) -> Route:
    """A route answering rows as a CSV or JSON Lines download (``?format=``), streamed by ``_stream``."""
    return routes.read(below=below, response_class=StreamingResponse, responses=DOWNLOAD, summary=summary)


def _stream(
    engine: Engine, ctx: TenantContext, fmt: str, name: str, chunks: Callable[[Session], Iterator[str]]
) -> StreamingResponse:
    """The ``chunks`` read from a session as the download ``name``.``fmt``."""

    def body() -> Iterator[str]:
        # Runs while the body streams, after the request's unit of work has ended: a transaction of its own.
        with tenant_session(engine, ctx.tenant_id) as session:
            yield from chunks(session)

    return StreamingResponse(
        body(),
        media_type=export.FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


class BulkIn(BaseModel):
    items: list[Any] = Field(
        min_length=1,
        max_length=bulk.MAX_ITEMS,
        description="POST: records {attributes, status, external_id}; PUT: the same plus id (or external_id "
        "alone, which creates the record when none has it); DELETE: ids or {id}",
    )


BULK_SUMMARY = (
    "Up to 1,000 items, a result per item in order. Default: each item alone (the good ones are "
    "written, HTTP 200, meta counts them); atomic=true: all or nothing (any bad item → 422 with every "
    "item's result in details.results, nothing written)."
)


def _bulk(
    type_name: str,
    body: BulkIn,
    ctx: TenantContext,
    session: Session,
    operation: bulk.Operation,
    atomic: bool,
    on_duplicate: str,
) -> dict[str, Any]:
    etype = types.get_type(session, ctx, type_name)
    results = bulk.apply(session, ctx, etype, operation, body.items, atomic=atomic, on_duplicate=on_duplicate)
    return success([r.model_dump(mode="json") for r in results], meta=bulk.counts(results))


Atomic = Query(False, description="all or nothing")
OnDuplicate = Query("reject", description="allow: create even when similar records exist")


def _bulk_writer(operation: bulk.Operation) -> Callable[..., dict[str, Any]]:
    """The handler of a bulk write that may create records: POST creates, PUT replaces or upserts."""

    def write(
        type_name: str,
        body: BulkIn,
        ctx: Ctx,
        session: Db,
        atomic: bool = Atomic,
        on_duplicate: Literal["reject", "allow"] = OnDuplicate,
    ) -> dict[str, Any]:
        return _bulk(type_name, body, ctx, session, operation, atomic, on_duplicate)

    return write


records.post("/bulk", name="bulk_create", summary="Create many records. " + BULK_SUMMARY)(
    _bulk_writer("create")
)
records.put(
    below="/bulk",
    name="bulk_replace",
    summary="Replace many records (by id, or upsert by external_id). " + BULK_SUMMARY,
)(_bulk_writer("replace"))


@records.delete(below="/bulk", summary="Soft-delete many records. " + BULK_SUMMARY)
def bulk_delete(type_name: str, body: BulkIn, ctx: Ctx, session: Db, atomic: bool = Atomic) -> dict[str, Any]:
    return _bulk(type_name, body, ctx, session, "delete", atomic, "reject")


# -- import -------------------------------------------------------------------------------------
IMPORT_OPTIONS = {
    "format": {"type": "string", "enum": ["csv", "jsonl"]},
    "mode": {"type": "string", "enum": ["insert", "upsert"]},
    "mapping": {"type": "string", "description": 'JSON: {"column": "attribute"}'},
    "on_duplicate": {"type": "string", "enum": ["reject", "allow"]},
}
IMPORT_BODY = request_body(
    multipart_content(["file"], IMPORT_OPTIONS)
    | {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {"schema": {"type": "string"}}}
)


@records.post(
    "/import",
    413,
    503,
    model=ImportOut,
    status_code=202,
    openapi_extra=IMPORT_BODY,
    summary="Import a UTF-8 CSV (with a header) or JSON Lines file, as a multipart 'file' or the raw body; "
    "options as form or query fields: format, mode (insert | upsert by external_id), mapping (JSON "
    "column → attribute | external_id | status | null), on_duplicate (allow | reject). 422 'encoding' "
    "for a file that is not UTF-8. Follow progress at the Location.",
)
async def start_import(
    type_name: str, request: Request, ctx: Ctx, launcher: LauncherDep, response: Response
) -> dict[str, Any]:
    req = await _import_request(type_name, request)

    def record(session: Session) -> tuple[ImportOut, list[Start]]:
        row = imports.submit(session, ctx, req)
        run = ImportRun(tenant_id=ctx.tenant_id, import_id=row.id)
        return imports.view(session, row), [Start(ImportWorkflow.run, run, imports.workflow_id(row.id))]

    return await start_and_answer(launcher, ctx, response, "/api/v1/imports", record, imports.discard)


async def _import_request(type_name: str, request: Request) -> ImportRequest:
    options: dict[str, str] = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    filename = None
    if content_type.startswith("multipart/form-data"):
        form, upload = await form_file(request, "the file")
        content = await upload.read()
        filename, content_type = upload.filename, upload.content_type or ""
        options |= {k: v for k, v in form.items() if isinstance(v, str)}
    else:
        content = await request.body()
    if not content:
        raise ValidationFailed.one("file", "is empty")
    mapping = None
    if options.get("mapping"):
        try:
            mapping = json.loads(options["mapping"])
        except (ValueError, RecursionError):  # a mapping nested thousands deep is no mapping either
            mapping = None
        if not isinstance(mapping, dict):
            raise ValidationFailed.one("mapping", 'must be a JSON object: {"column": "attribute"}')
    return ImportRequest(
        type_name=type_name,
        content=content,
        filename=filename or options.get("filename"),
        content_type=content_type,
        format=options.get("format"),
        mode=options.get("mode", "insert"),
        mapping=mapping,
        on_duplicate=options.get("on_duplicate", "allow"),
    )


@imports_routes.listing(summary="The tenant's imports, newest first")
def list_imports(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    rows, next_cursor = imports.list_imports(session, ctx, limit=limit, cursor=cursor)
    return models_page((imports.view(session, r) for r in rows), limit=limit, next_cursor=next_cursor)


@imports_routes.read(
    summary="An import's status and progress: rows read / ok / failed / pending, timings",
)
def get_import(import_id: uuid.UUID, ctx: Ctx, session: Db) -> Envelope[ImportOut]:
    return Envelope(data=imports.view(session, imports.get(session, ctx, import_id)))


@_download_route(
    imports_routes, "/errors", "The failed rows as a download: line, raw source text and the reasons"
)
def import_errors(
    import_id: uuid.UUID, ctx: Ctx, session: Db, engine: EngineDep, format: DownloadFormat = "csv"
) -> StreamingResponse:
    imports.get(session, ctx, import_id)  # 404 before the first byte

    def failed_rows(session: Session) -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180: a \r in a cell is quoted too
        if format == "csv":
            writer.writerow(["line", "raw", "errors"])
        for row in imports.failed_rows(session, ctx, import_id):
            if format == "csv":
                reasons = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in row["errors"])
                writer.writerow(csvsafe.row([row["line"], row["raw"], reasons]))
            else:
                buf.write(json.dumps(row, ensure_ascii=False) + "\n")
            if buf.tell() > 65536:
                yield _drain(buf)
        yield _drain(buf)

    return _stream(engine, ctx, format, f"import-{import_id}-errors", failed_rows)


# -- export -------------------------------------------------------------------------------------
@_download_route(
    records,
    "/export",
    "Stream the records as CSV or JSON Lines with the list's filters (filter[attr][op]=v, status, "
    "created/updated ranges); CSV columns: id, external_id, status, created_at, updated_at, then the "
    "schema's properties (objects and arrays as JSON)",
)
def export_entities(
    type_name: str, request: Request, ctx: Ctx, session: Db, engine: EngineDep, format: DownloadFormat = "csv"
) -> StreamingResponse:
    params = request.query_params.multi_items()
    etype, query = export.prepare(session, ctx, type_name, format, params)
    return _stream(
        engine, ctx, format, type_name, lambda session: export.stream(session, ctx, etype, query, format)
    )


def _drain(buf: io.StringIO) -> str:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return text

"""The audit chain: verify it, export the log with each row's seal, and the tenant's retention.

Verify and export first run the sealing and pruning step (``retention.maintain``), so they answer
for every row settled by then; rows younger than ``chain.SETTLE`` are counted as unsealed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from api.deps import Ctx, Db, EngineDep, SettingsDep
from api.envelope import Envelope, answers, errors, success
from db.session import tenant_session
from domain.audit import chain, export, retention
from domain.audit.canonical import pseudonym_key
from domain.audit.schemas import ChainVerdict, RetentionIn, RetentionOut
from domain.entities import csvsafe
from domain.instants import BoundedDatetime

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
RETENTION = answers(RetentionOut, 403)  # read and replaced whole
FLUSH_AT = 65536  # characters buffered before a chunk is handed to the response


@router.get(
    "/verify",
    response_model=Envelope[ChainVerdict],
    responses=errors(403),
    summary="Recompute the tenant's audit chain: ok, rows sealed and unsealed, the first broken link",
)
def verify_chain(ctx: Ctx, session: Db, settings: SettingsDep) -> dict[str, Any]:
    key = pseudonym_key(settings)
    ctx.require("audit:read")
    retention.maintain(session, ctx, key, full=True)
    return success(asdict(chain.verify(session, ctx, key)))


@router.get(
    "/export",
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}, **errors(403)},
    response_class=StreamingResponse,
    summary="Stream the audit log as JSON Lines or CSV in time order, each row with its seal hash",
)
def export_audit(
    ctx: Ctx,
    session: Db,
    engine: EngineDep,
    settings: SettingsDep,
    format: Literal["jsonl", "csv"] = Query("jsonl"),
    since: Annotated[BoundedDatetime | None, Query(alias="from", description="RFC 3339, inclusive")] = None,
    until: Annotated[BoundedDatetime | None, Query(alias="to", description="RFC 3339, exclusive")] = None,
) -> StreamingResponse:
    export.check(ctx, since, until)  # 4xx before the first byte
    retention.maintain(session, ctx, pseudonym_key(settings))

    def body() -> Iterator[str]:
        # Runs while the body streams, after the request's unit of work has committed the seals.
        with tenant_session(engine, ctx.tenant_id) as stream_session:
            yield from _lines(export.rows(stream_session, ctx, since, until), format)

    return StreamingResponse(
        body(),
        media_type=export.FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="audit.{format}"'},
    )


def _lines(rows: Iterable[dict[str, Any]], fmt: str) -> Iterator[str]:
    """Rows as CSV (cells a spreadsheet will not run as formulas) or JSON Lines, in chunks of ~64 KiB."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if fmt == "csv":
        writer.writerow(export.COLUMNS)
    for row in rows:
        if fmt == "csv":
            cells = [json.dumps(v) if isinstance(v, dict | list) else v for v in row.values()]
            writer.writerow(csvsafe.row(cells))
        else:
            buf.write(json.dumps(row, ensure_ascii=False) + "\n")
        if buf.tell() > FLUSH_AT:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


@router.get("/retention", **RETENTION, summary="How many days audit entries are kept (null: for good)")
def get_retention(ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(retention.read(session, ctx))


@router.put(
    "/retention", **RETENTION, summary="Keep audit entries this many days (30..3650; administrators only)"
)
def put_retention(body: RetentionIn, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(retention.replace(session, ctx, body.days))

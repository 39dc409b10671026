"""The audit log as a download (JSON Lines or CSV), each row with its seal, streamed in keyset batches."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from db.models import AuditLog
from db.models.audit import AuditSeal
from domain.audit.canonical import FIELDS, plain_value
from domain.audit.chain import BATCH
from domain.context import TenantContext
from domain.entities import csvsafe
from domain.errors import ValidationFailed

FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
COLUMNS = ("seq", "seal_hash", *(name for name in FIELDS if name != "tenant_id"))
FLUSH_AT = 65536  # characters buffered before a chunk is handed to the response


def check(ctx: TenantContext, start: datetime | None, end: datetime | None) -> None:
    """Refuse before the first byte is sent."""
    ctx.require("audit:read")
    if start is not None and end is not None and start > end:
        raise ValidationFailed.one("from", "must not be after 'to'")


def _rows(
    session: Session, ctx: TenantContext, start: datetime | None, end: datetime | None
) -> Iterator[dict[str, Any]]:
    cols = [getattr(AuditLog, name) for name in COLUMNS[2:]]
    stmt = (
        select(AuditSeal.seq, AuditSeal.hash.label("seal_hash"), *cols)
        .outerjoin(AuditSeal, AuditSeal.audit_id == AuditLog.id)
        .where(AuditLog.tenant_id == ctx.tenant_id)
        .order_by(AuditLog.created_at, AuditLog.id)
        .limit(BATCH)
    )
    if start is not None:
        stmt = stmt.where(AuditLog.created_at >= start)
    if end is not None:
        stmt = stmt.where(AuditLog.created_at < end)
    after: tuple[datetime, Any] | None = None
    while True:
        page = stmt if after is None else stmt.where(tuple_(AuditLog.created_at, AuditLog.id) > after)
        batch = session.execute(page).all()
        for row in batch:
            yield {name: plain_value(row._mapping.get(name)) for name in COLUMNS}
        if len(batch) < BATCH:
            return
        after = (batch[-1].created_at, batch[-1].id)


def _drain(buf: io.StringIO) -> str:
    out = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return out


def stream(
    session: Session, ctx: TenantContext, fmt: str, start: datetime | None, end: datetime | None
) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if fmt == "csv":
        writer.writerow(COLUMNS)
    for row in _rows(session, ctx, start, end):
        if fmt == "csv":
            cells = [json.dumps(v) if isinstance(v, dict | list) else v for v in row.values()]
            writer.writerow(csvsafe.row(cells))
        else:
            buf.write(json.dumps(row, ensure_ascii=False) + "\n")
        if buf.tell() > FLUSH_AT:
            yield _drain(buf)
    yield _drain(buf)

"""The audit log as a download (JSON Lines or CSV), each row with its seal, streamed in keyset batches."""

from __future__ import annotations

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
from domain.errors import ValidationFailed
from domain.queries import mine

FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
COLUMNS = ("seq", "seal_hash", *(name for name in FIELDS if name != "tenant_id"))


def check(ctx: TenantContext, start: datetime | None, end: datetime | None) -> None:
    """Refuse before the first byte is sent."""
    ctx.require("audit:read")
    if start is not None and end is not None and start > end:
        raise ValidationFailed.one("from", "must not be after 'to'")


def rows(
    session: Session, ctx: TenantContext, start: datetime | None, end: datetime | None
) -> Iterator[dict[str, Any]]:
    cols = [getattr(AuditLog, name) for name in COLUMNS[2:]]
    stmt = (
        select(AuditSeal.seq, AuditSeal.hash.label("seal_hash"), *cols)
        .outerjoin(AuditSeal, AuditSeal.audit_id == AuditLog.id)
        .where(*mine(ctx, AuditLog, deleted=True))
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

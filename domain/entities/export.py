"""Export: the records a list query selects, streamed as CSV or JSON Lines in keyset batches.

Memory stays flat whatever the size: rows arrive a thousand at a time (keyset batches) and leave as
text chunks. Text cells a spreadsheet would run as a formula are neutralised (``csvsafe``).
CSV columns are ``id, external_id, status, created_at, updated_at`` and then the schema's
properties in order (objects and arrays as JSON), which ``import`` reads back as they are.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import tuple_
from sqlalchemy.orm import Session

from db.models import Entity, EntityType
from domain.context import TenantContext
from domain.entities import csvsafe, listing, types, validation
from domain.entities import service as records
from domain.entities.errors import ValidationFailed

FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
FIXED = ["id", "external_id", "status", "created_at", "updated_at"]
CHUNK = 1000


def prepare(
    session: Session, ctx: TenantContext, type_name: str, fmt: str, params: Iterable[tuple[str, str]]
) -> tuple[EntityType, listing.ListQuery]:
    """Everything that can go wrong before the first byte: permission, type, format, filters."""
    ctx.require("entities:read")
    etype = types.get_type(session, ctx, type_name)
    if fmt not in FORMATS:
        raise ValidationFailed.one("format", "must be csv or jsonl")
    query = listing.parse_query(etype, [(k, v) for k, v in params if k != "format"], ctx)
    return etype, query


def stream(
    session: Session, ctx: TenantContext, etype: EntityType, query: listing.ListQuery, fmt: str
) -> Iterator[str]:
    """Text chunks of the export, oldest record first.

    Keyset batches of ``CHUNK`` rows on (created_at, id), each its own short query, read as plain
    rows (no ORM objects, no identity map), so memory stays flat whatever the size (a single
    ``yield_per`` result broke once the identity map was cleared under it).
    """
    base = (
        listing.select_entities(ctx, etype, query)
        .with_only_columns(*Entity.__table__.columns)
        .order_by(Entity.created_at, Entity.id)
        .limit(CHUNK)
    )
    props = list(validation.properties_of(etype.schema))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; a bare \r in a cell gets quoted too
    if fmt == "csv":
        writer.writerow(csvsafe.row(FIXED + props))
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        stmt = base if after is None else base.where(tuple_(Entity.created_at, Entity.id) > tuple_(*after))
        batch: list[Any] = list(session.execute(stmt))  # rows answer .id, .attributes… as a record does
        for entity in batch:
            if fmt == "csv":
                writer.writerow(csvsafe.row(_csv_row(entity, props)))
            else:
                buf.write(json.dumps(records.to_out(entity, etype), ensure_ascii=False) + "\n")
        if batch:
            after = (batch[-1].created_at, batch[-1].id)
        if buf.tell():
            yield _drain(buf)
        if len(batch) < CHUNK:
            return


def _drain(buf: io.StringIO) -> str:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return text


def _csv_row(entity: Any, props: list[str]) -> list[str]:
    fixed = [
        str(entity.id),
        entity.external_id or "",
        entity.status or "",
        entity.created_at.isoformat(),
        entity.updated_at.isoformat(),
    ]
    attributes = entity.attributes or {}
    return fixed + [_cell(attributes.get(p)) for p in props]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)

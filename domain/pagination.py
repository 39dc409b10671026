"""Keyset (cursor) pagination over ``(created_at, id)``: stable under inserts, O(limit) per page."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.orm import Session

from domain import cursors
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.queries import live

T = TypeVar("T")
V = TypeVar("V")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if limit < 1:
        raise ValidationFailed.one("limit", "must be at least 1")
    return min(limit, MAX_LIMIT)


def encode_cursor(values: list[Any], kind: str = "keyset") -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else str(v) for v in values])
    return cursors.seal(kind, raw.encode())


def decode_cursor(cursor: str, kind: str = "keyset") -> tuple[datetime, uuid.UUID]:
    """The position a cursor of ``kind`` holds; a cursor not issued by that list is a 422."""
    payload = cursors.unseal(kind, cursor)
    try:
        created, ident = json.loads(payload)
        return datetime.fromisoformat(created), uuid.UUID(ident)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed.one("cursor", "is not a cursor this list returned") from exc


def paginate(
    session: Session, stmt: Select[Any], model: Any, limit: int | None, cursor: str | None
) -> tuple[list[Any], str | None]:
    """Newest first. Returns the page and the cursor of the next one (None on the last page)."""
    size = clamp_limit(limit)
    kind = model.__tablename__  # one list's cursor is refused by another
    if cursor is not None:
        created, ident = decode_cursor(cursor, kind)
        stmt = stmt.where(
            or_(model.created_at < created, and_(model.created_at == created, model.id < ident))
        )
    ordered = stmt.order_by(model.created_at.desc(), model.id.desc()).limit(size + 1)
    rows = list(session.scalars(ordered))
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = encode_cursor([rows[-1].created_at, rows[-1].id], kind)
    return rows, next_cursor


def live_page(
    session: Session,
    ctx: TenantContext,
    model: type[T],
    *where: ColumnElement[bool],
    equal: Mapping[str, object] | None = None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[T], str | None]:
    """A page of the tenant's live rows of ``model``, newest first, matching ``where`` and each column
    named in ``equal`` with its value (a None or empty value filters nothing)."""
    stmt = live(ctx, model).where(*where)
    for column, value in (equal or {}).items():
        if value:
            stmt = stmt.where(getattr(model, column) == value)
    return paginate(session, stmt, model, limit, cursor)


def viewed_page(
    session: Session,
    ctx: TenantContext,
    model: type[T],
    view: Callable[[T], V],
    *where: ColumnElement[bool],
    equal: Mapping[str, object] | None = None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[V], str | None]:
    """:func:`live_page`, each row as ``view`` shows it."""
    rows, next_cursor = live_page(session, ctx, model, *where, equal=equal, limit=limit, cursor=cursor)
    return [view(r) for r in rows], next_cursor


def lister(
    model: type[T], view: Callable[[T], V], permission: str
) -> Callable[..., tuple[list[V], str | None]]:
    """``listing(session, ctx, *, limit, cursor)``: the tenant's live ``model`` rows, newest first, as
    ``view`` shows them, to a caller holding ``permission``."""

    def listing(
        session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
    ) -> tuple[list[V], str | None]:
        ctx.require(permission)
        return viewed_page(session, ctx, model, view, limit=limit, cursor=cursor)

    return listing

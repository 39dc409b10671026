"""The one way a service reaches a tenant's rows: always filtered to the caller's tenant (RLS holds the
same line underneath) and, unless asked otherwise, to rows that are not soft-deleted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from domain.context import TenantContext
from domain.errors import NotFound

T = TypeVar("T")


def mine(ctx: TenantContext, model: Any, *, deleted: bool = False) -> list[ColumnElement[bool]]:
    """The tenant filter (and ``deleted_at IS NULL`` for soft-deleting models unless ``deleted``), for
    a query that selects columns or joins rather than whole rows."""
    where: list[ColumnElement[bool]] = [model.tenant_id == ctx.tenant_id]
    if not deleted and hasattr(model, "deleted_at"):
        where.append(model.deleted_at.is_(None))
    return where


def live(ctx: TenantContext, model: type[T], *, deleted: bool = False) -> Select[T]:
    """``SELECT model`` of the caller's tenant, live rows only unless ``deleted``."""
    return select(model).where(*mine(ctx, model, deleted=deleted))


def find(
    session: Session,
    ctx: TenantContext,
    model: type[T],
    id_: uuid.UUID,
    *,
    deleted: bool = False,
    for_update: bool = False,
    key_share: bool = False,
) -> T | None:
    """One row of the caller's tenant by id, or None. ``for_update`` locks it FOR UPDATE, or with
    ``key_share`` FOR NO KEY UPDATE (which lets rows referencing it be written meanwhile)."""
    stmt = live(ctx, model, deleted=deleted).where(model.id == id_)  # type: ignore[attr-defined]
    if for_update:
        stmt = stmt.with_for_update(key_share=key_share)
    return session.scalar(stmt)


def get_or_404(
    session: Session,
    ctx: TenantContext,
    model: type[T],
    id_: uuid.UUID,
    what: str,
    *,
    deleted: bool = False,
    for_update: bool = False,
    key_share: bool = False,
) -> T:
    """One row of the caller's tenant by id (locked as :func:`find` says); ``NotFound(what, id)`` (a
    404) otherwise."""
    found = find(session, ctx, model, id_, deleted=deleted, for_update=for_update, key_share=key_share)
    if found is None:
        raise NotFound(what, id_)
    return found


def discard_row(session: Session, ctx: TenantContext, model: type[T], id_: uuid.UUID) -> None:
    """Delete the caller's row by id, soft-deleted or not, if it is there: the undo of a write whose
    workflow could not be started, so that a retry can succeed."""
    row = find(session, ctx, model, id_, deleted=True)
    if row is not None:
        session.delete(row)
        session.flush()


def touch(session: Session, row: Any) -> None:
    """``row``'s changes written now under a new ``updated_at``: its ETag changes even when no column
    did (the column's own ``onupdate`` fires only when an UPDATE is sent)."""
    row.updated_at = datetime.now(UTC)
    session.flush()

"""The life the catalogue's rows share (customers, products, prices, tax rates): created and audited
whole, read and listed within the tenant, changed field by field (audited only when something
differs), and soft deleted, which also deactivates them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypedDict, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from db.base import TenantOwned
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.pagination import live_page
from domain.queries import get_or_404, touch

READ = "billing:read"
T = TypeVar("T")
Row = TypeVar("Row", bound=TenantOwned)


def out(row: TenantOwned, *names: str, **computed: Any) -> dict[str, Any]:
    """A row as the API answers it: its id, the attributes ``names`` as they are, the ``computed``
    values, then when it was created and last changed."""
    return {
        "id": str(row.id),
        **{name: getattr(row, name) for name in names},
        **computed,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def add_audited(session: Session, ctx: TenantContext, row: Row, kind: str, fields: list[str]) -> Row:
    """The new row stored, and its ``<kind>.created`` audit row with every field in ``fields``."""
    session.add(row)
    session.flush()
    created = audit.diff(None, audit.snapshot(row, fields))
    audit.record(session, ctx, f"{kind}.created", kind, row.id, created)
    return row


def read(session: Session, ctx: TenantContext, model: type[T], row_id: uuid.UUID, what: str) -> T:
    """One live row (``billing:read``); ``what`` names it in the 404."""
    ctx.require(READ)
    return get_or_404(session, ctx, model, row_id, what)


def page_of(
    session: Session,
    ctx: TenantContext,
    model: type[T],
    *where: ColumnElement[bool],
    equal: Mapping[str, object] | None = None,
    active: bool | None = None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[T], str | None]:
    """A page of live rows (``billing:read``), newest first, matching ``where``, each column named in
    ``equal`` with its value (a None or empty value filters nothing), and ``active``."""
    ctx.require(READ)
    if active is not None:
        where = (*where, model.active.is_(active))  # type: ignore[attr-defined]
    return live_page(session, ctx, model, *where, equal=equal, limit=limit, cursor=cursor)


class StatusListQuery(TypedDict, total=False):
    """What a list of a customer's quotes or subscriptions is asked for: a status and a customer to
    match (None matches all) and the page."""

    status: str | None
    customer: uuid.UUID | None
    limit: int | None
    cursor: str | None


def page_by_status(
    session: Session, ctx: TenantContext, model: type[T], query: StatusListQuery
) -> tuple[list[T], str | None]:
    """A page of live rows (``billing:read``), newest first, with the status and customer ``query``
    names."""
    equal = {"status": query.get("status"), "customer_id": query.get("customer")}
    return page_of(session, ctx, model, equal=equal, limit=query.get("limit"), cursor=query.get("cursor"))


def patch_fields(
    session: Session,
    ctx: TenantContext,
    row: TenantOwned,
    data: BaseModel,
    kind: str,
    fields: list[str],
    *,
    settable: tuple[str, ...],
    required: tuple[str, ...],
) -> None:
    """Copy the ``settable`` fields the request sent (a null for a ``required`` one is a 422); a change
    that differs is stamped and audited as ``<kind>.updated``."""
    sent = data.model_fields_set
    for name in required:
        if name in sent and getattr(data, name) is None:
            raise ValidationFailed.one(name, "cannot be null")
    before = audit.snapshot(row, fields)
    for name in settable:
        if name in sent:
            setattr(row, name, getattr(data, name))
    changes = audit.diff(before, audit.snapshot(row, fields))
    if changes:  # nothing sent that differs: nothing to record
        touch(session, row)
        audit.record(session, ctx, f"{kind}.updated", kind, row.id, changes)


def deactivate_and_delete(session: Session, ctx: TenantContext, row: Any, kind: str) -> None:
    """Soft delete a row with an ``active`` flag: gone from reads and lists, and inactive, so nothing
    new uses it; what was issued with it keeps pointing at it."""
    row.deleted_at = datetime.now(UTC)
    row.active = False
    session.flush()
    audit.record(session, ctx, f"{kind}.deleted", kind, row.id, {"deleted": True})

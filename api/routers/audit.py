"""The audit trail (admins only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Ctx, Cursor, Db, Limit
from api.envelope import rows_page
from api.resource_routes import ResourceRoutes
from domain.audit import service as audit
from domain.audit.schemas import AuditEntryOut

router = APIRouter(prefix="/api/v1", tags=["audit"])
routes = ResourceRoutes(router, AuditEntryOut, collection="/audit")


@routes.listing(summary="Audit entries, newest first")
def list_audit(
    ctx: Ctx,
    session: Db,
    entity_type: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=255)] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    rows, next_cursor = audit.list_entries(
        session, ctx, entity_type=entity_type, entity_id=entity_id, limit=limit, cursor=cursor
    )
    return rows_page(AuditEntryOut, rows, limit=limit, next_cursor=next_cursor)

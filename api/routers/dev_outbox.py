"""The local dev outbox: what the outbox adapter 'sent' instead of a provider (development only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from api.deps import Ctx, Cursor, Db, Limit, SettingsDep
from api.envelope import rows_page
from api.resource_routes import ResourceRoutes
from domain.errors import DomainError, NotFound
from domain.notifications import tracking

router = APIRouter(prefix="/api/v1", tags=["dev_outbox"])


class DevOutboxOff(NotFound):
    def __init__(self) -> None:
        DomainError.__init__(self, "The dev outbox is off; set KEEL_DEV_OUTBOX_ENABLED=true to turn it on.")


class OutboxMessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    channel: str
    to: str
    subject: str
    text: str
    html: str
    data: dict[str, Any]
    message_id: uuid.UUID | None
    created_at: datetime


routes = ResourceRoutes(router, OutboxMessageOut, collection="/dev/outbox")


# 404 while the outbox is off.
@routes.listing(404, summary="Messages the local outbox adapter stored instead of sending, newest first")
def list_outbox(
    ctx: Ctx,
    session: Db,
    settings: SettingsDep,
    to: Annotated[str | None, Query(max_length=2048, description="an email address or phone number")] = None,
    channel: Literal["email", "sms", "push"] | None = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    if not settings.dev_outbox_enabled:
        raise DevOutboxOff()
    rows, next_cursor = tracking.dev_outbox(session, ctx, to=to, channel=channel, limit=limit, cursor=cursor)
    return rows_page(OutboxMessageOut, rows, limit=limit, next_cursor=next_cursor)

"""The caller's in-app inbox: task assignments, escalations, reminders, process notifications."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from api.deps import Ctx, Cursor, Db, Limit
from api.envelope import Envelope, errors, rows_page, success
from domain.notifications import service as notifications
from domain.notifications.schemas import NotificationOut

router = APIRouter(prefix="/api/v1/me/inbox", tags=["inbox"])


@router.get(
    "",
    response_model=Envelope[list[NotificationOut]],
    responses=errors(),
    summary="Your in-app notifications, newest first; meta.unread_count counts the unread",
)
def list_inbox(
    ctx: Ctx, session: Db, unread: bool = False, limit: Limit = None, cursor: Cursor = None
) -> dict[str, Any]:
    rows, next_cursor, unread_count = notifications.inbox(
        session, ctx, unread=unread, limit=limit, cursor=cursor
    )
    body = rows_page(NotificationOut, rows, limit=limit, next_cursor=next_cursor)
    body["meta"]["unread_count"] = unread_count
    return body


@router.post(
    "/{notification_id}/read",
    response_model=Envelope[NotificationOut],
    responses=errors(404),
    summary="Mark one notification read (again is harmless)",
)
def mark_read(notification_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    row = notifications.mark_read(session, ctx, notification_id)
    return success(NotificationOut.model_validate(row).model_dump(mode="json"))

"""Webhooks and notification templates. The pages read through the services the REST routers call; their
scripts change things through the documented endpoints: ``POST /api/v1/webhooks``, ``POST
/api/v1/webhooks/deliveries/{id}/retry``, and render a template with ``POST
/api/v1/notification-templates/{key}/preview`` (the same rendering a delivery uses)."""

from __future__ import annotations

import re
import uuid
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from domain.context import TenantContext
from domain.errors import NotFound, ValidationFailed
from domain.notifications import templates
from domain.notifications.schemas import SLUG
from domain.notifications.template_engine import CHANNEL_FIELDS
from domain.webhooks import service as webhooks
from domain.webhooks.schemas import STATUSES, WebhookOut
from web.console import views
from web.console.admin_pages import PAGE, bounded, respond

router = APIRouter()
RETRYABLE = ("failed", "disabled")  # the statuses the retry endpoint replays
_KEY = re.compile(SLUG)
MOST_TEMPLATES = 200


def _hooks(cursor: str) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        bounded(cursor=cursor)
        rows, next_cursor = webhooks.list_webhooks(session, ctx, limit=PAGE, cursor=cursor or None)
        return {
            "hooks": [WebhookOut.model_validate(r) for r in rows],
            "next_cursor": next_cursor,
            "can_write": ctx.can("webhooks:write"),
            "zone": views.zone(session, ctx),
        }

    return read


@router.get("/webhooks")
async def hooks_page(request: Request, cursor: Annotated[str, Query()] = "") -> Response:
    """The subscribed endpoints, newest first, and a form that subscribes one (its secret shown once)."""
    return await respond(request, _hooks(cursor), "admin_webhooks.html", cursor=cursor)


def _hook(status: str, cursor: str, webhook_id: uuid.UUID) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        hook = webhooks.get_webhook(session, ctx, webhook_id)
        bounded(cursor=cursor)
        if status and status not in STATUSES:
            raise ValidationFailed.one("status", f"must be one of {', '.join(STATUSES)}")
        rows, next_cursor = webhooks.list_deliveries(
            session, ctx, hook.id, status=status or None, limit=PAGE, cursor=cursor or None
        )
        return {
            "hook": WebhookOut.model_validate(hook),
            "counts": webhooks.delivery_counts(session, ctx, hook.id),
            "deliveries": rows,
            "next_cursor": next_cursor,
            "can_retry": ctx.can("webhooks:write"),
            "zone": views.zone(session, ctx),
        }

    return read


@router.get("/webhooks/{webhook_id}")
async def hook_page(
    request: Request,
    webhook_id: str,
    status: Annotated[str, Query()] = "",
    cursor: Annotated[str, Query()] = "",
) -> Response:
    """One endpoint: its subscription, its deliveries by status, and the recent ones (filtered by
    status) with a retry button on each failed or disabled one."""
    reader = partial(_hook, status, cursor)
    read = await views.one(request, "webhook", webhook_id, reader)
    if isinstance(read, Response):
        return read
    found, seen = read
    asked = {"status": status, "cursor": cursor}
    return views.answer(
        request, found, "admin_webhook.html", seen, asked=asked, statuses=STATUSES, retryable=RETRYABLE
    )


def _listing(after: str) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        if after and not (len(after) <= 100 and _KEY.match(after)):
            raise ValidationFailed.one("after", "is not a template key")
        views_, last = templates.latest_all(session, ctx, limit=MOST_TEMPLATES, after=after or None)
        return {"templates": views_, "after": last, "zone": views.zone(session, ctx)}

    return read


@router.get("/templates")
async def templates_page(request: Request, after: Annotated[str, Query()] = "") -> Response:
    """The latest version of each template (the organisation's, and the built-ins it has not replaced)."""
    return await respond(request, _listing(after), "admin_templates.html")


def _template(key: str) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        if not _KEY.match(key) or len(key) > 100:
            raise NotFound("notification template", key)  # a key no template can have names nothing
        view = templates.get(session, ctx, key)
        variables, required = templates.variables_of(view)
        channels = sorted(c for c in view.channels_with_content() if c in CHANNEL_FIELDS)
        locales = sorted({loc for c in channels for loc in view.channels[c]})
        return {
            "view": view,
            "variables": variables,
            "required": required,
            "channels": channels,
            "locales": locales,
            "fields": CHANNEL_FIELDS,
            "sample": {name: "" for name in variables},
            "zone": views.zone(session, ctx),
        }

    return read


@router.get("/templates/{key}")
async def template_page(request: Request, key: str) -> Response:
    """One template's content per channel and locale, and a preview rendered by the REST API with the
    data the visitor types."""
    return await respond(request, _template(key), "admin_template.html")

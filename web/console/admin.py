"""The console's administration: users and roles, API keys, webhooks and their deliveries, notification
templates. Each section is read with the permission its REST listing asks for; a visitor who may read
none of them gets the 403 page. Every change goes through the documented REST API (admin_people,
admin_hooks)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from domain.context import TenantContext
from domain.errors import PermissionDenied
from web.console import admin_hooks, admin_people, i18n
from web.console.admin_pages import respond, sections
from web.console.admin_words import WORDS

i18n.extend(WORDS)

router = APIRouter(prefix="/app/admin", include_in_schema=False)


def _overview(session: Session, ctx: TenantContext) -> dict[str, Any]:
    shown = sections(ctx)
    if not shown:
        raise PermissionDenied("You may not administer this organisation.")
    return {"sections": shown}


@router.get("")
async def overview(request: Request) -> Response:
    """Links to the sections the visitor may read."""
    return await respond(request, _overview, "admin.html")


router.include_router(admin_people.router)
router.include_router(admin_hooks.router)

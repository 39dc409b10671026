"""Users, roles and API keys. The pages read through the identity services the REST routers call; their
forms send every change to the documented endpoints: ``POST /api/v1/users``, ``PATCH
/api/v1/users/{id}``, ``POST /api/v1/roles``, ``POST /api/v1/api-keys`` and ``DELETE
/api/v1/api-keys/{id}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from db.models import User
from domain.context import TenantContext
from domain.identity import manage
from domain.identity import service as identity
from domain.identity.permissions import ALL, PERMISSIONS
from domain.queries import mine
from web.console import views
from web.console.admin_pages import PAGE, bounded, done, respond

router = APIRouter()
GRANTABLE = (ALL, *PERMISSIONS)  # what a role or a key may be given, "*" (everything) first
MOST_ROLES = 200  # the REST listing's largest page: a tenant's roles fit in it


def _people(cursor: str) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        bounded(cursor=cursor)
        users, next_cursor = identity.list_users(session, ctx, limit=PAGE, cursor=cursor or None)
        roles = (
            identity.list_roles(session, ctx, limit=MOST_ROLES, cursor=None)[0]
            if ctx.can("roles:read")
            else []
        )
        return {
            "users": users,
            "next_cursor": next_cursor,
            "roles": sorted(roles, key=lambda r: r.name),
            "grantable": GRANTABLE,
            "can_write_users": ctx.can("users:write"),
            "can_write_roles": ctx.can("roles:write"),
            "can_read_roles": ctx.can("roles:read"),
            "zone": views.zone(session, ctx),
        }

    return read


@router.get("/users")
async def users_page(
    request: Request,
    cursor: Annotated[str, Query()] = "",
    done_: Annotated[str, Query(alias="done")] = "",
) -> Response:
    """Users with their roles and status, a form to add one and, per user, one to change roles or
    deactivate; then the roles with their permissions and a form to add one."""
    return await respond(request, _people(cursor), "admin_users.html", done=done(done_), cursor=cursor)


def _keys(session: Session, ctx: TenantContext) -> dict[str, Any]:
    ctx.require("api_keys:write")
    keys = manage.list_api_keys(session, ctx)
    owners = {k.user_id for k in keys}
    emails = dict(
        session.execute(
            select(User.id, User.email).where(*mine(ctx, User, deleted=True), User.id.in_(owners))
        )
        .tuples()
        .all()
    )
    return {
        "keys": sorted(keys, key=lambda k: k.created_at, reverse=True),
        "owners": emails,
        "grantable": GRANTABLE,
        "me": ctx.user_id,
        "zone": views.zone(session, ctx),
    }


@router.get("/api-keys")
async def keys_page(request: Request) -> Response:
    """The keys (an administrator sees every key of the organisation), a form that creates one and
    shows its secret once, and a revoke button per key."""
    return await respond(request, _keys, "admin_keys.html")

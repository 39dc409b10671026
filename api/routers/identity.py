"""Users, roles, API keys and the caller's own profile."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from api.deps import Ctx, Cursor, Db, IfMatch, Limit
from api.envelope import Envelope, created, dumped, models_page, rows_listed, success
from api.etag import check_if_match, etag
from api.resource_routes import ResourceRoutes
from domain.identity import manage
from domain.identity import service as identity
from domain.identity.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    RoleCreate,
    RoleOut,
    RoleUpdate,
    UserCreate,
    UserOut,
    UserUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["identity"])
users = ResourceRoutes(router, UserOut, collection="/users", item="/{user_id}")
me_routes = ResourceRoutes(router, UserOut, collection="/me")
roles = ResourceRoutes(router, RoleOut, collection="/roles", item="/{role_id}")
api_keys = ResourceRoutes(router, ApiKeyOut, collection="/api-keys", item="/{key_id}")


@users.create(409)
def create_user(body: UserCreate, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    user = identity.create_user(session, ctx, body)
    return created(response, f"/api/v1/users/{user.id}", user.model_dump(mode="json"))


@users.listing()
def list_users(
    ctx: Ctx,
    session: Db,
    limit: Limit = None,
    cursor: Cursor = None,
    email: Annotated[str | None, Query(max_length=320)] = None,
) -> dict[str, Any]:
    users, next_cursor = identity.list_users(session, ctx, limit=limit, cursor=cursor, email=email)
    return models_page(users, limit=limit, next_cursor=next_cursor)


def _precondition(if_match: IfMatch = None) -> manage.Precondition:
    return lambda ident, updated_at: check_if_match(if_match, etag(ident, updated_at))


Precondition = Annotated[manage.Precondition, Depends(_precondition)]


def _tagged(response: Response, ident: uuid.UUID, updated_at: datetime, out: BaseModel) -> dict[str, Any]:
    """The envelope of ``out``, with the ETag that a later If-Match sends back."""
    response.headers["ETag"] = etag(ident, updated_at)
    return success(out.model_dump(mode="json"))


@users.read()
def get_user(user_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    user = identity.get_user(session, ctx, user_id)
    return _tagged(response, user.id, user.updated_at, user)


@users.patch(
    409,
    412,
    summary="Change a user's name, roles (replaced as a whole) or is_active",
    description="Needs `users:write`, and every permission the user holds (403 `forbidden` with "
    "`details.missing` otherwise: a user manager cannot change an admin). New roles follow the rule of "
    "`POST /users`: only roles whose permissions the caller holds. Taking roles away or `is_active: "
    "false` applies to the user's tokens and API keys from the next request. The tenant's last active "
    "admin stays one (409).",
)
def update_user(
    user_id: uuid.UUID, body: UserUpdate, ctx: Ctx, session: Db, response: Response, unchanged: Precondition
) -> dict[str, Any]:
    user = manage.update_user(session, ctx, user_id, body, precondition=unchanged)
    return _tagged(response, user.id, user.updated_at, user)


@me_routes.read(summary="The authenticated user", undocumented_errors=True)
def me(ctx: Ctx, session: Db) -> dict[str, Any]:
    assert ctx.user_id is not None
    user = identity.get_user(session, ctx, ctx.user_id)
    return success(
        user.model_dump(mode="json"),
        meta={"tenant_id": str(ctx.tenant_id), "permissions": sorted(ctx.permissions)},
    )


@roles.create(409)
def create_role(body: RoleCreate, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    role = identity.create_role(session, ctx, body)
    return created(response, f"/api/v1/roles/{role.id}", RoleOut.model_validate(role).model_dump(mode="json"))


@roles.patch(
    409,
    412,
    summary="Change a role's description or permissions (replaced as a whole)",
    description="Needs `roles:write` and every permission the role holds and is given (403 `forbidden` "
    "with `details.missing` otherwise). The `admin` role keeps `*` (409). Permissions taken away apply "
    "to the role's users from their next request.",
)
def update_role(
    role_id: uuid.UUID, body: RoleUpdate, ctx: Ctx, session: Db, response: Response, unchanged: Precondition
) -> dict[str, Any]:
    role = manage.update_role(session, ctx, role_id, body, precondition=unchanged)
    return _tagged(response, role.id, role.updated_at, RoleOut.model_validate(role))


@roles.delete(
    409,
    summary="Delete a role (soft); ?force=true first takes it from the users who hold it",
    description="Needs `roles:write` and every permission the role holds (403 `forbidden` with "
    "`details.missing` otherwise). The `admin` role cannot be deleted (409), nor a role still held by "
    "users (409, `details.users` counts them) unless `force=true`, which also needs `users:write` and "
    "narrows those users' access from their next request, in every process. The name may be reused.",
)
def delete_role(
    role_id: uuid.UUID, ctx: Ctx, session: Db, force: Annotated[bool, Query()] = False
) -> dict[str, Any]:
    role = manage.delete_role(session, ctx, role_id, force=force)
    return success(RoleOut.model_validate(role).model_dump(mode="json"), message="The role is deleted.")


@roles.read()
def get_role(role_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    role = manage.get_role(session, ctx, role_id)
    return _tagged(response, role.id, role.updated_at, RoleOut.model_validate(role))


@roles.listing()
def list_roles(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> Envelope[list[RoleOut]]:
    roles, next_cursor = identity.list_roles(session, ctx, limit=limit, cursor=cursor)
    return rows_listed(RoleOut, roles, limit=limit, next_cursor=next_cursor)


@api_keys.create(
    model=ApiKeyCreated,
    summary="Create an API key acting as you; the key is shown once",
    description="`expires_at` (optional, in the future, within two years): the key then answers 401 "
    '"The API key has expired.". `permissions` (optional): the key may do at most these, each of which '
    "you must hold (403 `forbidden` with `details.missing` otherwise); at each use they are intersected "
    "with what you hold then, so narrowing your roles narrows your keys.",
)
def create_api_key(body: ApiKeyCreate, ctx: Ctx, session: Db) -> dict[str, Any]:
    key, plaintext = identity.create_api_key(
        session, ctx, body.name, expires_at=body.expires_at, permissions=body.permissions
    )
    # The key as listed, with its secret this once (the response model keeps ApiKeyCreated's fields).
    out = dumped(ApiKeyOut, key) | {"api_key": plaintext}
    return success(out, message="Store this key now: it cannot be shown again.")


@api_keys.listing(
    summary="Your API keys (an admin: every key of the tenant), without their secrets",
    undocumented_errors=True,
)
def list_api_keys(ctx: Ctx, session: Db) -> dict[str, Any]:
    keys = manage.list_api_keys(session, ctx)
    out = [ApiKeyOut.model_validate(k).model_dump(mode="json") for k in keys]
    return success(out)


# Any caller revokes its own keys: no permission is asked, another's key is a 404.
@api_keys.delete(
    summary="Revoke one of your API keys (an admin: anyone's); it stops working at once", unguarded=True
)
def revoke_api_key(key_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    key = manage.revoke_api_key(session, ctx, key_id)
    out = ApiKeyOut.model_validate(key).model_dump(mode="json")
    return success(out, message="The key is revoked.")

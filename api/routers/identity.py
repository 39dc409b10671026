"""Users, roles, API keys and the caller's own profile."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from api.deps import Ctx, Cursor, Db, IfMatch, Limit
from api.envelope import Envelope, created, dumped, errors, models_page, rows_listed, success
from api.etag import check_if_match, etag
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


@router.post("/users", status_code=201, response_model=Envelope[UserOut], responses=errors(403, 409))
def create_user(body: UserCreate, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    user = identity.create_user(session, ctx, body)
    return created(response, f"/api/v1/users/{user.id}", user.model_dump(mode="json"))


@router.get("/users", response_model=Envelope[list[UserOut]], responses=errors(403))
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


@router.get("/users/{user_id}", response_model=Envelope[UserOut], responses=errors(403, 404))
def get_user(user_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    user = identity.get_user(session, ctx, user_id)
    return _tagged(response, user.id, user.updated_at, user)


@router.patch(
    "/users/{user_id}",
    response_model=Envelope[UserOut],
    responses=errors(403, 404, 409, 412),
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


@router.get("/me", response_model=Envelope[UserOut], summary="The authenticated user")
def me(ctx: Ctx, session: Db) -> dict[str, Any]:
    assert ctx.user_id is not None
    user = identity.get_user(session, ctx, ctx.user_id)
    return success(
        user.model_dump(mode="json"),
        meta={"tenant_id": str(ctx.tenant_id), "permissions": sorted(ctx.permissions)},
    )


@router.post("/roles", status_code=201, response_model=Envelope[RoleOut], responses=errors(403, 409))
def create_role(body: RoleCreate, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    role = identity.create_role(session, ctx, body)
    return created(response, f"/api/v1/roles/{role.id}", RoleOut.model_validate(role).model_dump(mode="json"))


@router.patch(
    "/roles/{role_id}",
    response_model=Envelope[RoleOut],
    responses=errors(403, 404, 409, 412),
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


@router.delete(
    "/roles/{role_id}",
    response_model=Envelope[RoleOut],
    responses=errors(403, 404, 409),
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


@router.get("/roles/{role_id}", response_model=Envelope[RoleOut], responses=errors(403, 404))
def get_role(role_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    role = manage.get_role(session, ctx, role_id)
    return _tagged(response, role.id, role.updated_at, RoleOut.model_validate(role))


@router.get("/roles", responses=errors(403))
def list_roles(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> Envelope[list[RoleOut]]:
    roles, next_cursor = identity.list_roles(session, ctx, limit=limit, cursor=cursor)
    return rows_listed(RoleOut, roles, limit=limit, next_cursor=next_cursor)


@router.post(
    "/api-keys",
    status_code=201,
    response_model=Envelope[ApiKeyCreated],
    responses=errors(403),
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


@router.get(
    "/api-keys",
    response_model=Envelope[list[ApiKeyOut]],
    summary="Your API keys (an admin: every key of the tenant), without their secrets",
)
def list_api_keys(ctx: Ctx, session: Db) -> dict[str, Any]:
    keys = manage.list_api_keys(session, ctx)
    out = [ApiKeyOut.model_validate(k).model_dump(mode="json") for k in keys]
    return success(out)


@router.delete(
    "/api-keys/{key_id}",
    response_model=Envelope[ApiKeyOut],
    responses=errors(404),
    summary="Revoke one of your API keys (an admin: anyone's); it stops working at once",
)
def revoke_api_key(key_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    key = manage.revoke_api_key(session, ctx, key_id)
    out = ApiKeyOut.model_validate(key).model_dump(mode="json")
    return success(out, message="The key is revoked.")

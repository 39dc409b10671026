"""Changing users and revoking API keys: access that narrows takes effect on the next request.

A user manager changes only users who hold nothing it lacks (a ``users:write`` holder cannot demote,
deactivate or rename an admin), and gives them only roles it could create them with.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import ApiKey, Role, User, UserRole
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import Conflict, NotFound, PermissionDenied
from domain.identity import grants, mfa, sessions
from domain.identity.permissions import ALL
from domain.identity.revocation import forget_principals
from domain.identity.schemas import RoleUpdate, UserOut, UserUpdate
from domain.identity.service import ROLE_FIELDS, USER_FIELDS, roles_by_name, user_out
from domain.queries import find, get_or_404, live, mine, touch

ADMIN_ROLE = "admin"


def _roles_of(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> list[Role]:
    return list(
        session.scalars(
            live(ctx, Role)
            .join(UserRole, UserRole.role_id == Role.id)
            .where(UserRole.user_id == user_id)
            .order_by(Role.name)
        )
    )


def _other_admins(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> bool:
    """Whether another active user is an admin. Locks the admin role first, so two admins demoting
    each other at once are answered one after the other."""
    session.execute(
        select(Role.id).where(*mine(ctx, Role, deleted=True), Role.name == ADMIN_ROLE).with_for_update()
    )
    stmt = (
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .join(Role, Role.id == UserRole.role_id)
        .where(
            *mine(ctx, User),
            User.id != user_id,
            User.is_active,
            Role.name == ADMIN_ROLE,
            Role.deleted_at.is_(None),
        )
        .limit(1)
    )
    return session.scalar(stmt) is not None


def _require_outranks(ctx: TenantContext, roles: list[Role]) -> None:
    missing = grants.lacking(ctx, (p for r in roles for p in r.permissions))
    if missing:
        raise PermissionDenied(
            f"This user holds permissions you do not ({', '.join(missing)}); you may not change it.",
            {"missing": missing},
        )


Precondition = Callable[[uuid.UUID, datetime], None]  # (id, updated_at): the route's If-Match check


def update_user(
    session: Session,
    ctx: TenantContext,
    user_id: uuid.UUID,
    data: UserUpdate,
    *,
    precondition: Precondition | None = None,
) -> UserOut:
    ctx.require("users:write")
    user = get_or_404(session, ctx, User, user_id, "user", for_update=True)
    roles = _roles_of(session, ctx, user.id)
    _require_outranks(ctx, roles)
    if precondition is not None:
        precondition(user.id, user.updated_at)
    before = audit.snapshot(user, USER_FIELDS) | {"roles": [r.name for r in roles]}
    changed = data.model_fields_set
    if data.roles is not None:
        roles = roles_by_name(session, ctx, data.roles)
        grants.require_roles_grantable(ctx, roles)
        session.execute(delete(UserRole).where(UserRole.user_id == user.id))
        session.add_all(UserRole(tenant_id=ctx.tenant_id, user_id=user.id, role_id=r.id) for r in roles)
    was_admin = user.is_active and ADMIN_ROLE in before["roles"]
    active = user.is_active if data.is_active is None else data.is_active
    if (
        was_admin
        and not (active and any(r.name == ADMIN_ROLE for r in roles))
        and not _other_admins(session, ctx, user.id)
    ):
        raise Conflict("This is the tenant's last active admin; make someone else admin first.")
    if "full_name" in changed:
        user.full_name = data.full_name
    if data.is_active is not None:
        user.is_active = data.is_active
    touch(session, user)
    if changed & {"roles", "is_active"}:
        forget_principals(session)
    if data.is_active is False:
        sessions.revoke_all(session, ctx, user.id, "deactivated")
    after = audit.snapshot(user, USER_FIELDS) | {"roles": sorted(r.name for r in roles)}
    audit.record(session, ctx, "user.updated", "user", user.id, audit.diff(before, after))
    return user_out(user, [r.name for r in roles])


def _manageable(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> User:
    ctx.require("users:write")
    user = get_or_404(session, ctx, User, user_id, "user", for_update=True)
    _require_outranks(ctx, _roles_of(session, ctx, user.id))
    return user


def revoke_user_sessions(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> int:
    """End every sign-in session of a user the caller outranks; how many there were."""
    user = _manageable(session, ctx, user_id)
    return sessions.revoke_all(session, ctx, user.id, "revoked")


def reset_user_mfa(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> None:
    """Remove the second factor of a user the caller outranks (a lost phone), ending their sessions."""
    user = _manageable(session, ctx, user_id)
    mfa.reset(session, ctx, user.id)
    sessions.revoke_all(session, ctx, user.id, "mfa_reset")


def get_role(session: Session, ctx: TenantContext, role_id: uuid.UUID) -> Role:
    ctx.require("roles:read")
    return get_or_404(session, ctx, Role, role_id, "role")


def update_role(
    session: Session,
    ctx: TenantContext,
    role_id: uuid.UUID,
    data: RoleUpdate,
    *,
    precondition: Precondition | None = None,
) -> Role:
    """Only a caller holding every permission the role holds, and every one it is given, may change it;
    the ``admin`` role keeps ``*`` (else a tenant could lose its last way to manage itself)."""
    ctx.require("roles:write")
    role = get_or_404(session, ctx, Role, role_id, "role", for_update=True)
    missing = grants.lacking(ctx, role.permissions)
    if missing:
        raise PermissionDenied(
            f"This role holds permissions you do not ({', '.join(missing)}); you may not change it.",
            {"missing": missing},
        )
    if precondition is not None:
        precondition(role.id, role.updated_at)
    before = audit.snapshot(role, ROLE_FIELDS)
    if data.permissions is not None:
        grants.require_permissions_grantable(ctx, data.permissions)
        if role.name == ADMIN_ROLE and data.permissions != [ALL]:
            raise Conflict("The admin role always holds every permission ('*').")
        narrowed = bool(set(role.permissions) - set(data.permissions))
        role.permissions = data.permissions
        if narrowed:
            forget_principals(session)
    if "description" in data.model_fields_set:
        role.description = data.description
    if data.mfa_required is not None:
        role.mfa_required = data.mfa_required
    touch(session, role)
    after = audit.snapshot(role, ROLE_FIELDS)
    audit.record(session, ctx, "role.updated", "role", role.id, audit.diff(before, after))
    return role


def delete_role(session: Session, ctx: TenantContext, role_id: uuid.UUID, *, force: bool = False) -> Role:
    """Soft-delete a role the caller could change. Never ``admin``; a role still held by users only
    with ``force`` (and ``users:write``), which takes it from them: their access narrows at once."""
    ctx.require("roles:write")
    role = get_or_404(session, ctx, Role, role_id, "role", for_update=True)
    if role.name == ADMIN_ROLE:
        raise Conflict("The admin role cannot be deleted.")
    missing = grants.lacking(ctx, role.permissions)
    if missing:
        raise PermissionDenied(
            f"This role holds permissions you do not ({', '.join(missing)}); you may not delete it.",
            {"missing": missing},
        )
    holders = list(session.scalars(select(UserRole.user_id).where(UserRole.role_id == role.id)))
    if holders and not force:
        raise Conflict(
            f"{len(holders)} user(s) hold this role; take it from them first, or delete with ?force=true.",
            {"users": len(holders)},
        )
    if holders:
        ctx.require("users:write")
        session.execute(delete(UserRole).where(UserRole.role_id == role.id))
    role.deleted_at = datetime.now(UTC)
    session.flush()
    forget_principals(session)
    change = {"name": [role.name, None], "users": [len(holders), 0]}
    audit.record(session, ctx, "role.deleted", "role", role.id, change)
    return role


# -- API keys --------------------------------------------------------------------------------------
def list_api_keys(session: Session, ctx: TenantContext) -> list[ApiKey]:
    """The caller's own keys (an admin's: every key of the tenant), never their secrets."""
    stmt = live(ctx, ApiKey)
    if not ctx.is_admin:
        stmt = stmt.where(ApiKey.user_id == ctx.user_id)
    return list(session.scalars(stmt.order_by(ApiKey.created_at, ApiKey.id)))


def revoke_api_key(session: Session, ctx: TenantContext, key_id: uuid.UUID) -> ApiKey:
    """Anyone may revoke their own keys; an admin, anyone's. Another user's key is a 404."""
    key = find(session, ctx, ApiKey, key_id, for_update=True)
    if key is None or (key.user_id != ctx.user_id and not ctx.is_admin):
        raise NotFound("api key", key_id)
    key.deleted_at = datetime.now(UTC)
    session.flush()
    forget_principals(session)
    audit.record(session, ctx, "api_key.revoked", "api_key", key.id, {"prefix": [key.prefix, None]})
    return key

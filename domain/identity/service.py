"""Tenants, users, roles, API keys and credential checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import ApiKey, Role, Tenant, User, UserRole
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import Conflict, FieldError, PermissionDenied, Unauthenticated, ValidationFailed
from domain.identity import grants, secrets
from domain.identity.errors import WrongPassword
from domain.identity.permissions import ALL, MEMBER_DEFAULT
from domain.identity.schemas import RoleCreate, TenantCreated, TenantIn, UserCreate, UserOut
from domain.pagination import live_page, paginate
from domain.queries import get_or_404, live, mine

USER_FIELDS = ["email", "full_name", "is_active"]
ROLE_FIELDS = ["name", "description", "permissions", "mfa_required"]


# -- tenants ---------------------------------------------------------------------------------
def create_tenant(
    session: Session, data: TenantIn, *, admin_email: str, admin_password: str
) -> TenantCreated:
    """Create a tenant with its ``admin`` and ``member`` roles, an admin user and a first API key.

    Runs on the owner connection (the CLI), because the application role may not create tenants.
    """
    if session.scalar(select(Tenant.id).where(Tenant.domain == data.domain)):
        raise Conflict(f"A tenant with domain {data.domain} already exists.")
    tenant = Tenant(
        name=data.name, domain=data.domain, subscription_tier=data.subscription_tier, settings=data.settings
    )
    session.add(tenant)
    session.flush()
    session.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant.id)})
    ctx = TenantContext.system(tenant.id, tenant.domain)
    audit.record(
        session,
        ctx,
        "tenant.created",
        "tenant",
        tenant.id,
        audit.diff(None, {"name": data.name, "domain": data.domain}),
    )
    _new_role(session, ctx, RoleCreate(name="admin", description="Everything", permissions=[ALL]))
    _new_role(
        session,
        ctx,
        RoleCreate(name="member", description="Start processes, work tasks", permissions=MEMBER_DEFAULT),
    )
    admin = create_user(
        session,
        ctx,
        UserCreate(email=admin_email, password=admin_password, full_name="Administrator", roles=["admin"]),
    )
    _key_id, plaintext = _new_api_key(session, ctx, admin.id, "bootstrap")
    return TenantCreated(
        tenant_id=tenant.id, admin_user_id=admin.id, admin_email=admin.email, api_key=plaintext
    )


# -- credentials -----------------------------------------------------------------------------
INVALID_CREDENTIALS = "Invalid credentials."


def _names(row: RowMapping, tenant: str) -> bool:
    """Whether ``tenant`` (the tenant's domain or id, as the client sent it) designates the row's."""
    wanted = tenant.strip().lower()
    return wanted in (row["domain"].lower(), str(row["tenant_id"]))


def authenticate_password(
    session: Session, email: str, password: str, tenant: str | None
) -> tuple[uuid.UUID, uuid.UUID]:
    """Returns (tenant_id, user_id).

    Every failure is the same 401, after one password hash either way, so neither the answer nor its
    timing tells whether the email exists, exists in several tenants, or the password was wrong. An
    email in several tenants signs in only when the client names the tenant (``tenant``).
    """
    row = find_login(session, email, tenant)
    if row is None:
        secrets.burn_password_check(password)
        raise Unauthenticated(INVALID_CREDENTIALS)
    if not secrets.verify_password(row["password_hash"], password):
        raise WrongPassword(INVALID_CREDENTIALS, row["tenant_id"], row["user_id"])
    return row["tenant_id"], row["user_id"]


def find_login(session: Session, email: str, tenant: str | None) -> RowMapping | None:
    """The one active account ``email`` (and ``tenant``, when given) designates, or None."""
    rows = session.execute(text("SELECT * FROM keel_find_login(:e)"), {"e": email}).mappings().all()
    if tenant:
        rows = [r for r in rows if _names(r, tenant)]
    return rows[0] if len(rows) == 1 else None


@dataclass(frozen=True)
class KeyGrant:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    key_id: uuid.UUID
    expires_at: datetime | None
    permissions: frozenset[str] | None  # the key's subset; None: whatever its user holds


KEY_EXPIRED = "The API key has expired."


def authenticate_api_key(session: Session, plaintext: str) -> KeyGrant:
    prefix = secrets.api_key_prefix(plaintext)
    row = session.execute(text("SELECT * FROM keel_find_api_key(:p)"), {"p": prefix}).mappings().first()
    if row is None or not secrets.api_key_matches(plaintext, row["key_hash"]):
        raise Unauthenticated("The API key is not valid.")
    if row["expires_at"] is not None and row["expires_at"] <= datetime.now(UTC):
        raise Unauthenticated(KEY_EXPIRED)
    perms = row["permissions"]
    return KeyGrant(
        row["tenant_id"],
        row["user_id"],
        row["key_id"],
        row["expires_at"],
        None if perms is None else frozenset(perms),
    )


def key_permissions(held: frozenset[str], subset: frozenset[str] | None) -> frozenset[str]:
    """What a key may do: its subset intersected with what its user holds now, so a user whose
    role narrows narrows their keys too (``*`` on either side stands for the other side)."""
    if subset is None or ALL in subset:
        return held
    if ALL in held:
        return subset
    return held & subset


@dataclass(frozen=True)
class Principal:
    tenant_domain: str
    email: str
    roles: frozenset[str]
    permissions: frozenset[str]


# One round trip per request: the user, its tenant, its roles and their permissions.
_PRINCIPAL = text("""
    SELECT t.domain::text AS domain, u.email::text AS email,
           coalesce(array_agg(DISTINCT r.name) FILTER (WHERE r.id IS NOT NULL), '{}') AS roles,
           coalesce(array_agg(DISTINCT p.perm) FILTER (WHERE p.perm IS NOT NULL), '{}') AS permissions
    FROM users u
    JOIN tenants t ON t.id = u.tenant_id
    LEFT JOIN user_roles ur ON ur.user_id = u.id
    LEFT JOIN roles r ON r.id = ur.role_id AND r.deleted_at IS NULL
    LEFT JOIN LATERAL unnest(r.permissions) AS p(perm) ON true
    WHERE u.id = :user_id AND u.tenant_id = :tenant_id AND u.is_active AND u.deleted_at IS NULL
      AND t.is_active AND t.deleted_at IS NULL
    GROUP BY t.domain, u.email
""")


def load_principal(session: Session, tenant_id: uuid.UUID, user_id: uuid.UUID) -> Principal:
    """The user behind a credential, with its roles; inside the tenant's RLS scope."""
    row = session.execute(_PRINCIPAL, {"user_id": user_id, "tenant_id": tenant_id}).mappings().first()
    if row is None:
        raise Unauthenticated("The credential no longer designates an active user.")
    return Principal(row["domain"], row["email"], frozenset(row["roles"]), frozenset(row["permissions"]))


# -- users -----------------------------------------------------------------------------------
def roles_by_name(session: Session, ctx: TenantContext, names: list[str]) -> list[Role]:
    if not names:
        return []
    found = {r.name: r for r in session.scalars(live(ctx, Role).where(Role.name.in_(names)))}
    missing = [n for n in names if n not in found]
    if missing:
        raise ValidationFailed(
            [FieldError(f"roles.{names.index(n)}", f"role '{n}' does not exist") for n in missing]
        )
    return [found[n] for n in dict.fromkeys(names)]


def create_user(session: Session, ctx: TenantContext, data: UserCreate) -> UserOut:
    ctx.require("users:write")
    roles = roles_by_name(session, ctx, data.roles)
    grants.require_roles_grantable(ctx, roles)
    exists = session.scalar(select(User.id).where(*mine(ctx, User), User.email == data.email))
    if exists:
        raise Conflict(f"A user with email {data.email} already exists.", {"user_id": str(exists)})
    user = User.new(
        ctx,
        email=data.email,
        full_name=data.full_name,
        password_hash=secrets.hash_password(data.password),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create with the same email
        raise Conflict(f"A user with email {data.email} already exists.") from exc
    for role in roles:
        session.add(UserRole(tenant_id=ctx.tenant_id, user_id=user.id, role_id=role.id))
    session.flush()
    after = audit.snapshot(user, USER_FIELDS) | {"roles": [r.name for r in roles]}
    audit.record(session, ctx, "user.created", "user", user.id, audit.diff(None, after))
    return user_out(user, [r.name for r in roles])


def user_out(user: User, roles: list[str]) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        is_active=user.is_active,
        roles=sorted(roles),
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


def _role_names(session: Session, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = {u: [] for u in user_ids}
    if user_ids:
        rows = session.execute(
            select(UserRole.user_id, Role.name)
            .join(Role, Role.id == UserRole.role_id)
            .where(UserRole.user_id.in_(user_ids))
        )
        for uid, name in rows:
            out[uid].append(name)
    return out


def list_users(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None, email: str | None = None
) -> tuple[list[UserOut], str | None]:
    ctx.require("users:read")
    stmt = live(ctx, User)
    if email:
        stmt = stmt.where(User.email == email)
    users, next_cursor = paginate(session, stmt, User, limit, cursor)
    names = _role_names(session, [u.id for u in users])
    return [user_out(u, names[u.id]) for u in users], next_cursor


def get_user(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> UserOut:
    if ctx.user_id != user_id:
        ctx.require("users:read")
    user = get_or_404(session, ctx, User, user_id, "user")
    return user_out(user, _role_names(session, [user.id])[user.id])


def find_user_by_email(session: Session, ctx: TenantContext, email: str) -> User | None:
    return session.scalar(live(ctx, User).where(User.email == email, User.is_active))


def users_with_role(session: Session, ctx: TenantContext, role: str) -> list[User]:
    return list(
        session.scalars(
            live(ctx, User)
            .join(UserRole, UserRole.user_id == User.id)
            .join(Role, Role.id == UserRole.role_id)
            .where(Role.name == role, User.is_active)
        )
    )


def role_exists(session: Session, ctx: TenantContext, name: str) -> bool:
    stmt = select(func.count()).select_from(Role).where(*mine(ctx, Role), Role.name == name)
    return bool(session.scalar(stmt))


# -- roles -----------------------------------------------------------------------------------
def _new_role(session: Session, ctx: TenantContext, data: RoleCreate) -> Role:
    role = Role(tenant_id=ctx.tenant_id, **data.model_dump())
    session.add(role)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(f"A role named {data.name} already exists.") from exc
    audit.record(
        session, ctx, "role.created", "role", role.id, audit.diff(None, audit.snapshot(role, ROLE_FIELDS))
    )
    return role


def create_role(session: Session, ctx: TenantContext, data: RoleCreate) -> Role:
    ctx.require("roles:write")
    grants.require_permissions_grantable(ctx, data.permissions)
    if role_exists(session, ctx, data.name):
        raise Conflict(f"A role named {data.name} already exists.")
    return _new_role(session, ctx, data)


def list_roles(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[Role], str | None]:
    ctx.require("roles:read")
    return live_page(session, ctx, Role, limit=limit, cursor=cursor)


# -- API keys --------------------------------------------------------------------------------
def _new_api_key(
    session: Session,
    ctx: TenantContext,
    user_id: uuid.UUID,
    name: str,
    *,
    expires_at: datetime | None = None,
    permissions: list[str] | None = None,
) -> tuple[uuid.UUID, str]:
    minted = secrets.mint_api_key()
    key = ApiKey.new(
        ctx,
        user_id=user_id,
        name=name,
        prefix=minted.prefix,
        key_hash=minted.key_hash,
        expires_at=expires_at,
        permissions=permissions,
    )
    session.add(key)
    session.flush()
    change: dict[str, Any] = {"name": [None, name], "prefix": [None, minted.prefix]}
    if expires_at is not None:
        change["expires_at"] = [None, expires_at.isoformat()]
    if permissions is not None:
        change["permissions"] = [None, permissions]
    audit.record(session, ctx, "api_key.created", "api_key", key.id, change)
    return key.id, minted.plaintext


def create_api_key(
    session: Session,
    ctx: TenantContext,
    name: str,
    *,
    expires_at: datetime | None = None,
    permissions: list[str] | None = None,
) -> tuple[ApiKey, str]:
    """A key acting as the calling user: with that user's permissions, or the subset ``permissions``,
    each of which the caller must hold (a key never confers more than its creator holds)."""
    ctx.require("api_keys:write")
    if ctx.user_id is None:
        raise Unauthenticated("An API key belongs to a user.")
    if permissions is not None:
        missing = grants.lacking(ctx, permissions)
        if missing:
            raise PermissionDenied(
                f"A key may hold only permissions you hold; you lack: {', '.join(missing)}.",
                {"missing": missing},
            )
    key_id, plaintext = _new_api_key(
        session, ctx, ctx.user_id, name, expires_at=expires_at, permissions=permissions
    )
    key = session.get(ApiKey, key_id)
    assert key is not None
    return key, plaintext

"""Tenants (the seed's Organization), users, roles, API keys and password reset tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, CITEXT, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, Timestamps, WithId, parent_key
from db.models.indexes import unique_while_live


class Tenant(Base, WithId, Timestamps):
    __tablename__ = "tenants"

    name: Mapped[str] = mapped_column(String(255))
    domain: Mapped[str] = mapped_column(CITEXT, unique=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    subscription_tier: Mapped[str] = mapped_column(String(50), default="free", server_default="free")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class User(Base, TenantOwned):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant_id", "email"),)

    email: Mapped[str] = mapped_column(CITEXT)
    full_name: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class Role(Base, TenantOwned):
    __tablename__ = "roles"
    # Unique among live roles: a deleted role's name may be used again (0026).
    __table_args__ = (unique_while_live("uq_roles_tenant_name_live", "tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    permissions: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list, server_default="{}")
    # Everyone holding the role signs in with a second factor (0022).
    mfa_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class UserRole(Base, Timestamps):
    __tablename__ = "user_roles"

    tenant_id: Mapped[uuid.UUID] = parent_key("tenants", index=True)
    user_id: Mapped[uuid.UUID] = parent_key("users", primary_key=True)
    role_id: Mapped[uuid.UUID] = parent_key("roles", primary_key=True, index=True)


class ApiKey(Base, TenantOwned):
    __tablename__ = "api_keys"

    user_id: Mapped[uuid.UUID] = parent_key("users", index=True)
    name: Mapped[str] = mapped_column(String(255))
    # The public part of the key, used to find the row; the whole key is only ever stored hashed.
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    # Written at most once a minute per key (api.deps), not on every request.
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_ip: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # None: whatever its user holds; a list: at most these, intersected with what the user holds now.
    permissions: Mapped[list[str] | None] = mapped_column(ARRAY(String(64)))


class PasswordReset(Base, TenantOwned):
    """A reset token sent by email: single use, short-lived, stored only as its SHA-256."""

    __tablename__ = "password_resets"
    __table_args__ = (Index("ix_password_resets_user", "tenant_id", "user_id"),)

    user_id: Mapped[uuid.UUID] = parent_key("users")
    token_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    requested_ip: Mapped[str | None] = mapped_column(String(64))

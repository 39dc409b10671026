"""Sign-in sessions (a refresh token's family) and a user's second factor.

A session is made at each sign-in with a password; its refresh token is rotated on every use (the
row keeps the current token's hash and generation), and the access tokens it issues name it
(``sid``), so revoking the session stops them all. A user's TOTP secret is stored sealed with
``KEEL_SECRETS_KEYS``; recovery codes only as hashes.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key


class AuthSession(Base, TenantOwned):
    __tablename__ = "auth_sessions"
    __table_args__ = (Index("ix_auth_sessions_user", "tenant_id", "user_id"),)

    user_id: Mapped[uuid.UUID] = parent_key("users")
    refresh_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the current refresh token
    generation: Mapped[int] = mapped_column(Integer, default=0)  # rotations so far
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    mfa: Mapped[bool] = mapped_column(Boolean, default=False)  # signed in with a second factor
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(40))  # logout | revoked | reuse | user


class UserMfa(Base, TenantOwned):
    __tablename__ = "user_mfa"
    __table_args__ = (UniqueConstraint("user_id"),)

    user_id: Mapped[uuid.UUID] = parent_key("users")
    totp_secret: Mapped[str] = mapped_column(String(500))  # sealed (keel.crypto)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_step: Mapped[int] = mapped_column(BigInteger, default=0)  # the last TOTP time step used
    recovery_hashes: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    enrolled_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

"""identity: sign-in sessions with rotating refresh tokens, TOTP second factor, per-role MFA

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

from db.rls import isolate_tenants

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("auth_sessions", "user_mfa")
NOW = sa.text("now()")
# A refresh token names its session, not its tenant: the session is found before the tenant is
# known, through a narrow function as the credential lookups.
FIND_SESSION = """
CREATE FUNCTION keel_find_session(p_id uuid)
RETURNS TABLE(tenant_id uuid, user_id uuid, refresh_hash text, generation integer,
              expires_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.tenant_id, s.user_id, s.refresh_hash::text, s.generation, s.expires_at, s.revoked_at
  FROM auth_sessions s JOIN tenants t ON t.id = s.tenant_id
  WHERE s.id = p_id AND s.deleted_at IS NULL AND t.is_active AND t.deleted_at IS NULL
$$;
REVOKE ALL ON FUNCTION keel_find_session(uuid) FROM PUBLIC;
"""


def _common(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "auth_sessions",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("refresh_hash", sa.String(length=64), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.Column("mfa", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=40), nullable=True),
        *_common("auth_sessions"),
    )
    op.create_index(op.f("ix_auth_sessions_tenant_id"), "auth_sessions", ["tenant_id"])
    op.create_index("ix_auth_sessions_user", "auth_sessions", ["tenant_id", "user_id"])
    op.create_table(
        "user_mfa",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("totp_secret", sa.String(length=500), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=False),
        sa.Column("recovery_hashes", ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("enrolled_by", sa.UUID(), nullable=True),
        sa.UniqueConstraint("user_id", name=op.f("uq_user_mfa_user_id")),
        *_common("user_mfa"),
    )
    op.create_index(op.f("ix_user_mfa_tenant_id"), "user_mfa", ["tenant_id"])
    # A role may require a second factor of everyone who holds it.
    op.add_column("roles", sa.Column("mfa_required", sa.Boolean(), server_default="false", nullable=False))
    isolate_tenants(NEW_TABLES)
    op.execute(FIND_SESSION)


def downgrade() -> None:
    op.execute("DROP FUNCTION keel_find_session(uuid)")
    op.drop_column("roles", "mfa_required")
    for table in reversed(NEW_TABLES):
        op.drop_table(table)

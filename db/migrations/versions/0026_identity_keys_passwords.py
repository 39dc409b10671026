"""identity: API key expiry, permission subsets and last IP; password reset tokens; role names
reusable once a role is deleted

Revision ID: 0026
Revises: 0025
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

from db.rls import isolate_tenants

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("now()")
# The credential lookup answers the key's expiry and permission subset too; the signature (text) is
# unchanged, so db/migrate.py grants it as before.
FIND_KEY = """
DROP FUNCTION keel_find_api_key(text);
CREATE FUNCTION keel_find_api_key(p_prefix text)
RETURNS TABLE(key_id uuid, tenant_id uuid, user_id uuid, key_hash text,
              expires_at timestamptz, permissions text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.id, k.tenant_id, k.user_id, k.key_hash, k.expires_at, k.permissions::text[]
  FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
  WHERE k.prefix = p_prefix AND k.deleted_at IS NULL AND t.is_active AND t.deleted_at IS NULL
$$;
REVOKE ALL ON FUNCTION keel_find_api_key(text) FROM PUBLIC;
"""
OLD_FIND_KEY = """
DROP FUNCTION keel_find_api_key(text);
CREATE FUNCTION keel_find_api_key(p_prefix text)
RETURNS TABLE(key_id uuid, tenant_id uuid, user_id uuid, key_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.id, k.tenant_id, k.user_id, k.key_hash
  FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
  WHERE k.prefix = p_prefix AND k.deleted_at IS NULL AND t.is_active AND t.deleted_at IS NULL
$$;
REVOKE ALL ON FUNCTION keel_find_api_key(text) FROM PUBLIC;
"""


def upgrade() -> None:
    op.add_column("api_keys", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    # NULL: everything its user holds; a list: at most those (intersected with the user's).
    op.add_column("api_keys", sa.Column("permissions", ARRAY(sa.String(length=64)), nullable=True))
    op.add_column("api_keys", sa.Column("last_used_ip", sa.String(length=64), nullable=True))
    op.execute(FIND_KEY)
    # A deleted role's name may be used again.
    op.drop_constraint(op.f("uq_roles_tenant_id_name"), "roles", type_="unique")
    op.create_index(
        "uq_roles_tenant_name_live",
        "roles",
        ["tenant_id", "name"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "password_resets",
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requested_ip", sa.String(length=64), nullable=True),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_password_resets_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
    )
    op.create_index(op.f("ix_password_resets_tenant_id"), "password_resets", ["tenant_id"])
    op.create_index("ix_password_resets_user", "password_resets", ["tenant_id", "user_id"])
    isolate_tenants(["password_resets"])


def downgrade() -> None:
    op.drop_table("password_resets")
    op.drop_index("uq_roles_tenant_name_live", table_name="roles")
    op.create_unique_constraint(op.f("uq_roles_tenant_id_name"), "roles", ["tenant_id", "name"])
    op.execute(OLD_FIND_KEY)
    for column in ("last_used_ip", "permissions", "expires_at"):
        op.drop_column("api_keys", column)

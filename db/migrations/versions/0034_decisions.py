"""decisions: each tenant's published decision tables, one immutable row per name and version

Revision ID: 0034
Revises: 0033
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import create_tenant_table

TABLE = "decisions"
# Roles that may read or publish process definitions may do the same with decision tables, as new
# tenants' roles are created (domain/identity/permissions.py).
GRANTED = {"definitions:read": "decisions:read", "definitions:write": "decisions:write"}
ADD = (
    "UPDATE roles SET permissions = array_append(permissions, '{new}') "
    "WHERE '{old}' = ANY(permissions) AND NOT '{new}' = ANY(permissions)"
)
REMOVE = "UPDATE roles SET permissions = array_remove(permissions, '{new}')"

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tenant_table(
        TABLE,
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("published_by", sa.UUID(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("hit_policy", sa.String(length=16), nullable=False),
    )
    # A version names one content for good (domain/published.py); the listing reads a tenant's names.
    op.create_unique_constraint(
        op.f(f"uq_{TABLE}_tenant_id_name_version"), TABLE, ["tenant_id", "name", "version"]
    )
    for old, new in GRANTED.items():
        op.execute(ADD.format(old=old, new=new))


def downgrade() -> None:
    for new in GRANTED.values():
        op.execute(REMOVE.format(new=new))
    op.drop_table(TABLE)

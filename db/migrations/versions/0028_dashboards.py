"""analytics dashboards: each tenant's tiles over its metrics

Revision ID: 0028
Revises: 0027
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import isolate_tenants

TABLE = "analytics_dashboards"

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    at = sa.DateTime(timezone=True)
    op.create_table(
        TABLE,
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("tiles", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", at, server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", at, server_default=sa.text("now()"), nullable=False),
        sa.Column("deleted_at", at, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{TABLE}_tenant_id_tenants"), ondelete="CASCADE"
        ),
    )
    op.create_index(op.f(f"ix_{TABLE}_tenant_id"), TABLE, ["tenant_id"])
    isolate_tenants((TABLE,))


def downgrade() -> None:
    op.drop_table(TABLE)

"""analytics predictions: per-tenant models trained on the tenant's own history

Revision ID: 0032
Revises: 0031
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import create_tenant_table

MODELS = "analytics_models"

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tenant_table(
        MODELS,
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("quality", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
    )
    # One model per tenant, kind and key: retraining replaces it (INSERT … ON CONFLICT).
    op.create_unique_constraint(op.f(f"uq_{MODELS}_tenant_id_kind_key"), MODELS, ["tenant_id", "kind", "key"])


def downgrade() -> None:
    op.drop_table(MODELS)

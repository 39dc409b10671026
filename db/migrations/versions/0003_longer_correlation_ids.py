"""audit correlation ids hold workflow ids (tenant domain, definition, business key, child path)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 17:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("audit_log", "correlation_id", type_=sa.String(length=600), existing_nullable=True)


def downgrade() -> None:
    op.alter_column("audit_log", "correlation_id", type_=sa.String(length=64), existing_nullable=True)

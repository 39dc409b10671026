"""delivery attachments: the files a delivery's email carries (a report subscription's export), each
named by its key in the tenant's object store

Revision ID: 0036
Revises: 0035
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("attachments", JSONB, nullable=False, server_default="[]"))


def downgrade() -> None:
    op.drop_column("deliveries", "attachments")

"""resources: minimum notice before a booking may start

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing resources keep taking bookings up to now: no notice.
    op.add_column(
        "resources",
        sa.Column("minimum_notice_seconds", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("resources", "minimum_notice_seconds")

"""usage events received index: the analytics fold finds the events received since its last fold
without reading all of the tenant's events

Revision ID: 0035
Revises: 0034
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_usage_events_received", "usage_events", ["tenant_id", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_usage_events_received", table_name="usage_events")

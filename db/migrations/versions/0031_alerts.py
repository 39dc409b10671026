"""analytics alerts: conditions on metrics and the alert events they open and resolve

Revision ID: 0031
Revises: 0030
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import create_tenant_table

ALERTS, EVENTS = "analytics_alerts", "analytics_alert_events"
AT = sa.DateTime(timezone=True)

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    jsonb = postgresql.JSONB(astext_type=sa.Text())
    create_tenant_table(
        ALERTS,
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("condition", sa.String(length=16), nullable=False),
        *(sa.Column(name, jsonb, nullable=False) for name in ("params", "filter", "notify")),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=True),
        sa.Column("evaluated_at", AT, nullable=True),
    )
    create_tenant_table(
        EVENTS,
        sa.Column("alert_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", AT, nullable=False),
        sa.Column("resolved_at", AT, nullable=True),
        sa.Column("observed_at", sa.String(length=40), nullable=True),
        *(
            sa.Column(name, sa.Float(), nullable=True)
            for name in ("observed", "expected_low", "expected_high")
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        parents=[("alert_id", ALERTS)],
    )
    # At most one open incident per rule, whoever evaluates it at the same moment.
    op.create_index(
        "uq_analytics_alert_events_open",
        EVENTS,
        ["alert_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )


def downgrade() -> None:
    op.drop_table(EVENTS)
    op.drop_table(ALERTS)

"""analytics report subscriptions: scheduled deliveries of a report or a dashboard

Revision ID: 0030
Revises: 0029
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import create_tenant_table

SUBSCRIPTIONS, RUNS = "analytics_report_subscriptions", "analytics_subscription_runs"
AT = sa.DateTime(timezone=True)

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    jsonb = postgresql.JSONB(astext_type=sa.Text())
    create_tenant_table(
        SUBSCRIPTIONS,
        sa.Column("report_id", sa.UUID(), nullable=True),
        sa.Column("dashboard_id", sa.UUID(), nullable=True),
        sa.Column("schedule", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("recipients", jsonb, nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        parents=[("report_id", "analytics_reports")],
    )
    op.create_check_constraint(  # a report or a dashboard, never both nor neither
        op.f(f"ck_{SUBSCRIPTIONS}_one_target"), SUBSCRIPTIONS, "(report_id IS NULL) <> (dashboard_id IS NULL)"
    )
    create_tenant_table(
        RUNS,
        sa.Column("subscription_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("period_start", AT, nullable=True),
        sa.Column("period_end", AT, nullable=False),
        sa.Column("report_run_id", sa.UUID(), nullable=True),
        sa.Column("document_id", sa.UUID(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_at", AT, nullable=True),
        sa.Column("detail", jsonb, nullable=False),
        parents=[("subscription_id", SUBSCRIPTIONS)],
    )


def downgrade() -> None:
    op.drop_table(RUNS)
    op.drop_table(SUBSCRIPTIONS)

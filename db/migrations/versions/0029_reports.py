"""analytics reports: each tenant's saved tabular reports over the sources, and their runs into files

Revision ID: 0029
Revises: 0028
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import create_tenant_table

REPORTS, RUNS = "analytics_reports", "analytics_report_runs"
AT = sa.DateTime(timezone=True)

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    jsonb = postgresql.JSONB(astext_type=sa.Text())
    create_tenant_table(
        REPORTS,
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        *(sa.Column(name, jsonb, nullable=False) for name in ("columns", "filters", "group_by", "sort")),
    )
    create_tenant_table(
        RUNS,
        sa.Column("report_id", sa.UUID(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        *(sa.Column(name, AT, nullable=True) for name in ("range_from", "range_to")),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        *(
            sa.Column(name, sa.BigInteger(), nullable=name != "rows_written")
            for name in ("rows_total", "rows_written")
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("file_key", sa.String(length=200), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        *(sa.Column(name, AT, nullable=True) for name in ("started_at", "finished_at")),
        parents=[("report_id", REPORTS)],
    )


def downgrade() -> None:
    op.drop_table(RUNS)
    op.drop_table(REPORTS)

"""analytics rollup levels: hourly and daily rollups folded from the 15-minute ones

Revision ID: 0033
Revises: 0032
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "analytics_rollups"
PK = "pk_analytics_rollups"
COARSER = """
INSERT INTO analytics_rollups (tenant_id, metric, sha256, width, bucket, dims, count, sum, min, max)
SELECT tenant_id, metric, sha256, {width},
       date_bin(make_interval(secs => {width}), bucket, timestamptz '2000-01-01 00:00:00+00'), dims,
       sum(count), sum(sum), min(min), max(max)
FROM analytics_rollups WHERE width = {finer}
GROUP BY tenant_id, metric, sha256, 5, dims
"""


def upgrade() -> None:
    # The rows folded so far are 15-minute ones: the hourly and daily rows are summed from them.
    op.add_column(TABLE, sa.Column("width", sa.Integer(), nullable=False, server_default="900"))
    op.drop_constraint(PK, TABLE, type_="primary")
    op.create_primary_key(PK, TABLE, ["tenant_id", "metric", "sha256", "width", "bucket", "dims"])
    for width, finer in ((3600, 900), (86400, 3600)):  # the rows folded so far, summed up
        op.execute(COARSER.format(width=width, finer=finer))


def downgrade() -> None:
    op.execute("DELETE FROM analytics_rollups WHERE width <> 900")
    op.drop_constraint(PK, TABLE, type_="primary")
    op.create_primary_key(PK, TABLE, ["tenant_id", "metric", "sha256", "bucket", "dims"])
    op.drop_column(TABLE, "width")

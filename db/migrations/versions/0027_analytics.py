"""analytics: tenant metric declarations, rollups and watermarks; when and how a process ended

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import isolate_tenants

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("analytics_metrics", "analytics_rollups", "analytics_watermarks")
# The tables facts come from, and the time of their facts: a fold reads each tenant's facts by that
# time, and its rows changed since the previous fold by updated_at (db/models/analytics.py).
FACT_TABLES = {
    "processes": "ended_at",
    "tasks": "completed_at",
    "sla_breaches": "breached_at",
    "bookings": "created_at",
    "delivery_messages": "created_at",
    "webhook_delivery_attempts": "started_at",
    "invoices": "paid_at",
    "payments": "received_at",
}
JSON = postgresql.JSONB(astext_type=sa.Text())
NOW = sa.text("now()")
AT = sa.DateTime(timezone=True)
# A process's end was recorded only in the audit trail (and the outbox): the first such row of each
# process gives its status and end time.
BACKFILL_ENDS = """
UPDATE processes p SET status = substr(ended.action, 9), ended_at = ended.created_at
FROM (
    SELECT DISTINCT ON (entity_id) entity_id, action, created_at FROM audit_log
    WHERE entity_type = 'process'
      AND action IN ('process.completed', 'process.failed', 'process.cancelled')
    ORDER BY entity_id, created_at
) ended
WHERE ended.entity_id = p.id::text AND p.ended_at IS NULL
"""


def _columns(required: dict[str, Any], optional: dict[str, Any] | None = None) -> list[sa.Column[Any]]:
    return [sa.Column(name, kind, nullable=False) for name, kind in required.items()] + [
        sa.Column(name, kind, nullable=True) for name, kind in (optional or {}).items()
    ]


def _tenant_key(table: str) -> sa.ForeignKeyConstraint:
    name = op.f(f"fk_{table}_tenant_id_tenants")
    return sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=name, ondelete="CASCADE")


def _owned_by_tenant(table: str, *key: str) -> list[sa.schema.SchemaItem]:
    """The tenant column, its foreign key, and the primary key ``(tenant_id, *key)``."""
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        _tenant_key(table),
        sa.PrimaryKeyConstraint("tenant_id", *key, name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.add_column("processes", sa.Column("status", sa.String(length=16), nullable=True))
    op.add_column("processes", sa.Column("ended_at", AT, nullable=True))
    op.execute(BACKFILL_ENDS)
    for table, time in FACT_TABLES.items():
        op.create_index(f"ix_{table}_facts", table, ["tenant_id", time])
        op.create_index(f"ix_{table}_changed", table, ["tenant_id", "updated_at"])
    op.create_table(
        "analytics_metrics",
        *_columns(
            {
                "name": sa.String(length=64),
                "version": sa.Integer(),
                "title": sa.String(length=200),
                "sha256": sa.String(length=64),
                "source": sa.Text(),
                "document": JSON,
                "tenant_id": sa.UUID(),
                "id": sa.UUID(),
            },
            {"published_by": sa.UUID(), "deleted_at": AT},
        ),
        sa.Column("created_at", AT, server_default=NOW, nullable=False),
        sa.Column("updated_at", AT, server_default=NOW, nullable=False),
        _tenant_key("analytics_metrics"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_metrics")),
        sa.UniqueConstraint(
            "tenant_id", "name", "version", name=op.f("uq_analytics_metrics_tenant_id_name_version")
        ),
    )
    op.create_index(op.f("ix_analytics_metrics_tenant_id"), "analytics_metrics", ["tenant_id"])
    # Keyed by the declaration's sha256 too: a new version's rollups never mix with the old one's.
    op.create_table(
        "analytics_rollups",
        *_owned_by_tenant("analytics_rollups", "metric", "sha256", "bucket", "dims"),
        *_columns(
            {"metric": sa.String(length=64), "sha256": sa.String(length=64), "bucket": AT, "dims": JSON},
            {"sum": sa.Numeric(), "min": sa.Numeric(), "max": sa.Numeric()},
        ),
        sa.Column("count", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "analytics_watermarks",
        *_owned_by_tenant("analytics_watermarks", "metric"),
        *_columns(
            {"metric": sa.String(length=64), "sha256": sa.String(length=64), "folded_to": AT, "folded_at": AT}
        ),
    )
    isolate_tenants(NEW_TABLES)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
    for table in FACT_TABLES:
        op.drop_index(f"ix_{table}_changed", table_name=table)
        op.drop_index(f"ix_{table}_facts", table_name=table)
    op.drop_column("processes", "ended_at")
    op.drop_column("processes", "status")

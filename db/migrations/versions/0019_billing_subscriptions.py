"""billing subscriptions

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from db.rls import isolate_tenants

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("subscriptions", "subscription_items", "subscription_invoices")
NOW = sa.text("now()")
TIME = sa.DateTime(timezone=True)


def _common(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", TIME, server_default=NOW, nullable=False),
        sa.Column("updated_at", TIME, server_default=NOW, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _parent(table: str, column: str, parent: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("collection", sa.String(length=30), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("interval", sa.String(length=10), nullable=False),
        sa.Column("interval_count", sa.Integer(), nullable=False),
        sa.Column("started_at", TIME, nullable=False),
        sa.Column("trial_end", TIME, nullable=True),
        sa.Column("anchor_at", TIME, nullable=False),
        sa.Column("period_index", sa.Integer(), nullable=False),
        sa.Column("current_period_start", TIME, nullable=False),
        sa.Column("current_period_end", TIME, nullable=False),
        sa.Column("cancel_at_period_end", sa.Boolean(), nullable=False),
        sa.Column("canceled_at", TIME, nullable=True),
        sa.Column("paused_at", TIME, nullable=True),
        sa.Column("workflow_id", sa.String(length=300), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_common("subscriptions"),
        _parent("subscriptions", "customer_id", "customers"),
        sa.CheckConstraint(
            "status IN ('trialing', 'active', 'past_due', 'suspended', 'paused', 'canceled')",
            name=op.f("ck_subscriptions_status"),
        ),
        sa.CheckConstraint(
            "collection IN ('charge_automatically', 'send_invoice')", name=op.f("ck_subscriptions_collection")
        ),
        sa.CheckConstraint("current_period_end > current_period_start", name=op.f("ck_subscriptions_period")),
    )
    op.create_index(op.f("ix_subscriptions_tenant_id"), "subscriptions", ["tenant_id"])
    op.create_index("ix_subscriptions_customer", "subscriptions", ["tenant_id", "customer_id"])
    op.create_index("ix_subscriptions_status", "subscriptions", ["tenant_id", "status"])

    op.create_table(
        "subscription_items",
        sa.Column("subscription_id", sa.UUID(), nullable=False),
        sa.Column("price_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("metric_code", sa.String(length=64), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        *_common("subscription_items"),
        _parent("subscription_items", "subscription_id", "subscriptions"),
        _parent("subscription_items", "price_id", "prices"),
        sa.CheckConstraint("kind IN ('licensed', 'usage')", name=op.f("ck_subscription_items_kind")),
        sa.CheckConstraint("quantity BETWEEN 1 AND 1000000", name=op.f("ck_subscription_items_quantity")),
    )
    op.create_index(op.f("ix_subscription_items_tenant_id"), "subscription_items", ["tenant_id"])
    op.create_index(
        "ix_subscription_items_subscription", "subscription_items", ["tenant_id", "subscription_id"]
    )

    op.create_table(
        "subscription_invoices",
        sa.Column("subscription_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period_start", TIME, nullable=False),
        sa.Column("period_end", TIME, nullable=False),
        sa.Column("handed", sa.Boolean(), nullable=False),
        *_common("subscription_invoices"),
        _parent("subscription_invoices", "subscription_id", "subscriptions"),
        _parent("subscription_invoices", "invoice_id", "invoices"),
    )
    op.create_index(op.f("ix_subscription_invoices_tenant_id"), "subscription_invoices", ["tenant_id"])
    op.create_index(
        "uq_subscription_invoices_key",
        "subscription_invoices",
        ["tenant_id", "subscription_id", "key"],
        unique=True,
    )
    isolate_tenants(NEW_TABLES)

    # The invoices a subscription produced point back at it; usage events name theirs.
    op.add_column("invoices", sa.Column("subscription_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_invoices_subscription_id_subscriptions"),
        "invoices",
        "subscriptions",
        ["subscription_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(op.f("ix_invoices_subscription_id"), "invoices", ["subscription_id"])
    # Events stored before this migration may name a subscription that never existed.
    op.execute(
        "UPDATE usage_events SET subscription_id = NULL WHERE subscription_id IS NOT NULL "
        "AND subscription_id NOT IN (SELECT id FROM subscriptions)"
    )
    op.create_foreign_key(
        op.f("fk_usage_events_subscription_id_subscriptions"),
        "usage_events",
        "subscriptions",
        ["subscription_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_usage_events_subscription_id_subscriptions"), "usage_events")
    op.drop_index(op.f("ix_invoices_subscription_id"), "invoices")
    op.drop_constraint(op.f("fk_invoices_subscription_id_subscriptions"), "invoices")
    op.drop_column("invoices", "subscription_id")
    for table in reversed(NEW_TABLES):
        op.drop_table(table)

"""billing stripe: payment intents and refunds

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from db.rls import isolate_tenants

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("payment_intents", "payment_refunds")
NOW = sa.text("now()")


def _common(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "payment_intents",
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("intent_id", sa.String(length=255), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("payment_id", sa.UUID(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_payment_intents_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("intent_id", name=op.f("uq_payment_intents_intent_id")),
        *_common("payment_intents"),
    )
    op.create_index(op.f("ix_payment_intents_tenant_id"), "payment_intents", ["tenant_id"])
    op.create_index(
        "ix_payment_intents_invoice", "payment_intents", ["tenant_id", "invoice_id", "amount_minor"]
    )
    op.create_table(
        "payment_refunds",
        sa.Column("payment_id", sa.UUID(), nullable=False),
        sa.Column("invoice_id", sa.UUID(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("from_invoice_minor", sa.BigInteger(), nullable=False),
        sa.Column("from_credit_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("stripe_refund_id", sa.String(length=255), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_refunds_payment_id_payments"),
            ondelete="CASCADE",
        ),
        *_common("payment_refunds"),
    )
    op.create_index(op.f("ix_payment_refunds_tenant_id"), "payment_refunds", ["tenant_id"])
    op.create_index(op.f("ix_payment_refunds_payment_id"), "payment_refunds", ["payment_id"])
    isolate_tenants(NEW_TABLES)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)

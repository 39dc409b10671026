"""billing invoices: invoices, credit notes, payments received, number series

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import isolate_tenants

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("invoices", "credit_notes", "payments", "number_series")
JSON = postgresql.JSONB(astext_type=sa.Text())
MONEY = sa.BigInteger()


def _owned(table: str) -> list[Any]:
    """The columns and keys every tenant-owned table has (db.base.TenantOwned)."""
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
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
        "invoices",
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("lines", JSON, nullable=False),
        sa.Column("tax_breakdown", JSON, nullable=False),
        sa.Column("mentions", JSON, nullable=False),
        sa.Column("subtotal_minor", MONEY, nullable=False),
        sa.Column("tax_minor", MONEY, nullable=False),
        sa.Column("total_minor", MONEY, nullable=False),
        sa.Column("amount_paid_minor", MONEY, nullable=False),
        sa.Column("credit_applied_minor", MONEY, nullable=False),
        sa.Column("credited_minor", MONEY, nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=True),
        sa.Column("memo", sa.String(length=2000), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workflow_id", sa.String(length=300), nullable=True),
        sa.Column("pdf_document_id", sa.UUID(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("rendered_revision", sa.Integer(), nullable=False),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'paid', 'void', 'uncollectible')", name=op.f("ck_invoices_status")
        ),
        sa.CheckConstraint(
            "amount_paid_minor >= 0 AND credited_minor >= 0 AND amount_paid_minor + credited_minor <= total_minor",
            name=op.f("ck_invoices_settled_within_total"),
        ),
        _parent("invoices", "customer_id", "customers"),
        *_owned("invoices"),
    )
    op.create_index(
        "uq_invoices_number",
        "invoices",
        ["tenant_id", "number"],
        unique=True,
        postgresql_where=sa.text("number IS NOT NULL"),
    )
    op.create_index("ix_invoices_customer", "invoices", ["tenant_id", "customer_id"])
    op.create_index("ix_invoices_status", "invoices", ["tenant_id", "status"])
    op.create_table(
        "credit_notes",
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("lines", JSON, nullable=False),
        sa.Column("tax_breakdown", JSON, nullable=False),
        sa.Column("subtotal_minor", MONEY, nullable=False),
        sa.Column("tax_minor", MONEY, nullable=False),
        sa.Column("total_minor", MONEY, nullable=False),
        sa.Column("to_customer_credit_minor", MONEY, nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("pdf_document_id", sa.UUID(), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.CheckConstraint("total_minor > 0", name=op.f("ck_credit_notes_total_positive")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_credit_notes_tenant_id_number")),
        _parent("credit_notes", "invoice_id", "invoices"),
        _parent("credit_notes", "customer_id", "customers"),
        *_owned("credit_notes"),
    )
    op.create_index(op.f("ix_credit_notes_invoice_id"), "credit_notes", ["invoice_id"])
    op.create_table(
        "payments",
        sa.Column("invoice_id", sa.UUID(), nullable=True),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("amount_minor", MONEY, nullable=False),
        sa.Column("applied_minor", MONEY, nullable=False),
        sa.Column("to_credit_minor", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_payments_amount_positive")),
        _parent("payments", "invoice_id", "invoices"),
        _parent("payments", "customer_id", "customers"),
        *_owned("payments"),
    )
    op.create_index(op.f("ix_payments_invoice_id"), "payments", ["invoice_id"])
    op.create_index(
        "uq_payments_reference",
        "payments",
        ["tenant_id", "reference"],
        unique=True,
        postgresql_where=sa.text("reference IS NOT NULL"),
    )
    op.create_table(
        "number_series",
        sa.Column("series", sa.String(length=30), nullable=False),
        sa.Column("last_value", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("tenant_id", "series", name=op.f("uq_number_series_tenant_id_series")),
        *_owned("number_series"),
    )
    for table in NEW_TABLES:
        op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])
    isolate_tenants(NEW_TABLES)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)

"""billing quotes

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import isolate_tenants

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("quotes",)
JSON = postgresql.JSONB(astext_type=sa.Text())
NOW = sa.text("now()")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quotes",
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("lines", JSON, nullable=False),
        sa.Column("tax_breakdown", JSON, nullable=False),
        sa.Column("mentions", JSON, nullable=False),
        sa.Column("subtotal_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("memo", sa.String(length=2000), nullable=True),
        sa.Column("sent_at", TIME, nullable=True),
        sa.Column("accepted_at", TIME, nullable=True),
        sa.Column("declined_at", TIME, nullable=True),
        sa.Column("decline_reason", sa.String(length=500), nullable=True),
        sa.Column("expired_at", TIME, nullable=True),
        sa.Column("invoice_id", sa.UUID(), nullable=True),
        sa.Column("invoice_number", sa.String(length=30), nullable=True),
        sa.Column("pdf_document_id", sa.UUID(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", TIME, server_default=NOW, nullable=False),
        sa.Column("updated_at", TIME, server_default=NOW, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'sent', 'accepted', 'declined', 'expired')", name=op.f("ck_quotes_status")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_quotes_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_quotes_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
    )
    op.create_index(op.f("ix_quotes_tenant_id"), "quotes", ["tenant_id"])
    op.create_index("uq_quotes_number", "quotes", ["tenant_id", "number"], unique=True)
    op.create_index("ix_quotes_customer", "quotes", ["tenant_id", "customer_id"])
    op.create_index("ix_quotes_status", "quotes", ["tenant_id", "status"])
    isolate_tenants(NEW_TABLES)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)

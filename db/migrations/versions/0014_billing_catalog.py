"""billing catalogue: customers, products, prices, tax rates, exchange rates, billing settings

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import isolate_tenants

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("customers", "products", "prices", "tax_rates", "fx_rates", "billing_settings")
JSON = postgresql.JSONB(astext_type=sa.Text())


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


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("address", JSON, nullable=False),
        sa.Column("tax_ids", JSON, nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=100), nullable=True),
        sa.Column("entity_id", sa.UUID(), nullable=True),
        sa.Column("credit_minor", sa.BigInteger(), nullable=False),
        sa.Column("stripe_customer_id", sa.String(length=255), nullable=True),
        sa.Column("metadata", JSON, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("credit_minor >= 0", name=op.f("ck_customers_credit_not_negative")),
        *_owned("customers"),
    )
    op.create_index("ix_customers_email", "customers", ["tenant_id", "email"])
    op.create_table(
        "products",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("tax_category", sa.String(length=50), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_owned("products"),
    )
    op.create_table(
        "prices",
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("unit_amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("interval", sa.String(length=10), nullable=True),
        sa.Column("interval_count", sa.Integer(), nullable=False),
        sa.Column("usage", JSON, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_prices_product_id_products"), ondelete="CASCADE"
        ),
        *_owned("prices"),
    )
    op.create_index(op.f("ix_prices_product_id"), "prices", ["product_id"])
    op.create_table(
        "tax_rates",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("percentage", sa.Numeric(7, 4), nullable=False),
        sa.Column("inclusive", sa.Boolean(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=10), nullable=True),
        sa.Column("category", sa.String(length=50), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("percentage >= 0 AND percentage <= 100", name=op.f("ck_tax_rates_percentage")),
        *_owned("tax_rates"),
    )
    op.create_index("ix_tax_rates_place", "tax_rates", ["tenant_id", "country", "region", "category"])
    op.create_table(
        "fx_rates",
        sa.Column("base", sa.String(length=3), nullable=False),
        sa.Column("quote", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(24, 12), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.CheckConstraint("rate > 0", name=op.f("ck_fx_rates_rate_positive")),
        sa.UniqueConstraint(
            "tenant_id", "base", "quote", "on_date", name=op.f("uq_fx_rates_tenant_id_base_quote_on_date")
        ),
        *_owned("fx_rates"),
    )
    op.create_table(
        "billing_settings",
        sa.Column("seller_name", sa.String(length=200), nullable=True),
        sa.Column("seller_address", JSON, nullable=False),
        sa.Column("seller_country", sa.String(length=2), nullable=True),
        sa.Column("seller_tax_id", sa.String(length=50), nullable=True),
        sa.Column("reporting_currency", sa.String(length=3), nullable=False),
        sa.Column("invoice_template", sa.String(length=100), nullable=True),
        sa.Column("dunning", JSON, nullable=False),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_billing_settings_tenant_id")),
        *_owned("billing_settings"),
    )
    for table in NEW_TABLES:
        op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])
    isolate_tenants(NEW_TABLES)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)

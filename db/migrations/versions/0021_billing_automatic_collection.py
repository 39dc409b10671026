"""billing automatic collection: a customer's saved payment method, an invoice's collection, its charges

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from db.rls import isolate_tenants

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("now()")
# Stripe's charge events do not carry the PaymentIntent's metadata: the tenant is found by the intent
# (the payment's reference), before it is known, through a narrow function as the credential lookups.
FIND_PAYMENT = """
CREATE FUNCTION keel_find_stripe_payment(p_intent text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT p.tenant_id FROM payments p
  WHERE p.method = 'stripe' AND p.reference = p_intent AND p.deleted_at IS NULL
  LIMIT 1
$$;
REVOKE ALL ON FUNCTION keel_find_stripe_payment(text) FROM PUBLIC;
"""


def upgrade() -> None:
    op.add_column("customers", sa.Column("payment_method", JSONB(), nullable=True))
    # Every existing invoice is paid by its customer, as before.
    op.add_column(
        "invoices",
        sa.Column("collection", sa.String(length=30), server_default="send_invoice", nullable=False),
    )
    op.create_table(
        "invoice_charges",
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("payment_method_id", sa.String(length=255), nullable=True),
        sa.Column("intent_id", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("failure_code", sa.String(length=100), nullable=True),
        sa.Column("failure_message", sa.String(length=500), nullable=True),
        sa.Column("payment_id", sa.UUID(), nullable=True),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_invoice_charges_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_invoice_charges_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_charges")),
        sa.UniqueConstraint(
            "tenant_id", "invoice_id", "attempt", name=op.f("uq_invoice_charges_tenant_id_invoice_id_attempt")
        ),
    )
    op.create_index(op.f("ix_invoice_charges_tenant_id"), "invoice_charges", ["tenant_id"])
    isolate_tenants(("invoice_charges",))
    op.create_index(
        "ix_payments_stripe_reference",
        "payments",
        ["reference"],
        postgresql_where=sa.text("method = 'stripe'"),
    )
    op.execute(FIND_PAYMENT)


def downgrade() -> None:
    op.execute("DROP FUNCTION keel_find_stripe_payment(text)")
    op.drop_index("ix_payments_stripe_reference", table_name="payments")
    op.drop_table("invoice_charges")
    op.drop_column("invoices", "collection")
    op.drop_column("customers", "payment_method")

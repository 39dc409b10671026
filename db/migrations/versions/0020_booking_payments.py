"""bookings paid to confirm: a resource's payment terms, a booking's invoice

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Null: the resource is booked without payment, as every existing one is.
    op.add_column("resources", sa.Column("payment", JSONB(), nullable=True))
    op.add_column("bookings", sa.Column("payment", JSONB(), nullable=True))
    op.add_column("bookings", sa.Column("invoice_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        "fk_bookings_invoice_id_invoices", "bookings", "invoices", ["invoice_id"], ["id"], ondelete="SET NULL"
    )
    # A payment finds the booking its invoice confirms.
    op.create_index("ix_bookings_invoice_id", "bookings", ["invoice_id"])


def downgrade() -> None:
    op.drop_index("ix_bookings_invoice_id", table_name="bookings")
    op.drop_constraint("fk_bookings_invoice_id_invoices", "bookings", type_="foreignkey")
    op.drop_column("bookings", "invoice_id")
    op.drop_column("bookings", "payment")
    op.drop_column("resources", "payment")

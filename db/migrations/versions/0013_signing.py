"""signing requests, signers and their audit trail

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import isolate_tenants

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("signing_requests", "signing_signers", "signing_events")


def _owned(table: str) -> list[Any]:
    """The columns and keys of every tenant-owned row (TenantOwned)."""
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
        "signing_requests",
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("document_version", sa.Integer(), nullable=False),
        sa.Column("document_name", sa.String(length=500), nullable=False),
        sa.Column("original_sha256", sa.String(length=64), nullable=False),
        sa.Column("page_sizes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("current_order", sa.Integer(), nullable=False),
        sa.Column("fields", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminder_every_seconds", sa.Integer(), nullable=True),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("final_version", sa.Integer(), nullable=True),
        sa.Column("final_sha256", sa.String(length=64), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workflow_id", sa.String(length=255), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_owned("signing_requests"),
        _parent("signing_requests", "document_id", "documents"),
    )
    op.create_index(op.f("ix_signing_requests_tenant_id"), "signing_requests", ["tenant_id"])
    op.create_index(op.f("ix_signing_requests_document_id"), "signing_requests", ["document_id"])
    op.create_index("ix_signing_requests_status", "signing_requests", ["tenant_id", "status"])
    op.create_table(
        "signing_signers",
        sa.Column("request_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("auth", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("signature_type", sa.String(length=16), nullable=True),
        sa.Column("signature_value", sa.Text(), nullable=True),
        sa.Column("field_values", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column("otp_hash", sa.String(length=128), nullable=True),
        sa.Column("otp_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("otp_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("otp_sends", sa.Integer(), nullable=False),
        sa.Column("otp_failures", sa.Integer(), nullable=False),
        sa.Column("otp_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        *_owned("signing_signers"),
        _parent("signing_signers", "request_id", "signing_requests"),
        sa.UniqueConstraint("request_id", "email", name=op.f("uq_signing_signers_request_id_email")),
        sa.UniqueConstraint("request_id", "position", name=op.f("uq_signing_signers_request_id_position")),
    )
    op.create_index(op.f("ix_signing_signers_tenant_id"), "signing_signers", ["tenant_id"])
    op.create_index(op.f("ix_signing_signers_request_id"), "signing_signers", ["request_id"])
    op.create_table(
        "signing_events",
        sa.Column("request_id", sa.UUID(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("signer_id", sa.UUID(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=True),
        *_owned("signing_events"),
        _parent("signing_events", "request_id", "signing_requests"),
        sa.UniqueConstraint("request_id", "step", name=op.f("uq_signing_events_request_id_step")),
    )
    op.create_index(op.f("ix_signing_events_tenant_id"), "signing_events", ["tenant_id"])
    op.create_index(op.f("ix_signing_events_request_id"), "signing_events", ["request_id"])
    isolate_tenants(NEW_TABLES)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)

"""webhook secrets encrypted at rest, secret rotation, per-subscription retry schedules, delivery attempts

Existing signing secrets are encrypted with the first key of ``KEEL_SECRETS_KEYS``, read from the
environment (and ``.keel/runtime.json``) exactly as the application reads it, so the application can
decrypt them afterwards. Without the setting, development uses the public development key
(``keel.crypto.DEVELOPMENT_KEY``); production with plaintext secrets to encrypt stops here and asks
for the key (nothing is changed), because secrets sealed with a public key would be no better off.
Downgrade decrypts them back.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db import sealing
from db.rls import isolate_tenants
from keel import crypto
from keel.settings import load_settings

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _box() -> crypto.SecretBox:
    return crypto.box(load_settings())


def seal_plaintext(conn: sa.Connection, box: Callable[[], crypto.SecretBox]) -> int:
    """Encrypt every secret still in plaintext; the key is asked for only when there is one."""
    return sealing.seal_column(conn, "webhooks", "secret", box)


def upgrade() -> None:
    op.alter_column("webhooks", "secret", type_=sa.Text(), existing_type=sa.String(128))
    op.add_column("webhooks", sa.Column("previous_secret", sa.Text(), nullable=True))
    op.add_column(
        "webhooks", sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("webhooks", sa.Column("retry_schedule", postgresql.JSONB(), nullable=True))
    seal_plaintext(op.get_bind(), _box)
    op.create_table(
        "webhook_delivery_attempts",
        sa.Column("delivery_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("request_url", sa.String(length=2048), nullable=False),
        sa.Column("request_headers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("request_body", sa.Text(), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_headers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["webhook_deliveries.id"],
            name=op.f("fk_webhook_delivery_attempts_delivery_id_webhook_deliveries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_webhook_delivery_attempts_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery_attempts")),
        sa.UniqueConstraint(
            "delivery_id", "number", name=op.f("uq_webhook_delivery_attempts_delivery_id_number")
        ),
    )
    op.create_index(
        op.f("ix_webhook_delivery_attempts_delivery_id"), "webhook_delivery_attempts", ["delivery_id"]
    )
    op.create_index(
        op.f("ix_webhook_delivery_attempts_tenant_id"), "webhook_delivery_attempts", ["tenant_id"]
    )
    isolate_tenants(["webhook_delivery_attempts"])


def downgrade() -> None:
    op.drop_table("webhook_delivery_attempts")
    conn = op.get_bind()
    sealing.open_column(conn, "webhooks", "secret", _box)
    op.drop_column("webhooks", "retry_schedule")
    op.drop_column("webhooks", "previous_secret_expires_at")
    op.drop_column("webhooks", "previous_secret")
    op.alter_column("webhooks", "secret", type_=sa.String(128), existing_type=sa.Text())

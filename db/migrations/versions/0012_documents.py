"""documents: templates and their versions, assets, documents and their versions

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from db.rls import isolate_tenants

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = (
    "document_templates",
    "document_template_versions",
    "document_assets",
    "documents",
    "document_versions",
)
LIVE = sa.text("deleted_at IS NULL")


def _common(table: str) -> list[Any]:
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
        "document_templates",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_common("document_templates"),
    )
    op.create_index(
        "uq_document_templates_live_key",
        "document_templates",
        ["tenant_id", "key"],
        unique=True,
        postgresql_where=LIVE,
    )
    op.create_table(
        "document_template_versions",
        sa.Column("template_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("css", sa.Text(), nullable=True),
        sa.Column("sample_data", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("locale", sa.String(length=35), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_common("document_template_versions"),
        _parent("document_template_versions", "template_id", "document_templates"),
        sa.UniqueConstraint(
            "template_id", "version", name=op.f("uq_document_template_versions_template_id_version")
        ),
    )
    op.create_table(
        "document_assets",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_common("document_assets"),
    )
    op.create_index(
        "uq_document_assets_live_name",
        "document_assets",
        ["tenant_id", "name"],
        unique=True,
        postgresql_where=LIVE,
    )
    op.create_table(
        "documents",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("document_type", sa.String(length=100), nullable=False),
        sa.Column("entity_type", sa.String(length=100), nullable=True),
        sa.Column("entity_id", sa.UUID(), nullable=True),
        sa.Column("template_key", sa.String(length=100), nullable=True),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=128), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_common("documents"),
    )
    op.create_index("ix_documents_entity", "documents", ["tenant_id", "entity_type", "entity_id"])
    op.create_index("ix_documents_type", "documents", ["tenant_id", "document_type"])
    op.create_index(
        "ix_documents_metadata",
        "documents",
        ["metadata"],
        postgresql_using="gin",
        postgresql_ops={"metadata": "jsonb_path_ops"},
    )
    op.create_table(
        "document_versions",
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_common("document_versions"),
        _parent("document_versions", "document_id", "documents"),
        sa.UniqueConstraint("document_id", "version", name=op.f("uq_document_versions_document_id_version")),
    )
    for table in NEW_TABLES:
        op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])
    op.create_index(
        op.f("ix_document_template_versions_template_id"), "document_template_versions", ["template_id"]
    )
    op.create_index(op.f("ix_document_versions_document_id"), "document_versions", ["document_id"])
    isolate_tenants(NEW_TABLES)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)

"""Row-level security for tenant-owned tables, as migrations create them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from alembic import op

CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def isolate_tenants(tables: Iterable[str]) -> None:
    """Each row visible to, and writable by, only the tenant its transaction set in ``app.tenant_id``."""
    for table in tables:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
        )


def create_tenant_table(name: str, *columns: sa.Column[Any], parents: Iterable[tuple[str, str]] = ()) -> None:
    """A tenant-owned table as ``TenantOwned`` maps it: ``id``, ``tenant_id`` (indexed, cascading from
    the tenant), ``columns``, the timestamps (``deleted_at`` for soft deletion); each of ``parents``
    (column, table) a cascading, indexed key to that table's id; isolated as ``isolate_tenants`` says."""
    at = sa.DateTime(timezone=True)
    keys = [("tenant_id", "tenants"), *parents]
    op.create_table(
        name,
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        *columns,
        sa.Column("created_at", at, server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", at, server_default=sa.text("now()"), nullable=False),
        sa.Column("deleted_at", at, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{table}.id"], name=op.f(f"fk_{name}_{column}_{table}"), ondelete="CASCADE"
            )
            for column, table in keys
        ),
    )
    for column, _ in keys:
        op.create_index(op.f(f"ix_{name}_{column}"), name, [column])
    isolate_tenants((name,))

"""Row-level security for tenant-owned tables, as migrations create them."""

from __future__ import annotations

from collections.abc import Iterable

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

"""rate limits: the counters every API process shares, and the tenants' tiers they are read by

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A tier is read for tenants the API has seen, before any tenant scope: a narrow function.
TENANT_TIERS = """
CREATE FUNCTION keel_tenant_tiers(p_ids uuid[]) RETURNS TABLE(id uuid, subscription_tier text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t.subscription_tier::text FROM tenants t WHERE t.id = ANY(p_ids)
$$;
REVOKE ALL ON FUNCTION keel_tenant_tiers(uuid[]) FROM PUBLIC;
"""


def upgrade() -> None:
    # Counts, not records: UNLOGGED (no WAL; emptied by a crash, which only forgives some requests).
    # Keys name a principal, a tenant or a client address, never what they did.
    op.execute(
        "CREATE UNLOGGED TABLE rate_counters ("
        " key text NOT NULL, win bigint NOT NULL, hits bigint NOT NULL,"
        " updated_at timestamptz NOT NULL DEFAULT now(),"
        " CONSTRAINT pk_rate_counters PRIMARY KEY (key, win))"
    )
    op.execute(TENANT_TIERS)


def downgrade() -> None:
    op.execute("DROP FUNCTION keel_tenant_tiers(uuid[])")
    op.drop_table("rate_counters")

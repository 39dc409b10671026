"""``keel migrate``: extensions, Alembic upgrade to head, and the application role's grants.

The tables belong to the admin (migrating) role. The application connects as ``app_role``, which
owns nothing, so PostgreSQL row-level security applies to every one of its queries.
"""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, text

from db.session import normalise_url

MIGRATIONS = Path(__file__).parent / "migrations"
EXTENSIONS = ("citext", "pg_trgm", "btree_gist", "unaccent")
# Tables the application may only append to and read.
APPEND_ONLY = ("audit_log", "audit_seals", "audit_anchors")
# Tables an import ANALYZEs when it ends, so that reads right after it get good plans.
ANALYZED_AFTER_IMPORT = ("entities", "entity_versions", "entity_keys")
# Functions the application may call before it knows the tenant (credential lookups, the tenant of
# a Stripe charge's event) or across tenants (the totals /metrics reports).
AUTH_FUNCTIONS = (
    "keel_find_login(text)",
    "keel_find_api_key(text)",
    "keel_find_stripe_payment(text)",
    "keel_metrics_totals(text[])",
    "keel_find_session(uuid)",
    # Retention and erasure rewrite the append-only audit log only through these, for the current tenant.
    "keel_audit_prune(timestamptz)",
    "keel_audit_erase(text, text)",
    "keel_tenant_tiers(uuid[])",
)
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def _ensure_role(conn: Connection, role: str) -> None:
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if not exists:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS'))


def _grant(conn: Connection, role: str) -> None:
    conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
    conn.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'))
    conn.execute(text(f'REVOKE ALL ON alembic_version FROM "{role}"'))
    conn.execute(text(f'REVOKE INSERT, DELETE ON tenants FROM "{role}"'))
    for table in APPEND_ONLY:
        conn.execute(text(f'REVOKE UPDATE, DELETE ON {table} FROM "{role}"'))
    for fn in AUTH_FUNCTIONS:
        conn.execute(text(f'GRANT EXECUTE ON FUNCTION {fn} TO "{role}"'))
    # A bulk import refreshes the planner's statistics when it ends (PostgreSQL 17+ has MAINTAIN).
    if int(conn.execute(text("SHOW server_version_num")).scalar_one()) >= 170000:
        conn.execute(text(f'GRANT MAINTAIN ON {", ".join(ANALYZED_AFTER_IMPORT)} TO "{role}"'))


def upgrade(admin_url: str, app_role: str) -> None:
    if not _ROLE_NAME.match(app_role):
        raise ValueError(f"invalid database role name: {app_role!r}")
    engine = create_engine(normalise_url(admin_url))
    try:
        with engine.begin() as conn:
            for ext in EXTENSIONS:
                conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {ext}"))
            _ensure_role(conn, app_role)
        with engine.begin() as conn:
            cfg = alembic_config(admin_url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        with engine.begin() as conn:
            _grant(conn, app_role)
    finally:
        engine.dispose()

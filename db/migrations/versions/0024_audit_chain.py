"""audit chain: per-tenant seals chaining the audit log, the chain's anchor after retention, and the
narrow functions that prune old entries and pseudonymise an erased person's address

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.rls import isolate_tenants

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("audit_seals", "audit_anchors")
NOW = sa.text("now()")

# The application role may not delete audit rows: retention goes through this function, which
# deletes only a prefix of the current tenant's chain (in seal order) whose rows are all older than
# the cutoff, never younger than 30 days, and records the hash the first kept seal chains from.
PRUNE = r"""
CREATE FUNCTION keel_audit_prune(p_before timestamptz) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
  cut bigint;
  anchor text;
  n bigint;
BEGIN
  IF t IS NULL THEN RAISE EXCEPTION 'keel_audit_prune needs app.tenant_id'; END IF;
  IF p_before > now() - interval '30 days' THEN
    RAISE EXCEPTION 'audit entries are kept at least 30 days';
  END IF;
  SELECT min(s.seq) INTO cut FROM audit_seals s JOIN audit_log a ON a.id = s.audit_id
  WHERE s.tenant_id = t AND a.tenant_id = t AND a.created_at >= p_before;
  IF cut IS NULL THEN
    SELECT max(seq) + 1 INTO cut FROM audit_seals WHERE tenant_id = t;
  END IF;
  SELECT hash INTO anchor FROM audit_seals WHERE tenant_id = t AND seq = cut - 1;
  IF anchor IS NULL THEN RETURN 0; END IF;
  DELETE FROM audit_log a USING audit_seals s
  WHERE s.tenant_id = t AND s.seq < cut AND a.tenant_id = t AND a.id = s.audit_id;
  GET DIAGNOSTICS n = ROW_COUNT;
  DELETE FROM audit_seals WHERE tenant_id = t AND seq < cut;
  INSERT INTO audit_anchors (tenant_id, seq, hash, updated_at) VALUES (t, cut, anchor, now())
  ON CONFLICT (tenant_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, updated_at = now();
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION keel_audit_prune(timestamptz) FROM PUBLIC;
"""

# Every string in a JSON value (keys too) with the pattern replaced: the JSON structure is walked, so
# escapes in its text form never decide what matches.
JSONB_REWRITE = """
CREATE FUNCTION keel_jsonb_rewrite(j jsonb, pat text, repl text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
BEGIN
  CASE jsonb_typeof(j)
    WHEN 'string' THEN RETURN to_jsonb(regexp_replace(j #>> '{}', pat, repl, 'gi'));
    WHEN 'array' THEN RETURN coalesce(
      (SELECT jsonb_agg(keel_jsonb_rewrite(e, pat, repl) ORDER BY i)
       FROM jsonb_array_elements(j) WITH ORDINALITY AS x(e, i)), '[]'::jsonb);
    WHEN 'object' THEN RETURN coalesce(
      (SELECT jsonb_object_agg(regexp_replace(k, pat, repl, 'gi'), keel_jsonb_rewrite(v, pat, repl))
       FROM jsonb_each(j) AS x(k, v)), '{}'::jsonb);
    ELSE RETURN j;
  END CASE;
END $$;
REVOKE ALL ON FUNCTION keel_jsonb_rewrite(jsonb, text, text) FROM PUBLIC;
"""

# Erasure: the current tenant's audit rows keep their shape, only the address becomes its keyed hash
# (the value the chain's canonical form already holds in its place, so the chain still verifies).
# The pattern matches the address exactly where domain/audit/canonical.py's EMAIL would find it:
# not preceded by a local-part character, not followed by anything that would extend its domain.
ERASE = r"""
CREATE FUNCTION keel_audit_erase(p_email text, p_hash text) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
  pat text;
  n bigint;
BEGIN
  IF t IS NULL THEN RAISE EXCEPTION 'keel_audit_erase needs app.tenant_id'; END IF;
  IF p_hash !~ '^[0-9a-f]{64}$' THEN RAISE EXCEPTION 'p_hash must be 64 hex digits'; END IF;
  IF p_email !~ '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$' THEN
    RAISE EXCEPTION 'p_email is not an email address';
  END IF;
  pat := '(?<![A-Za-z0-9._%+-])' || regexp_replace(p_email, '([.+])', '\\\1', 'g')
      || '(?![A-Za-z]|[A-Za-z0-9.-]*\.[A-Za-z]{2})';
  UPDATE audit_log SET
    changes = keel_jsonb_rewrite(changes, pat, p_hash),
    entity_id = regexp_replace(entity_id, pat, p_hash, 'gi'),
    user_agent = regexp_replace(user_agent, pat, p_hash, 'gi'),
    correlation_id = regexp_replace(correlation_id, pat, p_hash, 'gi')
  WHERE tenant_id = t AND (changes::text ~* pat OR entity_id ~* pat OR user_agent ~* pat
                           OR correlation_id ~* pat);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION keel_audit_erase(text, text) FROM PUBLIC;
"""


def upgrade() -> None:
    op.create_table(
        "audit_seals",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("audit_id", sa.UUID(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_audit_seals_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "seq", name=op.f("pk_audit_seals")),
        sa.UniqueConstraint("audit_id", name=op.f("uq_audit_seals_audit_id")),
    )
    op.create_table(
        "audit_anchors",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_audit_anchors_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_audit_anchors")),
    )
    # The sealer reads a tenant's rows in (created_at, id) order; so does the export.
    op.create_index("ix_audit_log_chain", "audit_log", ["tenant_id", "created_at", "id"])
    isolate_tenants(NEW_TABLES)
    op.execute(PRUNE)
    op.execute(JSONB_REWRITE)
    op.execute(ERASE)


def downgrade() -> None:
    op.execute("DROP FUNCTION keel_audit_erase(text, text)")
    op.execute("DROP FUNCTION keel_jsonb_rewrite(jsonb, text, text)")
    op.execute("DROP FUNCTION keel_audit_prune(timestamptz)")
    op.drop_index("ix_audit_log_chain", table_name="audit_log")
    for table in reversed(NEW_TABLES):
        op.drop_table(table)

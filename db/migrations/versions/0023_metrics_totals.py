"""metrics totals: one narrow function the API's /metrics reads business totals through

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Prometheus scrapes totals over every tenant, which RLS hides from the application role: this
# function answers counts and sums only, never a row, a tenant id or a tenant's own words. Labels
# are bounded here: a definition Keel does not ship is "custom", an unknown channel or status "other".
# The statement timeout keeps a scrape from holding a connection on a very large database.
METRICS_TOTALS = """
CREATE FUNCTION keel_metrics_totals(p_definitions text[])
RETURNS TABLE(metric text, label1 text, label2 text, value double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET statement_timeout = '5s' AS $$
  SELECT 'processes_started',
         CASE WHEN definition = ANY(p_definitions) THEN definition ELSE 'custom' END, '', count(*)
  FROM processes WHERE deleted_at IS NULL GROUP BY 2
  UNION ALL
  SELECT 'tasks_open', '', '', count(*) FROM tasks WHERE status = 'open' AND deleted_at IS NULL
  UNION ALL
  SELECT 'tasks_overdue', '', '', count(*)
  FROM tasks WHERE status = 'open' AND due_at < now() AND deleted_at IS NULL
  UNION ALL
  SELECT 'sla_breaches', '', '', count(*) FROM sla_breaches WHERE deleted_at IS NULL
  UNION ALL
  SELECT 'notification_messages',
         CASE WHEN channel IN ('email', 'sms', 'push', 'in_app') THEN channel ELSE 'other' END,
         CASE WHEN status IN ('queued', 'scheduled', 'sending', 'sent', 'delivered', 'opened', 'failed',
                              'bounced', 'suppressed', 'cancelled', 'skipped')
              THEN status ELSE 'other' END,
         count(*)
  FROM delivery_messages WHERE deleted_at IS NULL GROUP BY 2, 3
  UNION ALL
  SELECT 'webhook_deliveries',
         CASE WHEN status IN ('pending', 'succeeded', 'failed', 'disabled') THEN status ELSE 'other' END,
         '', count(*)
  FROM webhook_deliveries WHERE deleted_at IS NULL GROUP BY 2
  UNION ALL
  SELECT 'webhook_attempt_seconds', '', '', coalesce(sum(latency_ms), 0) / 1000.0
  FROM webhook_delivery_attempts WHERE latency_ms IS NOT NULL
  UNION ALL
  SELECT 'webhook_attempts', '', '', count(*) FROM webhook_delivery_attempts WHERE latency_ms IS NOT NULL
  UNION ALL
  SELECT 'import_rows', 'ok', '', coalesce(sum(rows_ok), 0) FROM entity_imports
  UNION ALL
  SELECT 'import_rows', 'failed', '', coalesce(sum(rows_failed), 0) FROM entity_imports
$$;
REVOKE ALL ON FUNCTION keel_metrics_totals(text[]) FROM PUBLIC;
"""


def upgrade() -> None:
    op.execute(METRICS_TOTALS)


def downgrade() -> None:
    op.execute("DROP FUNCTION keel_metrics_totals(text[])")

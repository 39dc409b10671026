"""tasks notify: a task written (opened, completed, reassigned) NOTIFYs ``keel_tasks`` with its tenant
id, which wakes the API's long polls of ``GET /tasks?wait=`` (delivered at commit; identical payloads
in one transaction are folded into one)

Revision ID: 0037
Revises: 0036
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION keel_tasks_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('keel_tasks', NEW.tenant_id::text);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER tasks_notify AFTER INSERT OR UPDATE ON tasks "
        "FOR EACH ROW EXECUTE FUNCTION keel_tasks_notify()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER tasks_notify ON tasks")
    op.execute("DROP FUNCTION keel_tasks_notify()")

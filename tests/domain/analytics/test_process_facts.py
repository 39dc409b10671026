"""A process's end is a fact analytics reads: recording it sets the row's status and end time once."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import Engine, select, text

from db.models import Process
from db.session import tenant_session
from domain.audit import service as audit
from domain.context import TenantContext
from domain.processes import service as processes
from tests.conftest import TenantFixture
from tests.domain.analytics.rows import process_row

ROOT = Path(__file__).parents[3]


def test_recording_the_end_sets_status_and_end_time_once(engine: Engine, tenant: TenantFixture):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        process = process_row(tenant.id)
        session.add(process)
        session.flush()
        assert process.status is None and process.ended_at is None
        processes.record_finished(session, ctx, process.id, "completed", None, None)
        session.refresh(process)
        ended = process.ended_at
        assert process.status == "completed" and ended is not None
        processes.record_finished(
            session, ctx, process.id, "failed", None, "late"
        )  # a repeat changes nothing
        session.refresh(process)
        assert (process.status, process.ended_at) == ("completed", ended)


def test_the_migration_backfills_ends_from_the_audit_trail(
    engine: Engine, admin_engine: Engine, tenant: TenantFixture
):
    migration = ROOT / "db" / "migrations" / "versions" / "0027_analytics.py"
    spec = importlib.util.spec_from_file_location("analytics_migration", migration)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        ended, running = (process_row(tenant.id, key=key) for key in ("ended", "running"))
        session.add_all([ended, running])
        session.flush()
        audit.record(session, ctx, "process.cancelled", "process", ended.id, {"status": [None, "cancelled"]})
        audit.record(session, ctx, "process.started", "process", running.id, {})
    with admin_engine.begin() as conn:
        conn.execute(text(module.BACKFILL_ENDS))
    with tenant_session(engine, tenant.id) as session:
        rows = {key: status for key, status in session.execute(select(Process.business_key, Process.status))}
        assert rows == {"ended": "cancelled", "running": None}

"""Kill the worker (SIGKILL) in the middle of a 20,000-row import, start another: every row is
imported exactly once."""

from __future__ import annotations

import asyncio
import io
import signal
import time
import uuid

import pytest
from sqlalchemy import func, select, text
from temporalio.client import Client

from db.models import Entity, EntityImport, EntityVersion
from db.session import tenant_session
from domain.context import TenantContext
from domain.entities import imports, types
from domain.entities.schemas import EntityTypeIn, ImportRequest, ImportRun
from keel.temporal import connect
from tests.api.entity_helpers import CUSTOMER_SCHEMA
from tests.e2e.test_campaign_crash import spawn_worker

pytestmark = pytest.mark.slow
ROWS = 20_000


def progress(engine, tenant, import_id: uuid.UUID) -> tuple[str, int]:
    with tenant_session(engine, tenant.id) as session:
        row = session.get(EntityImport, import_id)
        assert row is not None
        return row.status, row.rows_ok


async def test_an_import_resumed_after_a_worker_crash_imports_every_row_once(
    settings, engine, tenant, dev_server, tmp_path
):
    queue = f"crash-{uuid.uuid4().hex[:8]}"
    ctx = TenantContext.system(tenant.id, tenant.domain)
    buf = io.StringIO()
    buf.write("external_id,name,email,age\n")
    for i in range(ROWS):
        buf.write(f"x{i},Person {i},p{i}@crash.example,{i % 90}\n")
    with tenant_session(engine, tenant.id) as session:
        types.create_type(
            session,
            ctx,
            EntityTypeIn.model_validate({"name": "customer", "schema": CUSTOMER_SCHEMA, "unique": ["email"]}),
        )
    with tenant_session(engine, tenant.id) as session:
        request = ImportRequest(type_name="customer", content=buf.getvalue().encode(), filename="big.csv")
        imp = imports.submit(session, ctx, request)
    client: Client = await connect(settings.model_copy(update={"temporal_address": dev_server}))
    handle = await client.start_workflow(
        "entity-import",
        ImportRun(tenant_id=tenant.id, import_id=imp.id),
        id=imports.workflow_id(imp.id),
        task_queue=queue,
    )

    first = spawn_worker(settings, dev_server, queue, tmp_path)
    try:
        deadline = time.monotonic() + 120
        while progress(engine, tenant, imp.id)[1] < 2000:
            assert time.monotonic() < deadline, "the first worker imported nothing"
            time.sleep(0.05)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    status, at_crash = progress(engine, tenant, imp.id)
    assert status == "running" and at_crash < ROWS

    second = spawn_worker(settings, dev_server, queue, tmp_path)
    try:
        assert await asyncio.wait_for(handle.result(), timeout=180) == "completed"
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    with tenant_session(engine, tenant.id) as session:
        count, distinct = session.execute(
            select(func.count(), func.count(Entity.external_id.distinct())).where(
                Entity.tenant_id == tenant.id
            )
        ).one()
        versions = session.scalar(select(func.count()).where(EntityVersion.tenant_id == tenant.id))
        pending = session.scalar(
            text(
                "SELECT count(*) FROM entity_import_rows WHERE import_id = :i AND outcome IS DISTINCT FROM 'created'"
            ),
            {"i": imp.id},
        )
        row = session.get(EntityImport, imp.id)
        assert row is not None
        assert (row.status, row.rows_total, row.rows_ok, row.rows_failed) == ("completed", ROWS, ROWS, 0)
    assert (count, distinct, versions, pending) == (ROWS, ROWS, ROWS, 0)  # every row once, nobody twice

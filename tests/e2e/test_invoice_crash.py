"""Kill the worker (SIGKILL) in the middle of an invoice's dunning, just as its first reminder is
recorded, start another: each reminder and the final notice reach the customer exactly once, and the
invoice ends uncollectible once.

The tenant's policy is written straight to its settings in seconds (the API's shortest offset is
PT1H): the workflow schedules whatever policy is stored, and a test cannot wait hours."""

from __future__ import annotations

import asyncio
import signal
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from temporalio.client import Client

from db.models import Delivery
from db.models.invoices import Invoice
from db.session import tenant_session
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import InvoiceIn, InvoiceRun
from domain.context import TenantContext
from keel.temporal import connect
from tests.api.invoice_helpers import customer, seller
from tests.e2e.test_campaign_crash import spawn_worker
from tests.e2e.test_signing_crash import messages as sent
from tests.e2e.test_signing_crash import wait
from workflows.invoices import InvoiceWorkflow

pytestmark = pytest.mark.slow
DUNNING = {"reminders": ["PT3S", "PT6S"], "final_notice": "PT9S", "then": "mark_uncollectible"}


def recorded(engine, tenant, key: str) -> bool:
    with tenant_session(engine, tenant.id) as session:
        return session.scalar(select(Delivery.id).where(Delivery.dedup_key == key)) is not None


async def test_dunning_resumed_after_a_worker_crash_reminds_nobody_twice(
    settings, engine, tenant, dev_server, tmp_path
):
    queue = f"crash-{uuid.uuid4().hex[:8]}"
    email = f"payer-{uuid.uuid4().hex[:6]}@crash.example"
    ctx = TenantContext.system(tenant.id, tenant.domain)
    seller(engine, tenant.id, dunning=DUNNING)
    buyer = customer(engine, tenant.id, email=email)
    body = InvoiceIn.model_validate(
        {"customer": str(buyer), "lines": [{"description": "Audit", "unit_amount": "1200.00"}]}
    )
    with tenant_session(engine, tenant.id) as session:
        invoice_id = invoices.create(session, ctx, body).id
        invoices.finalize(session, ctx, invoice_id)
    # Due in two seconds: overdue, then the reminders at 3 s and 6 s and the final notice at 9 s.
    run = InvoiceRun(
        tenant_id=tenant.id, invoice_id=invoice_id, due_at=datetime.now(UTC) + timedelta(seconds=2)
    )
    client: Client = await connect(settings.model_copy(update={"temporal_address": dev_server}))
    handle = await client.start_workflow(
        InvoiceWorkflow.run, run, id=f"invoice-crash-{invoice_id}", task_queue=queue
    )

    first = spawn_worker(settings, dev_server, queue, tmp_path)
    try:
        wait(lambda: recorded(engine, tenant, f"invoice:{invoice_id}:reminder:1"), "no first reminder")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)

    second = spawn_worker(settings, dev_server, queue, tmp_path)
    try:
        status = await asyncio.wait_for(handle.result(), timeout=120)
        wait(lambda: sent(engine, tenant, email, "Final notice") >= 1, "the final notice never went out")
        wait(lambda: sent(engine, tenant, email, "Reminder") >= 2, "a reminder never went out")
        await asyncio.sleep(1)  # anything sent twice would show by now
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    assert status == "uncollectible"
    assert sent(engine, tenant, email, "Reminder") == 2
    assert sent(engine, tenant, email, "Final notice") == 1
    with tenant_session(engine, tenant.id) as session:
        row = session.get(Invoice, invoice_id)
        assert row is not None
        assert (row.status, row.reminders_sent) == ("uncollectible", 3)
        keys = session.scalars(
            select(Delivery.dedup_key).where(Delivery.dedup_key.like(f"invoice:{invoice_id}:%"))
        ).all()
    assert sorted(k or "" for k in keys) == sorted(
        f"invoice:{invoice_id}:{step}" for step in ("reminder:1", "reminder:2", "final_notice")
    )

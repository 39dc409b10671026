"""The invoice workflow on the time-skipping server: the PDF rendered on finalize and again on each
change (a new version of one document), invoice.overdue once at the due date, the tenant's dunning
reminders as durable timers (each email once), then the final notice and its action."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.models import Delivery, Document, OutboxEvent
from db.models.billing import BillingCustomer, BillingSettings, TaxRate
from db.models.invoices import Invoice
from db.session import tenant_session
from domain.billing.invoices import payments
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import InvoiceIn, InvoiceRun, PaymentIn
from domain.context import TenantContext
from tests.workflows.conftest import terminate_all
from workers.main import build_worker
from workflows.invoices import InvoiceWorkflow


@pytest.fixture
async def env(time_skipping_env, engine, queue, settings, started_workflows):
    async with build_worker(time_skipping_env.client, engine, queue, settings=settings):
        yield time_skipping_env
        await terminate_all(started_workflows)


def setup(engine, tenant, dunning):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as s:
        s.add(
            BillingSettings(
                tenant_id=tenant.id,
                seller_name="Seller",
                seller_address={},
                seller_country="FR",
                reporting_currency="EUR",
                dunning=dunning,
            )
        )
        s.add(
            TaxRate(
                tenant_id=tenant.id,
                name="TVA 20%",
                percentage=Decimal(20),
                inclusive=False,
                country="FR",
                active=True,
            )
        )
        c = BillingCustomer(
            id=uuid.uuid4(),
            tenant_id=tenant.id,
            name="Client",
            email="pay@client.example",
            currency="EUR",
            country="FR",
            address={},
            tax_ids=[],
            locale="en",
            payment_terms_days=10,
            credit_minor=0,
            metadata_={},
            version=1,
        )
        s.add(c)
        s.flush()
        body = InvoiceIn.model_validate(
            {"customer": str(c.id), "lines": [{"description": "Work", "unit_amount": "50"}]}
        )
        invoice = invoices.create(s, ctx, body)
        invoices.finalize(s, ctx, invoice.id)
        return ctx, invoice.id


async def start(env, queue, tenant, invoice_id, due_in=timedelta(days=10)):
    run = InvoiceRun(tenant_id=tenant.id, invoice_id=invoice_id, due_at=await env.get_current_time() + due_in)
    return await env.client.start_workflow(
        InvoiceWorkflow.run, run, id=f"invoice-{invoice_id}", task_queue=queue
    )


def facts(engine, tenant, invoice_id):
    with tenant_session(engine, tenant.id) as s:
        invoice = s.get(Invoice, invoice_id)
        assert invoice is not None
        doc = s.get(Document, invoice.pdf_document_id) if invoice.pdf_document_id else None
        keys = sorted(
            (k or "").split(":", 2)[-1]
            for k in s.scalars(
                select(Delivery.dedup_key).where(Delivery.dedup_key.like(f"invoice:{invoice_id}:%"))
            )
        )
        kinds = [
            e.type
            for e in s.scalars(
                select(OutboxEvent).where(OutboxEvent.type.like("invoice.%")).order_by(OutboxEvent.created_at)
            )
        ]
        return {
            "status": invoice.status,
            "pdf_versions": doc.version if doc else 0,
            "emails": keys,
            "events": kinds,
            "reminders": invoice.reminders_sent,
        }


async def test_dunning_reminders_then_uncollectible(env, engine, settings, tenant, queue):
    policy = {"reminders": ["P3D", "P7D"], "final_notice": "P14D", "then": "mark_uncollectible"}
    _, invoice_id = setup(engine, tenant, policy)
    handle = await start(env, queue, tenant, invoice_id)
    assert await handle.result() == "uncollectible"
    got = facts(engine, tenant, invoice_id)
    assert got["emails"] == ["final_notice", "reminder:1", "reminder:2"] and got["reminders"] == 3
    assert got["events"] == ["invoice.finalized", "invoice.overdue", "invoice.uncollectible"]
    assert got["pdf_versions"] == 2  # open, then uncollectible
    assert got["status"] == "uncollectible"


async def test_paid_after_the_due_date_ends_the_workflow(env, engine, settings, tenant, queue):
    ctx, invoice_id = setup(engine, tenant, {})
    handle = await start(env, queue, tenant, invoice_id)
    await env.sleep(timedelta(days=11))
    got = facts(engine, tenant, invoice_id)
    assert got["events"] == ["invoice.finalized", "invoice.overdue"] and got["pdf_versions"] == 1
    with tenant_session(engine, tenant.id) as s:
        payments.record(s, ctx, invoice_id, PaymentIn(amount="60.00", method="manual"))
    await handle.signal(InvoiceWorkflow.invoice_changed)
    assert await handle.result() == "paid"
    got = facts(engine, tenant, invoice_id)
    assert (
        got["events"] == ["invoice.finalized", "invoice.overdue", "invoice.paid"] and got["pdf_versions"] == 2
    )
    assert got["emails"] == []  # no dunning policy: no reminder


async def test_a_repeated_signal_renders_one_version_per_change(env, engine, settings, tenant, queue):
    ctx, invoice_id = setup(engine, tenant, {})
    handle = await start(env, queue, tenant, invoice_id)
    for _ in range(300):  # the first render, in real time (the activity does not skip time)
        if facts(engine, tenant, invoice_id)["pdf_versions"]:
            break
        await asyncio.sleep(0.1)
    for _ in range(3):  # nothing changed: no new version
        await handle.signal(InvoiceWorkflow.invoice_changed)
    with tenant_session(engine, tenant.id) as s:
        invoices.void(s, ctx, invoice_id)
    await handle.signal(InvoiceWorkflow.invoice_changed)
    await handle.signal(InvoiceWorkflow.invoice_changed)
    assert await handle.result() == "void"
    got = facts(engine, tenant, invoice_id)
    assert got["pdf_versions"] == 2 and "invoice.overdue" not in got["events"]

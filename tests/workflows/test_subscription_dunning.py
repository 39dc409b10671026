"""A subscription follows its invoices' dunning on the time-skipping server: past_due when one goes
overdue, active again once it is paid, suspended when dunning ends with mark_uncollectible; a suspended
subscription is not invoiced any more."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from db.models.billing import BillingCustomer, BillingSettings
from db.models.invoices import Invoice
from db.session import tenant_session
from domain.billing.invoices import payments
from domain.billing.invoices.schemas import PaymentIn
from domain.billing.subscriptions import service as subscriptions
from domain.billing.subscriptions.schemas import CancelIn
from domain.context import TenantContext
from tests.workflows.conftest import terminate_all
from tests.workflows.subscription_helpers import (
    at_clock,
    catalogue,
    create,
    customer,
    facts,
    quick_pdfs,
    start,
    stop_invoice_workflows,
)
from workers.main import build_worker
from workflows.subscriptions import SubscriptionWorkflow


@pytest.fixture
async def env(time_skipping_env, engine, queue, settings, started_workflows, tenant, monkeypatch):
    quick_pdfs(monkeypatch)
    async with build_worker(time_skipping_env.client, engine, queue, settings=settings):
        yield time_skipping_env
        await terminate_all(started_workflows)
        await stop_invoice_workflows(time_skipping_env.client, engine, tenant.id)


async def until(check, engine, tenant, sub_id, tries=300):
    for _ in range(tries):
        got = facts(engine, tenant.id, sub_id)
        if check(got):
            return got
        await asyncio.sleep(0.1)
    raise AssertionError(got)


async def skip(env, delta):
    """Time skipped a few days at a time: one long skip that runs many activities outlasts its RPC."""
    while delta > timedelta(0):
        step = min(delta, timedelta(days=3))
        await env.sleep(step)
        delta -= step


def terms(engine, tenant, shop, days, dunning):
    with tenant_session(engine, tenant.id) as s:
        s.execute(update(BillingCustomer).values(payment_terms_days=days))
        s.execute(update(BillingSettings).values(dunning=dunning))


async def test_overdue_then_paid_or_uncollectible(env, engine, tenant, queue, monkeypatch):
    shop = catalogue(engine, tenant.id)
    terms(engine, tenant, shop, 5, {"reminders": [], "final_notice": "P20D", "then": "mark_uncollectible"})
    at_clock(monkeypatch, await env.get_current_time())
    items = [{"price": str(shop["plan"])}]
    payer = create(engine, tenant, {"customer": str(shop["customer"]), "items": items})
    other = customer(engine, tenant.id, email="late@example.com", payment_terms_days=5)
    late = create(engine, tenant, {"customer": str(other), "items": items})
    for sub in (payer, late):
        await start(env.client, queue, sub)
        await until(lambda f: f["invoices"], engine, tenant, sub.id)

    await skip(env, timedelta(days=7))  # due in 5 days: overdue the day after
    for sub in (payer, late):
        got = await until(lambda f: f["status"] == "past_due", engine, tenant, sub.id)
        assert got["events"] == ["subscription.created", "subscription.past_due"]

    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as s:
        (invoice_id,) = s.scalars(select(Invoice.id).where(Invoice.subscription_id == payer.id))
        payments.record(s, ctx, invoice_id, PaymentIn(amount="12.00", method="manual"))
    got = facts(engine, tenant.id, payer.id)
    assert got["status"] == "active" and got["events"][-1] == "subscription.updated"

    await skip(env, timedelta(days=20))  # the final notice, then uncollectible
    got = await until(lambda f: f["status"] == "suspended", engine, tenant, late.id)
    assert got["events"] == ["subscription.created", "subscription.past_due", "subscription.suspended"]
    assert facts(engine, tenant.id, payer.id)["status"] == "active"

    with tenant_session(engine, tenant.id) as s:
        subscriptions.cancel(s, ctx, payer.id, CancelIn(at_period_end=False))
    await env.client.get_workflow_handle(payer.workflow_id).signal(SubscriptionWorkflow.subscription_changed)
    await skip(env, got["end"] - await env.get_current_time() + timedelta(days=1))
    await asyncio.sleep(1)
    got = facts(engine, tenant.id, late.id)
    assert got["status"] == "suspended" and len(got["invoices"]) == 1  # no invoice once suspended

"""The subscription workflow on the time-skipping server: no invoice during the trial, then
trial_ended and the first period's licensed invoice; at each period's end the next period
(continue-as-new, renewed) with its licensed invoice in advance, and the closed period's usage
invoiced once the grace period for late events has passed; a cancel at the period's end ends it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from temporalio.client import WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from db.session import tenant_session
from domain.billing.subscriptions import service as subscriptions
from domain.billing.subscriptions.schemas import CancelIn
from domain.context import TenantContext
from tests.workflows.conftest import terminate_all
from tests.workflows.subscription_helpers import (
    at_clock,
    catalogue,
    create,
    facts,
    quick_pdfs,
    start,
    stop_invoice_workflows,
    usage,
)
from workers.main import ALL_WORKFLOWS, build_worker, workflow_runner
from workflows.subscriptions import SubscriptionWorkflow

GRACE = timedelta(days=7)  # the default usage_grace_days


@pytest.fixture
async def env(time_skipping_env, engine, queue, settings, started_workflows, tenant, monkeypatch):
    quick_pdfs(monkeypatch)
    async with build_worker(time_skipping_env.client, engine, queue, settings=settings):
        yield time_skipping_env
        await terminate_all(started_workflows)
        await stop_invoice_workflows(time_skipping_env.client, engine, tenant.id)


async def until(check, engine, tenant, sub_id, tries=300):
    for _ in range(tries):  # activities run in real time: wait for them, skipping no time
        got = facts(engine, tenant.id, sub_id)
        if check(got):
            return got
        await asyncio.sleep(0.1)
    raise AssertionError(got)


async def test_trial_then_periods_renew_and_usage_lands_after_the_grace(
    env, engine, tenant, queue, monkeypatch
):
    shop = catalogue(engine, tenant.id)
    at_clock(monkeypatch, await env.get_current_time())
    items = [{"price": str(shop["plan"]), "quantity": 2}, {"price": str(shop["usage"])}]
    sub = create(engine, tenant, {"customer": str(shop["customer"]), "items": items, "trial_days": 3})
    handle = await start(env.client, queue, sub)
    first_run = handle.result_run_id

    got = await until(lambda f: f["events"] == ["subscription.created"], engine, tenant, sub.id)
    assert got["status"] == "trialing" and got["invoices"] == []

    await env.sleep(timedelta(days=3, minutes=1))
    got = await until(lambda f: f["invoices"], engine, tenant, sub.id)
    assert got["status"] == "active" and got["period_index"] == 0
    assert got["events"] == ["subscription.created", "subscription.trial_ended"]
    assert got["invoices"] == [("licensed", 2400)]  # 2 x 10.00 + 20 % VAT, in advance
    assert got["start"] == sub.trial_end  # the first period is anchored at the trial's end
    first_end = got["end"]
    assert (first_end.month - got["start"].month) % 12 == 1

    # Four calls in the first period, one of them reported late (it still lands in its period).
    usage(engine, tenant.id, sub, shop["metric"], [got["start"] + timedelta(days=d) for d in (1, 2, 3)])
    await env.sleep(first_end - await env.get_current_time() + timedelta(minutes=1))
    got = await until(lambda f: len(f["invoices"]) == 2, engine, tenant, sub.id)
    assert got["period_index"] == 1 and got["start"] == first_end
    assert got["events"][-1] == "subscription.renewed"
    assert got["invoices"] == [("licensed", 2400), ("licensed", 2400)]  # usage waits for the grace
    usage(engine, tenant.id, sub, shop["metric"], [first_end - timedelta(hours=1)])

    await env.sleep(GRACE)
    got = await until(lambda f: len(f["invoices"]) == 3, engine, tenant, sub.id)
    assert got["invoices"][-1] == ("usage", 24)  # 4 x 0.05 + 20 % VAT, in arrears
    described = await env.client.get_workflow_handle(sub.workflow_id).describe()
    assert described.run_id != first_run  # continued as new at each period

    at_clock(monkeypatch, await env.get_current_time())
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as s:
        subscriptions.cancel(s, ctx, sub.id, CancelIn(at_period_end=True))
    await env.client.get_workflow_handle(sub.workflow_id).signal(SubscriptionWorkflow.subscription_changed)
    end = got["end"]
    await env.sleep(end - await env.get_current_time() + timedelta(minutes=1))
    got = await until(lambda f: f["status"] == "canceled", engine, tenant, sub.id)
    assert [k for k, _ in got["invoices"]] == ["licensed", "licensed", "usage"]  # no new period
    assert got["events"][-2:] == ["subscription.updated", "subscription.canceled"]
    await env.sleep(GRACE)  # the last period's usage is awaited for the grace (none came: no invoice)
    handle = env.client.get_workflow_handle(sub.workflow_id)
    for _ in range(100):
        if (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED:
            break
        await asyncio.sleep(0.1)
    assert (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED
    assert await handle.query(SubscriptionWorkflow.state) == "canceled"
    assert len(facts(engine, tenant.id, sub.id)["invoices"]) == 3

    # The run replays on today's code (deterministic), and its history stays one period long.
    replayer = Replayer(
        workflows=ALL_WORKFLOWS, data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )
    for run in (env.client.get_workflow_handle(sub.workflow_id, run_id=first_run), handle):
        history = await run.fetch_history()
        assert len(history.events) < 100
        replayed = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert replayed.replay_failure is None, replayed.replay_failure

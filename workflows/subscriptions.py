"""One workflow per subscription (id ``{tenant domain}:subscription:{id}``), one run per period.

Each run asks the ``subscriptions.advance`` activity to do what is due at the workflow's clock (the
trial's end, a period's licensed invoice in advance, a closed period's usage invoice in arrears, the
next period) and to say when to wake next; it starts the workflows of the invoices made (PDF, due
date, dunning) as children that outlive it, then sleeps on a durable timer until then, or until the
``subscription_changed`` signal (items, cancel, pause, resume: the request changed the row first).
When a new period starts the run continues as new, so a subscription's history stays one period
long; a canceled subscription ends the workflow once its last usage is invoiced. Paused and
suspended subscriptions wait for a signal without a timer.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.billing.invoices.schemas import InvoiceRun
    from domain.billing.subscriptions.schemas import Advance, Advanced, SubscriptionRun

RETRY = RetryPolicy(maximum_interval=timedelta(seconds=60), non_retryable_error_types=["NotFound"])
TIMEOUT = timedelta(minutes=2)
MAX_STEPS = 200  # steps in one run before it continues as new anyway (signals without a new period)


@workflow.defn(name=contracts.SUBSCRIPTION)
class SubscriptionWorkflow:
    def __init__(self) -> None:
        self._changed = False
        self._status = "active"

    @workflow.run
    async def run(self, run: SubscriptionRun) -> str:
        domain = workflow.info().workflow_id.rsplit(":subscription:", 1)[0]
        for _ in range(MAX_STEPS):
            self._changed = False
            done: Advanced = await workflow.execute_activity(
                contracts.SUBSCRIPTIONS_ADVANCE,
                Advance(
                    tenant_id=run.tenant_id,
                    tenant_domain=domain,
                    subscription_id=run.subscription_id,
                    at=workflow.now(),
                ),
                result_type=Advanced,
                start_to_close_timeout=TIMEOUT,
                retry_policy=RETRY,
            )
            self._status = done.step.status
            for invoice in done.invoices:
                await self._start_invoice(invoice)
            if self._status == "canceled" and done.step.wake_at is None:
                return self._status
            if done.step.moved:
                workflow.continue_as_new(run)
            wake = done.step.wake_at
            if wake is None:
                await workflow.wait_condition(lambda: self._changed)
                continue
            delay = wake - workflow.now()
            if delay > timedelta(0):
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(lambda: self._changed, timeout=delay)
        workflow.continue_as_new(run)

    async def _start_invoice(self, invoice: InvoiceRun) -> None:
        """The invoice's own workflow, as a child that outlives this run (ABANDON)."""
        ident = f"{workflow.info().workflow_id.rsplit(':subscription:', 1)[0]}:invoice:{invoice.invoice_id}"
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await workflow.start_child_workflow(
                contracts.INVOICE,
                invoice,
                id=ident,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )

    @workflow.signal(name=contracts.SUBSCRIPTION_CHANGED)
    def subscription_changed(self) -> None:
        self._changed = True

    @workflow.query(name=contracts.STATE)
    def state(self) -> str:
        return self._status

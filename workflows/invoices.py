"""One workflow per finalized invoice (id ``{tenant domain}:invoice:{id}``): its PDF, its due date and
its dunning.

It renders the PDF, then waits for the ``invoice_changed`` signal (a payment, a credit note, a void,
a send) against a durable timer at the due date. Each signal renders the PDF again (a new version of
the same document); an invoice no longer open (paid, void, uncollectible) ends the workflow once its
PDF is current. At the due date an open invoice emits ``invoice.overdue`` and the tenant's dunning
policy is scheduled: reminders after the due date, then the final notice and its action. An invoice
collected automatically is charged to the saved payment method at once, then on the policy's retry
schedule while it stays open (interleaved with the reminders). The API
signals with signal-with-start, so a change to an invoice whose workflow has ended (a credit note on
a paid invoice) starts a new run that renders the PDF and ends.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.billing.invoices.schemas import ChargeStep, InvoiceRef, InvoiceRun, InvoiceStep, ReminderStep

AUTOMATIC = "charge_automatically"
RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30), non_retryable_error_types=["NotFound"])
TIMEOUT = timedelta(seconds=30)
RENDER_TIMEOUT = timedelta(minutes=3)  # the renderer serves one document at a time per worker


@workflow.defn(name=contracts.INVOICE)
class InvoiceWorkflow:
    def __init__(self) -> None:
        self._status = "open"
        self._changed = False

    @workflow.run
    async def run(self, run: InvoiceRun) -> str:
        ref = InvoiceRef(tenant_id=run.tenant_id, invoice_id=run.invoice_id)
        # (when, round): round -1 is the overdue check, 1..n reminders, 0 the final notice.
        pending: list[tuple[datetime, int]] = [(run.due_at, -1)]
        # (when, attempt): automatic charges, the first one now, its retries once it failed.
        first = workflow.now()
        charges: list[tuple[datetime, int]] = [(first, 0)] if run.collection == AUTOMATIC else []
        then: str | None = None
        await self._render(ref)
        while self._status == "open":
            if self._changed:
                self._changed = False
                await self._render(ref)
                continue
            charging = bool(charges) and (not pending or charges[0][0] <= pending[0][0])
            if not pending and not charges:
                await workflow.wait_condition(lambda: self._changed)
                continue
            at, round_ = charges[0] if charging else pending[0]
            delay = at - workflow.now()
            if delay > timedelta(0):
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(lambda: self._changed, timeout=delay)
                continue
            if charging:
                charges.pop(0)
                charge = ChargeStep(tenant_id=run.tenant_id, invoice_id=run.invoice_id, attempt=round_)
                step = await self._step(contracts.INVOICES_CHARGE, charge)
                if round_ == 0:
                    charges = [
                        (first + timedelta(seconds=s), i + 1) for i, s in enumerate(step.retries_seconds)
                    ]
            else:
                pending.pop(0)
                if round_ == -1:
                    step = await self._step(contracts.INVOICES_OVERDUE, ref)
                    pending = self._schedule(run.due_at, step)
                    then = step.then
                else:
                    reminder = ReminderStep(
                        tenant_id=run.tenant_id, invoice_id=run.invoice_id, round=round_, then=then
                    )
                    step = await self._step(contracts.INVOICES_REMIND, reminder)
            self._status = step.status
        await self._render(ref)  # the final state on the PDF (idempotent: nothing new, nothing done)
        return self._status

    @staticmethod
    def _schedule(due_at: datetime, step: InvoiceStep) -> list[tuple[datetime, int]]:
        moments = [(due_at + timedelta(seconds=s), i + 1) for i, s in enumerate(step.reminders_seconds)]
        if step.final_notice_seconds is not None:
            moments.append((due_at + timedelta(seconds=step.final_notice_seconds), 0))
        return sorted(moments, key=lambda m: (m[0], m[1] == 0))

    async def _render(self, ref: InvoiceRef) -> None:
        self._status = await workflow.execute_activity(
            contracts.INVOICES_RENDER,
            ref,
            result_type=str,
            start_to_close_timeout=RENDER_TIMEOUT,
            retry_policy=RETRY,
        )

    async def _step(self, name: str, arg: object) -> InvoiceStep:
        return await workflow.execute_activity(
            name, arg, result_type=InvoiceStep, start_to_close_timeout=TIMEOUT, retry_policy=RETRY
        )

    @workflow.signal(name=contracts.INVOICE_CHANGED)
    def invoice_changed(self) -> None:
        self._changed = True

    @workflow.query(name=contracts.STATE)
    def state(self) -> str:
        return self._status

"""The signing process: invitations order by order, reminders, the deadline, the sealed result.

The API writes each change (a signature, a decline, a void) to PostgreSQL, then sends the
``signer_acted`` signal; the workflow's activities re-read the request and act on what they find,
so a lost signal is caught up by the next timer. Reminders come every ``remind_every_seconds`` to
those who have not acted; at ``expires_at`` an open request expires. Once every signer and approver
has signed, an activity builds, seals and stores the final document and emails everyone.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.signing.schemas import ReminderRound, SigningRef, SigningRun

RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30), non_retryable_error_types=["NotFound"])
TIMEOUT = timedelta(seconds=30)
COMPLETE_TIMEOUT = timedelta(minutes=5)  # drawing, a certificate page and a timestamped seal


@workflow.defn(name=contracts.SIGNING)
class SigningWorkflow:
    def __init__(self) -> None:
        self._status = "sent"
        self._acted = False

    @workflow.run
    async def run(self, run: SigningRun) -> str:
        ref = SigningRef(tenant_id=run.tenant_id, request_id=run.request_id)
        every = timedelta(seconds=run.remind_every_seconds) if run.remind_every_seconds else None
        next_reminder = workflow.now() + every if every else None
        reminder_round = 0
        await self._step(contracts.SIGNING_ADVANCE, ref)
        while self._status == "sent":
            deadline = min(next_reminder, run.expires_at) if next_reminder else run.expires_at
            delay = deadline - workflow.now()
            if delay > timedelta(0):
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(lambda: self._acted, timeout=delay)
            if self._acted:
                self._acted = False
                await self._step(contracts.SIGNING_ADVANCE, ref)
            elif workflow.now() >= run.expires_at:
                await self._step(contracts.SIGNING_EXPIRE, ref)
            elif every and next_reminder and workflow.now() >= next_reminder:
                reminder_round += 1
                next_reminder += every
                nudge = ReminderRound(
                    tenant_id=run.tenant_id, request_id=run.request_id, round=reminder_round
                )
                await self._step(contracts.SIGNING_REMIND, nudge)
        if self._status == "completing":
            self._status = await workflow.execute_activity(
                contracts.SIGNING_COMPLETE,
                ref,
                result_type=str,
                start_to_close_timeout=COMPLETE_TIMEOUT,
                retry_policy=RETRY,
            )
        return self._status

    async def _step(self, name: str, arg: object) -> None:
        self._status = await workflow.execute_activity(
            name, arg, result_type=str, start_to_close_timeout=TIMEOUT, retry_policy=RETRY
        )

    @workflow.signal(name=contracts.SIGNER_ACTED)
    def signer_acted(self) -> None:
        self._acted = True

    @workflow.query(name=contracts.STATE)
    def state(self) -> str:
        return self._status

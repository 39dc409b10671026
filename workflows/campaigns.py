"""A campaign: wait for ``send_at``, resolve the audience once, then send in batches under the rate.

All progress lives in PostgreSQL (each delivery's status), so the workflow carries no state but the
campaign's id: a crash, a retry or a continue-as-new resumes from what is still queued.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows import contracts
from workflows.calls import Calls

with workflow.unsafe.imports_passed_through():
    from domain.campaigns.schemas import (
        CampaignBatchIn,
        CampaignBatchOut,
        CampaignFinish,
        CampaignRef,
        CampaignRun,
    )

RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30))
CALL = Calls(timedelta(minutes=2), RETRY)
SEND = Calls(timedelta(minutes=10), RETRY, heartbeat=timedelta(seconds=10))  # a batch beats as it sends
MAX_BATCH = 500
PARTS = 2  # batches sent side by side (disjoint halves of the audience)
BATCHES_PER_RUN = 400  # then continue as new, to keep the history short


@workflow.defn(name=contracts.CAMPAIGN)
class CampaignWorkflow:
    def __init__(self) -> None:
        self.cancelled = False

    @workflow.signal(name=contracts.CANCEL)
    def cancel(self) -> None:
        self.cancelled = True

    @workflow.run
    async def run(self, run: CampaignRun) -> str:
        ref = CampaignRef(tenant_id=run.tenant_id, campaign_id=run.campaign_id)
        if run.send_at is not None:
            delay = run.send_at - workflow.now()
            await self._pause(delay)
        if not self.cancelled:
            await CALL(contracts.CAMPAIGNS_MATERIALIZE, ref, int)
        # One tick sends rate/60 deliveries per second, in at most PARTS concurrent batches.
        per_second = run.rate_per_minute / 60
        tick = max(1.0, 1 / per_second)
        size = max(1, min(MAX_BATCH * PARTS, round(per_second * tick)))
        parts = PARTS if size >= 2 * PARTS else 1
        for _ in range(BATCHES_PER_RUN):
            if self.cancelled or await CALL(contracts.CAMPAIGNS_IS_CANCELLING, ref, bool):
                break
            started = workflow.now()
            batch = CampaignBatchIn(**ref.model_dump(), size=-(-size // parts), part=0, parts=parts)
            batches = [batch.model_copy(update={"part": part}) for part in range(parts)]
            results = await SEND.each(contracts.CAMPAIGNS_SEND_BATCH, batches, CampaignBatchOut)
            if sum(r.processed for r in results) == 0:
                await CALL(contracts.CAMPAIGNS_RESUME_HANDED, ref, int)
                return await self._finish(run, cancelled=False)
            # Hold the rate: the next tick starts no earlier than this one's share of a minute.
            await self._pause(timedelta(seconds=tick) - (workflow.now() - started))
        if self.cancelled or await CALL(contracts.CAMPAIGNS_IS_CANCELLING, ref, bool):
            return await self._finish(run, cancelled=True)
        workflow.continue_as_new(run.model_copy(update={"send_at": None}))

    async def _pause(self, delay: timedelta) -> None:
        """A durable timer that a cancel request cuts short."""
        if delay > timedelta(0):
            with contextlib.suppress(asyncio.TimeoutError):
                await workflow.wait_condition(lambda: self.cancelled, timeout=delay)

    async def _finish(self, run: CampaignRun, *, cancelled: bool) -> str:
        data = CampaignFinish(tenant_id=run.tenant_id, campaign_id=run.campaign_id, cancelled=cancelled)
        status: str = await CALL(contracts.CAMPAIGNS_FINISH, data, str)
        return status

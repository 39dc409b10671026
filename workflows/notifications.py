"""One notification to one recipient: wait for ``send_at``, plan, send per channel, settle.

``send_at`` and quiet hours are durable timers. Each channel's send is an activity retried with
backoff; a permanent failure (an invalid address, a refused message) is not retried. With the
``fallback`` strategy the channels are tried in order until one succeeds; with ``all`` every channel
is sent, concurrently.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.deliveries.schemas import (
        ChannelPlan,
        DeliveryPlan,
        DeliveryRef,
        MessageFailed,
        MessageRef,
        NotificationRun,
    )

BOOKKEEPING = RetryPolicy(maximum_interval=timedelta(seconds=30))
TIMEOUT = timedelta(seconds=60)
SUCCEEDED = ("sent", "delivered", "opened")


T = TypeVar("T")


async def _bookkeeping_activity(name: str, arg: object, result_type: type[T]) -> T:
    """Run an activity that only reads or records the delivery's state (not a send): short, retried
    without limit."""
    result: T = await workflow.execute_activity(
        name, arg, result_type=result_type, start_to_close_timeout=TIMEOUT, retry_policy=BOOKKEEPING
    )
    return result


@workflow.defn(name=contracts.NOTIFICATION)
class NotificationWorkflow:
    @workflow.run
    async def run(self, run: NotificationRun) -> str:
        self.run_input = run
        if run.send_at is not None:
            await self._sleep_until(run.send_at)
        ref = DeliveryRef(tenant_id=run.tenant_id, delivery_id=run.delivery_id)
        plan = await _bookkeeping_activity(
            contracts.NOTIFICATIONS_PLAN, ref.model_copy(update={"now": workflow.now()}), DeliveryPlan
        )
        todo = [c for c in plan.channels if c.send]
        if run.strategy == "fallback":
            for i, channel in enumerate(todo):
                if await self._deliver(channel):
                    for rest in todo[i + 1 :]:
                        await self._bookkeep(
                            contracts.NOTIFICATIONS_SKIP,
                            rest,
                            f"not needed: {channel.channel} succeeded first",
                        )
                    break
        else:
            await asyncio.gather(*(self._deliver(c) for c in todo))
        return await _bookkeeping_activity(contracts.NOTIFICATIONS_FINISH, ref, str)

    async def _deliver(self, channel: ChannelPlan) -> bool:
        """Send one channel (after its quiet hours); False when it failed for good."""
        if channel.wait_until is not None:
            await self._sleep_until(channel.wait_until)
        retry = RetryPolicy(
            initial_interval=timedelta(seconds=2),
            backoff_coefficient=2.0,
            maximum_interval=timedelta(minutes=5),
            maximum_attempts=max(1, self.run_input.max_attempts),
            non_retryable_error_types=["PermanentFailure"],
        )
        try:
            status: str = await workflow.execute_activity(
                contracts.NOTIFICATIONS_SEND,
                MessageRef(tenant_id=self.run_input.tenant_id, message_id=channel.message_id),
                result_type=str,
                start_to_close_timeout=TIMEOUT,
                retry_policy=retry,
            )
        except ActivityError as exc:
            cause = exc.cause
            reason = cause.message if isinstance(cause, ApplicationError) else str(cause or exc)
            if not (isinstance(cause, ApplicationError) and cause.type == "PermanentFailure"):
                reason = f"gave up after {retry.maximum_attempts} attempts: {reason}"
            await self._bookkeep(contracts.NOTIFICATIONS_MARK_FAILED, channel, reason)
            return False
        return status in SUCCEEDED

    async def _bookkeep(self, activity: str, channel: ChannelPlan, reason: str) -> None:
        run = self.run_input
        failed = MessageFailed(tenant_id=run.tenant_id, message_id=channel.message_id, reason=reason)
        await _bookkeeping_activity(activity, failed, type(None))

    @staticmethod
    async def _sleep_until(moment: datetime) -> None:
        delay = moment - workflow.now()
        if delay > timedelta(0):
            await workflow.sleep(delay)

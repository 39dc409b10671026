"""The outbox dispatcher: one workflow per tenant (id ``outbox-<tenant id>``) hands out its events in
order of (created_at, id): one delivery workflow per matching webhook, and an ``event`` signal to each
process waiting for the event's type and correlation key.

The outbox listener wakes it (signal-with-start ``wake``) when an event commits. Each batch is
drained by an activity (which publishes nothing), handed out by workflow commands (durable, exactly
once in this history), then recorded as published by a second activity: a crash at any point
repeats no hand-out and loses no event.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import FailureError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

from workflows import contracts
from workflows.notifications import NotificationWorkflow
from workflows.search import SearchSyncWorkflow
from workflows.webhooks import WebhookDeliveryWorkflow

with workflow.unsafe.imports_passed_through():
    from domain.deliveries.schemas import NotificationRun
    from domain.search.schemas import SyncBatch
    from domain.webhooks.schemas import Drained, DrainIn, Handed, Signal, WebhookDeliveryRun
    from workflows.search import sync_workflow_id

T = TypeVar("T")
BATCH = 100
MAX_BATCHES = 200  # per run, then continue as new so the history stays small
SWEEP = timedelta(minutes=5)  # look again even without a wake-up (a missed notification)
RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=30))


def delivery_workflow_id(delivery_id: uuid.UUID) -> str:
    return f"webhook-delivery-{delivery_id}"


async def _local(name: str, arg: object, result_type: type[T]) -> T:
    """Run one of the dispatcher's two bookkeeping activities (drain, record) as a local activity:
    a database round trip, without a task queue between."""
    result: T = await workflow.execute_local_activity(
        name, arg, result_type=result_type, start_to_close_timeout=timedelta(seconds=60), retry_policy=RETRY
    )
    return result


# Outside the sandbox, like the delivery workflow: deterministic, no stateful imports, latency-bound.
@workflow.defn(name=contracts.OUTBOX, sandboxed=False)
class OutboxDispatcherWorkflow:
    def __init__(self) -> None:
        self._woken = False

    @workflow.signal(name=contracts.WAKE)
    def wake(self) -> None:
        self._woken = True

    @workflow.run
    async def run(self, tenant_id: uuid.UUID) -> None:
        for _ in range(MAX_BATCHES):
            self._woken = False  # a wake-up during the drain means: look again
            drained = await _local(
                contracts.OUTBOX_DRAIN, DrainIn(tenant_id=tenant_id, batch_size=BATCH), Drained
            )
            if drained.event_ids or drained.deliveries:
                await self._hand_out(tenant_id, drained)
            if workflow.info().is_continue_as_new_suggested():
                break
            if drained.full:
                continue
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(lambda: self._woken, timeout=SWEEP)
        # Nothing is carried over: the next run starts with a drain, so a wake-up is never lost.
        workflow.continue_as_new(tenant_id)

    async def _hand_out(self, tenant_id: uuid.UUID, drained: Drained) -> None:
        workflows: dict[str, str] = {}
        signalled: list[uuid.UUID] = []

        async def start(run: WebhookDeliveryRun) -> None:
            workflow_id = delivery_workflow_id(run.delivery_id)
            with contextlib.suppress(WorkflowAlreadyStartedError):
                await workflow.start_child_workflow(
                    WebhookDeliveryWorkflow.run,
                    run,
                    id=workflow_id,
                    parent_close_policy=ParentClosePolicy.ABANDON,
                    # Never a second delivery workflow for one delivery, even after the first closed.
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                )
            workflows[str(run.delivery_id)] = workflow_id

        async def signal(item: Signal) -> None:
            for workflow_id in item.workflow_ids:
                try:
                    process = workflow.get_external_workflow_handle(workflow_id)
                    await process.signal(contracts.EVENT, item.event)
                except FailureError:
                    workflow.logger.info("process %s ended before the event reached it", workflow_id)
            signalled.append(item.event_id)

        async def notify(run: NotificationRun) -> None:
            with contextlib.suppress(WorkflowAlreadyStartedError):
                await workflow.start_child_workflow(
                    NotificationWorkflow.run,
                    run,
                    id=f"notification-{run.delivery_id}",
                    parent_close_policy=ParentClosePolicy.ABANDON,
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                )

        async def sync_search(batch: SyncBatch) -> None:
            # Signal the tenant's search sync workflow; start it with the batch if it is not running.
            handle = workflow.get_external_workflow_handle(sync_workflow_id(tenant_id))
            try:
                await handle.signal(SearchSyncWorkflow.changed, batch)
                return
            except FailureError:
                pass
            try:
                await workflow.start_child_workflow(
                    SearchSyncWorkflow.run,
                    batch,
                    id=sync_workflow_id(tenant_id),
                    parent_close_policy=ParentClosePolicy.ABANDON,
                )
            except WorkflowAlreadyStartedError:  # started meanwhile: it takes signals now
                await handle.signal(SearchSyncWorkflow.changed, batch)

        await asyncio.gather(
            *(start(r) for r in drained.deliveries),
            *(signal(s) for s in drained.signals),
            *(notify(n) for n in drained.notifications),
            *([sync_search(drained.search)] if drained.search else []),
        )
        handed = Handed(
            tenant_id=tenant_id, event_ids=drained.event_ids, signalled=signalled, workflows=workflows
        )
        await _local(contracts.OUTBOX_RECORD_HANDED, handed, type(None))

"""The report-delivery workflow on the time-skipping server: a step that fails is tried again (three
attempts), and a run that still fails is reported once, with the reason; one that recovers is
delivered and reports nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.analytics.subscriptions.schemas import Begun, DeliveryStart, DeliveryWork, RunFailed, RunRef
from workers.main import workflow_runner
from workflows import contracts
from workflows.report_subscriptions import ReportDeliveryWorkflow


class Steps:
    """The workflow's activities, the delivery failing its first ``failures`` attempts."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0
        self.reported: list[RunFailed] = []

    def activities(self) -> list[Callable[..., object]]:
        @activity.defn(name=contracts.REPORT_SUBSCRIPTIONS_BEGIN)
        async def begin(start: DeliveryStart) -> Begun:
            return Begun(run_id=start.run_id)  # a dashboard: no report run to wait for

        @activity.defn(name=contracts.REPORT_SUBSCRIPTIONS_DELIVER)
        async def deliver(ref: RunRef) -> int:
            self.attempts += 1
            if self.attempts <= self.failures:
                raise ApplicationError(f"the mail server refused (attempt {self.attempts})")
            return 2

        @activity.defn(name=contracts.REPORT_SUBSCRIPTIONS_FAIL)
        async def fail(failed: RunFailed) -> None:
            self.reported.append(failed)

        return [begin, deliver, fail]


async def run(env: WorkflowEnvironment, steps: Steps) -> str:
    queue = f"delivery-{uuid.uuid4().hex[:8]}"
    work = DeliveryWork(tenant_id=uuid.uuid4(), subscription_id=uuid.uuid4())
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[ReportDeliveryWorkflow],
        activities=steps.activities(),
        workflow_runner=workflow_runner(),
    ):
        return await env.client.execute_workflow(
            ReportDeliveryWorkflow.run, work, id=f"report-delivery-{uuid.uuid4()}", task_queue=queue
        )


async def test_a_delivery_failing_twice_is_delivered_on_the_third_attempt(time_skipping_env):
    steps = Steps(failures=2)
    assert await run(time_skipping_env, steps) == "delivered"
    assert steps.attempts == 3 and steps.reported == []


async def test_a_delivery_that_never_succeeds_is_reported_once_after_three_attempts(time_skipping_env):
    steps = Steps(failures=99)
    assert await run(time_skipping_env, steps) == "failed"
    assert steps.attempts == 3
    [failed] = steps.reported
    assert failed.error == "the mail server refused (attempt 3)"

"""A run of a report subscription, started by the subscription's Schedule (or ``run-now``): record the
run, have the report's file written by a ``report-run`` child (the same workflow a manual run is), then
email the link to each recipient. Each step is retried; when one still fails, the run is marked failed
and the subscription's owner is told."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError

from workflows import contracts
from workflows.calls import Calls
from workflows.reports import ReportRunWorkflow

with workflow.unsafe.imports_passed_through():
    from domain.analytics.schemas import RunWork
    from domain.analytics.subscriptions.schemas import Begun, DeliveryStart, DeliveryWork, RunFailed, RunRef

# Each step is tried three times; recording the failure is tried until it is recorded.
STEP = Calls(
    timeout=timedelta(minutes=5),
    retry=RetryPolicy(
        initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=10), maximum_attempts=3
    ),
)
SETTLE = Calls(timeout=timedelta(minutes=5), retry=RetryPolicy(maximum_interval=timedelta(seconds=10)))


class NotDelivered(Exception):
    """The report's file was not written: its run ended another way."""


def _reason(exc: BaseException) -> str:
    cause = exc.cause if isinstance(exc, ActivityError | ChildWorkflowError) else exc
    return cause.message if isinstance(cause, ApplicationError) else str(cause or exc) or "the run failed"


@workflow.defn(name=contracts.REPORT_DELIVERY)
class ReportDeliveryWorkflow:
    @workflow.run
    async def run(self, work: DeliveryWork) -> str:
        """``delivered`` or ``failed``."""
        start = DeliveryStart(
            tenant_id=work.tenant_id,
            subscription_id=work.subscription_id,
            run_id=work.run_id or workflow.uuid4(),
            at=work.at or workflow.now(),
        )
        try:
            begun = await STEP(contracts.REPORT_SUBSCRIPTIONS_BEGIN, start, Begun)
            if begun.report_run_id is not None and begun.report_run_workflow_id is not None:
                written = await workflow.execute_child_workflow(
                    ReportRunWorkflow.run,
                    RunWork(tenant_id=work.tenant_id, run_id=begun.report_run_id),
                    id=begun.report_run_workflow_id,
                )
                if written != "completed":
                    raise NotDelivered(f"the report's file could not be written (its run {written})")
            ref = RunRef(tenant_id=work.tenant_id, run_id=start.run_id)
            await STEP(contracts.REPORT_SUBSCRIPTIONS_DELIVER, ref, int)
            return "delivered"
        except (ActivityError, ChildWorkflowError, NotDelivered) as exc:
            failed = RunFailed(**start.model_dump(), error=_reason(exc))
        await SETTLE(contracts.REPORT_SUBSCRIPTIONS_FAIL, failed, type(None))
        return "failed"

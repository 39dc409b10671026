"""A report run: one activity writes the file page by page (heartbeating its rows written) and stores
it; if it cannot, the run is marked failed. Cancelling is recorded on the run, which the activity reads
before each page."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.analytics.schemas import RunFailure, RunWork

WRITE = RetryPolicy(maximum_interval=timedelta(seconds=10), maximum_attempts=3)
SETTLE = RetryPolicy(maximum_interval=timedelta(seconds=10))
WRITING = timedelta(hours=2)  # a run of millions of rows
BEAT = timedelta(seconds=30)  # the activity beats every second and after each page


def _reason(exc: ActivityError) -> str:
    cause = exc.cause
    return cause.message if isinstance(cause, ApplicationError) else "the file could not be written"


@workflow.defn(name=contracts.REPORT_RUN)
class ReportRunWorkflow:
    @workflow.run
    async def run(self, work: RunWork) -> str:
        """The status the run ends in: completed, cancelled or failed."""
        try:
            return await workflow.execute_activity(
                contracts.REPORTS_RUN,
                work,
                result_type=str,
                start_to_close_timeout=WRITING,
                heartbeat_timeout=BEAT,
                retry_policy=WRITE,
            )
        except ActivityError as exc:
            failed = RunFailure(tenant_id=work.tenant_id, run_id=work.run_id, error=_reason(exc))
        await workflow.execute_activity(
            contracts.REPORTS_FAIL, failed, start_to_close_timeout=timedelta(minutes=1), retry_policy=SETTLE
        )
        return "failed"

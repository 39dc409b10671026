"""Housekeeping: one run of one job (what it deletes is in domain/housekeeping/service.py).

Started by a Temporal Schedule per job (``housekeeping-<job>``, created by every worker at start, see
workers/schedules.py), so each job's runs, and their results, are visible in the Temporal UI.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.housekeeping.schemas import SweepIn, Swept


@workflow.defn(name=contracts.HOUSEKEEPING)
class HousekeepingWorkflow:
    @workflow.run
    async def run(self, data: SweepIn) -> Swept:
        # Heartbeats per batch: a worker that stops mid-sweep hands it to another within a minute;
        # a sweep repeated from the start deletes only what is still there.
        return await workflow.execute_activity(
            contracts.HOUSEKEEPING_SWEEP,
            data,
            result_type=Swept,
            start_to_close_timeout=timedelta(minutes=30),
            heartbeat_timeout=timedelta(minutes=1),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=5), maximum_attempts=5),
        )

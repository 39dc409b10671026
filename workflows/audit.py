"""Audit maintenance: one run seals every tenant's settled audit rows and applies its retention.

Started every 10 s by the ``audit-maintenance`` Schedule (created by every worker at start, see
workers/audit_schedule.py), so its runs are visible in the Temporal UI.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.audit.schemas import Maintained


@workflow.defn(name=contracts.AUDIT_MAINTENANCE)
class AuditMaintenanceWorkflow:
    @workflow.run
    async def run(self) -> Maintained:
        # A run repeated after a worker stopped seals only what is still unsealed.
        return await workflow.execute_activity(
            contracts.AUDIT_MAINTAIN,
            result_type=Maintained,
            start_to_close_timeout=timedelta(minutes=10),
            heartbeat_timeout=timedelta(minutes=1),
            retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=1), maximum_attempts=3),
        )

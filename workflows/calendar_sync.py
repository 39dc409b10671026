"""The periodic sync of an imported calendar: sync, wait the interval (a durable timer), again.

The history is kept short by continuing as new every ``ROUNDS`` rounds. A failed round is recorded on
the import by the activity and simply retried at the next one. The workflow ends when the import is
stopped or deleted (the activity says ``stopped``), on the ``stop`` signal, or when terminated.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.scheduling.calendars.schemas import CalendarSyncIn, CalendarSyncRun

ROUNDS = 200
# Database trouble is retried for a while; after that the round is skipped and the next one tries.
RETRY = RetryPolicy(maximum_interval=timedelta(seconds=60), maximum_attempts=5)
TIMEOUT = timedelta(seconds=120)


@workflow.defn(name=contracts.CALENDAR_SYNC)
class CalendarSyncWorkflow:
    def __init__(self) -> None:
        self._stop = False
        self._rounds = 0
        self._status = "active"

    @workflow.run
    async def run(self, run: CalendarSyncRun) -> str:
        step = CalendarSyncIn(tenant_id=run.tenant_id, import_id=run.import_id)
        while True:
            try:
                self._status = await workflow.execute_activity(
                    contracts.CALENDARS_SYNC,
                    step,
                    result_type=str,
                    start_to_close_timeout=TIMEOUT,
                    retry_policy=RETRY,
                )
            except ActivityError:
                self._status = "failed"
            self._rounds += 1
            if self._status == "stopped" or self._stop:
                return "stopped"
            try:
                await workflow.wait_condition(
                    lambda: self._stop, timeout=timedelta(seconds=run.interval_seconds)
                )
                return "stopped"
            except TimeoutError:
                pass
            if self._rounds >= ROUNDS:
                workflow.continue_as_new(run)

    @workflow.signal(name=contracts.STOP)
    def stop(self) -> None:
        self._stop = True

    @workflow.query(name=contracts.STATE)
    def state(self) -> dict[str, object]:
        return {"status": self._status, "rounds": self._rounds}

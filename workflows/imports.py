"""An entity import: stage the file once, then apply it in batches of source lines.

Progress lives in PostgreSQL (each staging row's outcome), so a worker crash resumes with the first
batch that still has pending rows, and a batch repeated after a crash finds nothing left to write.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from workflows import contracts
from workflows.calls import Calls

with workflow.unsafe.imports_passed_through():
    from domain.entities.schemas import ImportBatchIn, ImportBatchOut, ImportFailure, ImportRun, StageOut

RETRY = RetryPolicy(maximum_interval=timedelta(seconds=10))
# Lines per batch: a batch's ids reach the search index in one burst, and a burst beyond
# indexing.MAX_HANDED_IDS turns into a rebuild of the type's whole index.
BATCH_LINES = 2000
WINDOW = "import-batch-window"
PARALLEL = 2  # batches in flight: one validates in the worker while PostgreSQL writes the other
HEARTBEAT = timedelta(seconds=5)  # staging and a batch report progress every second while they work
CALL = Calls(timedelta(minutes=2), RETRY)
STAGE = Calls(timedelta(minutes=10), RETRY, heartbeat=HEARTBEAT)
BATCH = Calls(timedelta(minutes=2), RETRY, heartbeat=HEARTBEAT)
BATCHES_PER_RUN = 500  # then continue as new, to keep the history short


@workflow.defn(name=contracts.ENTITY_IMPORT)
class ImportWorkflow:
    def __init__(self) -> None:
        self.ok = 0
        self.failed = 0

    @workflow.query(name=contracts.STATE)
    def state(self) -> dict[str, int]:
        return {"ok": self.ok, "failed": self.failed}

    @workflow.run
    async def run(self, run: ImportRun) -> str:
        try:
            if run.last_line is None:
                staged = await STAGE(contracts.IMPORTS_STAGE, run, StageOut)
                run = run.model_copy(update={"last_line": staged.last_line, "next_line": 1})
            last = run.last_line
            assert last is not None
            if workflow.patched(WINDOW):
                starts = range(run.next_line, last + 1, BATCH_LINES)[:BATCHES_PER_RUN]
                await self.apply(run, list(starts))
                run = run.model_copy(update={"next_line": run.next_line + len(starts) * BATCH_LINES})
                if run.next_line > last:
                    return await CALL(contracts.IMPORTS_FINISH, run, str)
            else:
                for _ in range(0, BATCHES_PER_RUN, PARALLEL):
                    if run.next_line > last:
                        return await CALL(contracts.IMPORTS_FINISH, run, str)
                    starts = range(run.next_line, last + 1, BATCH_LINES)[:PARALLEL]
                    batches = [self.batch(run, start, BATCH_LINES) for start in starts]
                    results = await BATCH.each(contracts.IMPORTS_BATCH, batches, ImportBatchOut)
                    self.ok += sum(r.ok for r in results)
                    self.failed += sum(r.failed for r in results)
                    run = run.model_copy(update={"next_line": starts[-1] + BATCH_LINES})
        except ActivityError as exc:
            cause = exc.cause
            message = cause.message if isinstance(cause, ApplicationError) else str(cause or exc)
            failure = ImportFailure(tenant_id=run.tenant_id, import_id=run.import_id, error=message)
            await CALL(contracts.IMPORTS_FAIL, failure, type(None))
            return "failed"
        workflow.continue_as_new(run)

    async def apply(self, run: ImportRun, starts: list[int]) -> None:
        """The batches starting at ``starts``, PARALLEL at a time: the next one starts as soon as one
        ends, so PostgreSQL and the worker never wait for the slower of a pair."""
        window = asyncio.Semaphore(PARALLEL)

        async def one(start: int) -> None:
            async with window:
                out = await BATCH(
                    contracts.IMPORTS_BATCH, self.batch(run, start, BATCH_LINES), ImportBatchOut
                )
            self.ok += out.ok
            self.failed += out.failed

        tasks = [asyncio.create_task(one(start)) for start in starts]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:  # a failed batch stops the import: start no other
                task.cancel()
            raise

    @staticmethod
    def batch(run: ImportRun, start: int, lines: int) -> ImportBatchIn:
        return ImportBatchIn(
            tenant_id=run.tenant_id, import_id=run.import_id, first_line=start, last_line=start + lines - 1
        )

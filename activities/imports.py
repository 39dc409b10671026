"""Activities of the import workflow: stage the file, apply a batch, settle."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from temporalio import activity

from activities import Deps
from domain.entities import import_batches
from domain.entities.schemas import ImportBatchIn, ImportBatchOut, ImportFailure, ImportRun, StageOut
from domain.errors import NotFound
from workflows import contracts


@contextmanager
def heartbeats(every: float = 1.0) -> Iterator[None]:
    """Heartbeat while a long statement runs, so a killed worker's activity is retried within seconds."""
    stop = threading.Event()
    context = contextvars.copy_context()

    def beat() -> None:
        while not stop.wait(every):
            context.run(activity.heartbeat)

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


# A vanished import or type is a fact that no retry can change.
FINAL = (NotFound,)


class ImportActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.IMPORTS_STAGE)
    def stage(self, run: ImportRun) -> StageOut:
        with heartbeats(), self.deps.unit(run.tenant_id, final=FINAL) as (session, ctx):
            staged = import_batches.stage(session, ctx, run.import_id)
        return StageOut(last_line=staged.last_line, total=staged.total)

    @activity.defn(name=contracts.IMPORTS_BATCH)
    def batch(self, batch: ImportBatchIn) -> ImportBatchOut:
        with heartbeats(), self.deps.unit(batch.tenant_id, final=FINAL) as (session, ctx):
            ok, failed = import_batches.run_batch(
                session, ctx, batch.import_id, batch.first_line, batch.last_line
            )
        return ImportBatchOut(ok=ok, failed=failed)

    @activity.defn(name=contracts.IMPORTS_FINISH)
    def finish(self, run: ImportRun) -> str:
        with self.deps.unit(run.tenant_id, final=FINAL) as (session, ctx):
            return import_batches.finish(session, ctx, run.import_id)

    @activity.defn(name=contracts.IMPORTS_FAIL)
    def fail(self, failure: ImportFailure) -> None:
        with self.deps.unit(failure.tenant_id, final=FINAL) as (session, ctx):
            import_batches.fail(session, ctx, failure.import_id, failure.error)

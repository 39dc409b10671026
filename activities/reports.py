"""Activities of the report-run workflow: write and store the file, or record the failure."""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import partial

from sqlalchemy.orm import Session
from temporalio import activity

from activities import Deps
from activities.imports import heartbeats
from adapters.storage import object_store
from domain.analytics import report_runs
from domain.analytics.schemas import RunFailure, RunWork
from domain.context import TenantContext
from domain.errors import NotFound
from workflows import contracts

FINAL = (NotFound,)  # a vanished report: no retry brings it back


class ReportActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def _unit(self, work: RunWork) -> AbstractContextManager[tuple[Session, TenantContext]]:
        return self.deps.unit(work.tenant_id, final=FINAL)

    @activity.defn(name=contracts.REPORTS_RUN)
    def run(self, work: RunWork) -> str:
        store = object_store(self.deps.settings)
        with heartbeats():
            return report_runs.execute(partial(self._unit, work), store, work.run_id, activity.heartbeat)

    @activity.defn(name=contracts.REPORTS_FAIL)
    def fail(self, failure: RunFailure) -> None:
        report_runs.fail(partial(self._unit, failure), failure.run_id, failure.error)

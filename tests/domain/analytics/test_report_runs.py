"""A report run written page by page: every row once in the asked order across pages (ties broken by
the fact's key), never more than one page held by the writer, and a cancel seen before the next page."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from adapters.storage import LocalStore
from db.models.analytics import ReportRun
from db.session import tenant_session
from domain.analytics import report_runs, reports
from domain.analytics.schemas import ReportIn, RunIn
from domain.context import TenantContext
from tests.conftest import TenantFixture
from tests.domain.analytics.rows import process_row

START = datetime(2026, 10, 1, tzinfo=UTC)
BATCH = 3


def unit_of(
    engine: Engine, tenant_id: uuid.UUID
) -> Callable[[], AbstractContextManager[tuple[Session, TenantContext]]]:
    @contextmanager
    def unit() -> Iterator[tuple[Session, TenantContext]]:
        with tenant_session(engine, tenant_id) as session:
            yield session, TenantContext.system(tenant_id)

    return unit


def queued(engine: Engine, tenant: TenantFixture, body: dict[str, Any], fmt: str = "csv") -> uuid.UUID:
    """A report with its processes (seconds each took: ten of 30s, one of 90s, one of 60s), and a queued run."""
    with tenant_session(engine, tenant.id) as session:
        ctx = TenantContext.system(tenant.id)
        for i, took in enumerate([30] * 10 + [90, 60]):
            session.add(process_row(tenant.id, end=START + timedelta(hours=i), took=timedelta(seconds=took)))
        made = reports.create(session, ctx, ReportIn.model_validate(body))
        return report_runs.submit(session, ctx, made.id, RunIn.model_validate({"format": fmt})).id


class Spy:
    """Wraps the writer: the largest number of rows handed to it at once."""

    largest = 0

    def __init__(self, writer: report_runs.Writer) -> None:
        self.writer = writer

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        Spy.largest = max(Spy.largest, len(rows))
        self.writer.write(rows)

    def close(self) -> None:
        self.writer.close()


def test_pages_cover_every_row_once_in_order_and_the_writer_holds_one_page(
    engine: Engine, tenant: TenantFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    body = {
        "name": "r",
        "source": "processes",
        "columns": [{"field": "duration"}, {"field": "time"}],
        "sort": [{"column": "duration", "direction": "desc"}],
    }
    run_id = queued(engine, tenant, body)
    csv_writer = report_runs.WRITERS["csv"]
    monkeypatch.setitem(report_runs.WRITERS, "csv", lambda *a: Spy(csv_writer(*a)))
    beats: list[int] = []
    store = LocalStore(tmp_path)
    assert report_runs.execute(unit_of(engine, tenant.id), store, run_id, beats.append, BATCH) == "completed"
    assert Spy.largest == BATCH and beats == [3, 6, 9, 12, 12]
    with tenant_session(engine, tenant.id) as session:
        run = session.get_one(ReportRun, run_id)
        assert (run.status, run.rows_written, run.rows_total) == ("completed", 12, 12)
        assert run.file_key is not None
        text = b"".join(store.read(tenant.id, run.file_key)).decode()
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [float(r[0]) for r in rows] == [90, 60] + [30] * 10
    assert len({r[1] for r in rows}) == 12  # each fact once: the ties of 30s ordered by the fact's key


def test_a_run_cancelled_while_it_writes_stops_before_its_next_page_and_keeps_no_file(
    engine: Engine, tenant: TenantFixture, tmp_path: Path
):
    body = {"name": "r", "source": "processes", "columns": [{"field": "definition"}]}
    run_id = queued(engine, tenant, body, "xlsx")
    unit = unit_of(engine, tenant.id)

    def cancel_after_first_page(written: int) -> None:
        with unit() as (session, ctx):
            run = session.get_one(ReportRun, run_id)
            report_runs.cancel(session, ctx, run.report_id, run_id)

    status = report_runs.execute(unit, LocalStore(tmp_path), run_id, cancel_after_first_page, BATCH)
    assert status == "cancelled"
    with tenant_session(engine, tenant.id) as session:
        run = session.get_one(ReportRun, run_id)
        assert (run.status, run.rows_written, run.file_key) == ("cancelled", BATCH, None)
    assert report_runs.execute(unit, LocalStore(tmp_path), run_id, lambda _: None, BATCH) == "cancelled"

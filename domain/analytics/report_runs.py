"""A report run: the report's rows in a window, written to a CSV, JSON, XLSX or PDF file that is stored and
then downloaded. A workflow per run (``workflows/reports.py``) executes it.

Memory stays bounded whatever the number of rows: the facts are read in keyset pages of ``BATCH`` rows,
each in a short transaction of its own, and each page is appended to a temporary file before the next
is read (CSV and JSON written as text line by line; XLSX through openpyxl's write-only mode, which
streams rows to disk). At most one page is held; the file is then stored in chunks.

Progress is the rows written, recorded with each page. Cancelling marks the run; the writer sees it
before its next page and stops, keeping nothing.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models.analytics import ReportRun
from domain.analytics import reports, service
from domain.analytics.params import zone_of
from domain.analytics.report_pdf import PdfWriter, too_many
from domain.analytics.schemas import ReportIn, RunIn, RunOut
from domain.billing.reports.export import CSV_TYPE, XLSX_TYPE, cell_text
from domain.context import TenantContext
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.outputs import from_row, plain
from domain.pagination import viewed_page
from domain.queries import discard_row, get_or_404

BATCH = 5000
"""Rows per page: what a run holds in memory at most."""
MAX_FILE_BYTES = 1 << 31
CONTENT_TYPES = {"csv": CSV_TYPE, "json": "application/json", "xlsx": XLSX_TYPE, "pdf": "application/pdf"}
OPEN = ("queued", "running")
Unit = Callable[[], AbstractContextManager[tuple[Session, TenantContext]]]


def workflow_id(run_id: uuid.UUID) -> str:
    return f"report-run-{run_id}"


def view(row: ReportRun) -> RunOut:
    total = row.rows_total
    done = 1.0 if row.status == "completed" else 0.0
    progress = min(1.0, row.rows_written / total) if total else done
    return from_row(RunOut, row, start=row.range_from, end=row.range_to, progress=progress)


def submit(session: Session, ctx: TenantContext, report_id: uuid.UUID, body: RunIn) -> ReportRun:
    """A queued run of the report (running a report reads it: ``analytics:read``)."""
    reports.get(session, ctx, report_id)
    if body.start and body.end and body.start >= body.end:
        raise ValidationFailed.one("to", "must be after `from`")
    for name, at in (("from", body.start), ("to", body.end)):
        if at is not None and at.tzinfo is None:
            raise ValidationFailed.one(name, "needs a UTC offset (2026-10-01T00:00:00Z)")
    row = ReportRun.new(
        ctx,
        report_id=report_id,
        format=body.format,
        range_from=body.start,
        range_to=body.end,
        timezone=zone_of(session, ctx, body.timezone),
        status="queued",
        rows_written=0,
    )
    session.add(row)
    session.flush()
    return row


def discard(session: Session, ctx: TenantContext, run_id: uuid.UUID) -> None:
    """Removes a run whose workflow could not start."""
    discard_row(session, ctx, ReportRun, run_id)


def get(
    session: Session, ctx: TenantContext, report_id: uuid.UUID, run_id: uuid.UUID, *, for_update: bool = False
) -> ReportRun:
    reports.get(session, ctx, report_id)
    row = get_or_404(session, ctx, ReportRun, run_id, "report run", for_update=for_update)
    if row.report_id != report_id:  # another report's run is not found here
        raise NotFound("report run", run_id)
    return row


def listing(
    session: Session, ctx: TenantContext, report_id: uuid.UUID, *, limit: int | None, cursor: str | None
) -> tuple[list[RunOut], str | None]:
    """The report's runs, newest first, a page at a time."""
    reports.get(session, ctx, report_id)
    return viewed_page(
        session, ctx, ReportRun, view, ReportRun.report_id == report_id, limit=limit, cursor=cursor
    )


def cancel(session: Session, ctx: TenantContext, report_id: uuid.UUID, run_id: uuid.UUID) -> ReportRun:
    """Stops a queued or running run: it keeps no file. 409 once it has ended."""
    row = get(session, ctx, report_id, run_id, for_update=True)
    if row.status not in OPEN:
        raise Conflict(f"The run is {row.status}; only a queued or running run can be cancelled.")
    row.status, row.finished_at = "cancelled", datetime.now(UTC)
    session.flush()
    return row


def download(session: Session, ctx: TenantContext, report_id: uuid.UUID, run_id: uuid.UUID) -> ReportRun:
    """The completed run whose file is downloaded; 409 while it is not completed."""
    ctx.require(service.READ)
    row = get(session, ctx, report_id, run_id)
    if row.status != "completed" or row.file_key is None:
        raise Conflict(f"The run is {row.status}; its file is there once it has completed.")
    return row


def filename(session: Session, ctx: TenantContext, row: ReportRun) -> str:
    name = reports.get(session, ctx, row.report_id).name
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:80] or "report"
    return f"{slug}-{str(row.id)[:8]}.{row.format}"


# -- writing ------------------------------------------------------------------------------------
class Writer(Protocol):
    def write(self, rows: Sequence[Sequence[Any]]) -> None: ...

    def close(self) -> None: ...


def _value(value: Any, zone: ZoneInfo) -> Any:
    """A cell: times in the run's zone, then as JSON holds them (ids and decimals as text)."""
    return plain(value.astimezone(zone) if isinstance(value, datetime) else value)


class CsvWriter:
    def __init__(self, path: Path, labels: list[str], zone: ZoneInfo) -> None:
        self.file = path.open("w", encoding="utf-8", newline="")
        self.csv = csv.writer(self.file, lineterminator="\r\n")
        self.csv.writerow(labels)
        self.zone = zone

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        self.csv.writerows([cell_text(_value(v, self.zone)) for v in row] for row in rows)

    def close(self) -> None:
        self.file.close()


class JsonWriter:
    """A JSON array of objects (column label: value), one object per line."""

    def __init__(self, path: Path, labels: list[str], zone: ZoneInfo) -> None:
        self.file = path.open("w", encoding="utf-8")
        self.file.write("[")
        self.labels, self.zone, self.first = labels, zone, True

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            item = {label: _value(v, self.zone) for label, v in zip(self.labels, row, strict=True)}
            self.file.write(("\n" if self.first else ",\n") + json.dumps(item, ensure_ascii=False))
            self.first = False

    def close(self) -> None:
        self.file.write("\n]\n")
        self.file.close()


class XlsxWriter:
    """One sheet through openpyxl's write-only mode: rows go to disk as they are appended."""

    def __init__(self, path: Path, labels: list[str], zone: ZoneInfo) -> None:
        self.path, self.zone = path, zone
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("report")
        self.sheet.append(labels)

    def _cell(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return None if value is None else cell_text(_value(value, self.zone))
        return value

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        for row in rows:
            self.sheet.append([self._cell(v) for v in row])

    def close(self) -> None:
        self.book.save(self.path)


WRITERS: dict[str, Callable[[Path, list[str], ZoneInfo], Writer]] = {
    "csv": CsvWriter,
    "json": JsonWriter,
    "xlsx": XlsxWriter,
    "pdf": PdfWriter,
}


def _writer(run: ReportRun, report: ReportIn, path: Path, labels: list[str]) -> Writer:
    """The run's writer; a PDF also shows the report's title, window and filters."""
    zone = ZoneInfo(run.timezone)
    if run.format == "pdf":
        window = (run.range_from, run.range_to)
        return PdfWriter(path, labels, zone, title=report.name, filters=report.filters, window=window)
    return WRITERS[run.format](path, labels, zone)


def _chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(size):
            yield chunk


def _begin(unit: Unit, run_id: uuid.UUID) -> tuple[ReportRun, ReportIn] | None:
    """The run marked running with its rows counted; None when it is no longer open."""
    with unit() as (session, ctx):
        run = session.get(ReportRun, run_id, with_for_update=True)
        if run is None or run.status not in OPEN:
            return None
        report = reports.query_of(reports.get(session, ctx, run.report_id))
        every = reports.page_select(ctx, report, run.range_from, run.range_to, None, None).subquery()
        run.rows_total = session.scalar(select(func.count()).select_from(every)) or 0
        run.status, run.started_at, run.rows_written = "running", datetime.now(UTC), 0
        if run.format == "pdf" and (refused := too_many(run.rows_total)):
            run.status, run.error, run.finished_at = "failed", refused, datetime.now(UTC)
            return None
        session.flush()
        session.expunge(run)
        return run, report


def execute(
    unit: Unit, store: ObjectStore, run_id: uuid.UUID, beat: Callable[[int], None], batch: int = BATCH
) -> str:
    """Writes the run's file page by page and stores it; answers the status the run ends in (or is
    already in). Repeated after a crash, it starts the file again."""
    begun = _begin(unit, run_id)
    if begun is None:
        with unit() as (session, _):
            run = session.get(ReportRun, run_id)
            return run.status if run is not None else "cancelled"
    run, report = begun
    labels = [c.label for c in report.columns]
    with tempfile.TemporaryDirectory(prefix="keel-report-") as tmp:
        path = Path(tmp) / f"report.{run.format}"
        writer = _writer(run, report, path, labels)
        last: list[Any] | None = None
        written = 0
        while True:
            with unit() as (session, ctx):
                status = session.scalar(select(ReportRun.status).where(ReportRun.id == run_id))
                if status != "running":
                    writer.close()
                    return status or "cancelled"
                query = reports.page_select(ctx, report, run.range_from, run.range_to, batch, last)
                page = session.execute(query).all()
                written += len(page)
                session.get_one(ReportRun, run_id).rows_written = written
            writer.write([row[: len(labels)] for row in page])
            beat(written)
            if len(page) < batch:
                break
            last = list(page[-1][len(labels) :])
        writer.close()
        if isinstance(writer, PdfWriter):
            writer.render()
        stored = store.put(run.tenant_id, _chunks(path), max_bytes=MAX_FILE_BYTES)
    with unit() as (session, _):
        done = session.get_one(ReportRun, run_id, with_for_update=True)
        if done.status != "running":
            return done.status
        done.status, done.finished_at = "completed", datetime.now(UTC)
        done.file_key, done.file_size = stored.key, stored.size
        return "completed"


def fail(unit: Unit, run_id: uuid.UUID, error: str) -> None:
    """The run failed (its activity could not finish): recorded unless it already ended."""
    with unit() as (session, _):
        run = session.get(ReportRun, run_id, with_for_update=True)
        if run is not None and run.status in OPEN:
            run.status, run.error, run.finished_at = "failed", error[:2000], datetime.now(UTC)

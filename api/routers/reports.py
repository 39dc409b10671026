"""Analytics reports: saved tables over the analytics sources, and their runs into a file (a workflow
per run) to download."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from adapters.storage import object_store
from api.deps import Ctx, Db, LauncherDep, SettingsDep
from api.envelope import success
from api.etag import tagged
from api.launch import start_and_answer
from api.process_runtime import Start
from api.resource_routes import ResourceRoutes
from domain.analytics import report_runs, reports, service
from domain.analytics.schemas import ReportIn, ReportOut, ReportPatch, RunIn, RunOut, RunWork
from workflows.reports import ReportRunWorkflow

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
routes = ResourceRoutes(router, ReportOut, item="/{report_id}")


create_report = routes.creating(
    reports.create,
    ReportIn,
    name="create_report",
    summary="Save a report: columns, filters, group_by and sort checked against its source",
)

list_reports = routes.paged(reports.listing, summary="The tenant's reports, newest first, a page at a time")


@routes.read(summary="A report, with its ETag")
def get_report(report_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    return success(tagged(reports.get(session, ctx, report_id), response))


update_report = routes.updating(
    reports.update,
    ReportPatch,
    409,
    name="update_report",
    summary="Change a report; the result is checked whole (If-Match guards lost updates)",
)
delete_report = routes.deleting(reports.delete, name="delete_report", summary="Delete a report (soft)")


# -- runs ---------------------------------------------------------------------------------------
runs = ResourceRoutes(router, RunOut, item="/{report_id}/runs/{run_id}", collection="")
# The json format is an array of rows, each an object of column label to value (the labels are the
# report's own, so no fixed properties).
_ROWS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}
DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            t: {"schema": _ROWS} if t == "application/json" else {}
            for t in report_runs.CONTENT_TYPES.values()
        },
        "description": "the file",
    }
}


@routes.post(
    "/runs",
    503,
    model=RunOut,
    status_code=202,
    summary="Run the report into a file (csv, json, xlsx or pdf), facts in [from, to), times in `timezone`; "
    "follow its progress at the Location, then download it",
)
async def start_run(
    report_id: uuid.UUID, body: RunIn, ctx: Ctx, launcher: LauncherDep, response: Response
) -> dict[str, Any]:
    def record(session: Session) -> tuple[RunOut, list[Start]]:
        row = report_runs.submit(session, ctx, report_id, body)
        work = RunWork(tenant_id=ctx.tenant_id, run_id=row.id)
        return report_runs.view(row), [Start(ReportRunWorkflow.run, work, report_runs.workflow_id(row.id))]

    collection = f"/api/v1/reports/{report_id}/runs"
    return await start_and_answer(launcher, ctx, response, collection, record, report_runs.discard)


list_runs = routes.paged_below(
    "/runs", report_runs.listing, RunOut, summary="The report's runs, newest first, a page at a time"
)


@runs.read(summary="A run: its status and progress (rows written of rows total)")
def get_run(report_id: uuid.UUID, run_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    ctx.require(service.READ)
    return success(report_runs.view(report_runs.get(session, ctx, report_id, run_id)).model_dump(mode="json"))


@runs.post("/cancel", 409, summary="Cancel a queued or running run; it keeps no file")
def cancel_run(report_id: uuid.UUID, run_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    ctx.require(service.READ)
    return success(
        report_runs.view(report_runs.cancel(session, ctx, report_id, run_id)).model_dump(mode="json")
    )


@runs.read(
    409,
    below="/download",
    response_class=StreamingResponse,
    responses=DOWNLOAD,
    summary="The run's file, once it has completed (409 before)",
)
def download_run(
    report_id: uuid.UUID, run_id: uuid.UUID, ctx: Ctx, session: Db, settings: SettingsDep
) -> StreamingResponse:
    row = report_runs.download(session, ctx, report_id, run_id)
    assert row.file_key is not None  # a completed run has its file
    chunks = object_store(settings).read(ctx.tenant_id, row.file_key)
    return StreamingResponse(
        chunks,
        media_type=report_runs.CONTENT_TYPES[row.format],
        headers={
            "Content-Disposition": f'attachment; filename="{report_runs.filename(session, ctx, row)}"',
            "Content-Length": str(row.file_size),
        },
    )

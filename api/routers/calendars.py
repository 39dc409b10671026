"""iCalendar feeds of bookings (Bearer or a signed subscription URL), imports of busy times from
external calendars, and a resource's utilisation."""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from temporalio.service import RPCError

from api.deps import Ctx, EngineDep, SettingsDep, current_context, get_temporal
from api.envelope import Envelope, errors, success
from api.process_runtime import RPC_TIMEOUT, Start, start_or_undo
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import BadRequest, NotFound, ValidationFailed
from domain.instants import Instant
from domain.scheduling.calendars import service as calendars
from domain.scheduling.calendars.schemas import CalendarImportIn, CalendarImportOut, CalendarSyncRun
from domain.scheduling.resources import service as resources
from domain.scheduling.utilisation import service as utilisation
from domain.scheduling.utilisation.schemas import UtilisationOut
from keel import crypto
from keel.settings import Settings
from workflows.calendar_sync import CalendarSyncWorkflow

router = APIRouter(tags=["calendars"])
RESOURCE = "/api/v1/resources/{resource_id:uuid}"
ICS = "text/calendar; charset=utf-8"
ICS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "an iCalendar feed"}
}
Token = Annotated[
    str | None,
    Query(description="a subscription token from POST …/calendar-token; then no Authorization is needed"),
]
From = Annotated[Instant | None, Query(alias="from", description="default: 30 days ago")]
To = Annotated[Instant | None, Query(alias="to", description="default: 180 days ahead")]


class FeedLinkOut(BaseModel):
    url: str
    token: str


def _now() -> datetime:
    return datetime.now(UTC)


def _base(request: Request, settings: Settings) -> str:
    return (settings.public_url or str(request.base_url)).rstrip("/")


async def _feed_context(request: Request, token: str | None, scope: str) -> TenantContext:
    """The Bearer credential's context, or a read-only one from a valid token. A bad, foreign or
    revoked token is a 404, so it reveals nothing about the feed."""
    if token is None:
        return await current_context(request)
    settings: Settings = request.app.state.settings
    secret = settings.require_jwt_secret()
    found = calendars.read_token(secret, token, scope)
    if found is None:
        raise NotFound("calendar feed")

    def load() -> TenantContext | None:
        with tenant_session(request.app.state.engine, found[0]) as session:
            return calendars.context_from_token(session, secret, token, scope)

    ctx = await run_in_threadpool(load)
    if ctx is None:
        raise NotFound("calendar feed")
    return ctx


def _ics(body: bytes, filename: str) -> Response:
    headers = {
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "private, max-age=300",
    }
    return Response(content=body, media_type=ICS, headers=headers)


@router.get(
    RESOURCE + "/calendar.ics",
    response_class=Response,
    responses=ICS_RESPONSE | errors(403, 404),
    summary="The resource's bookings as iCalendar (held TENTATIVE, confirmed CONFIRMED, cancelled "
    "CANCELLED; UTC times). Authenticate with Bearer or ?token= from POST …/calendar-token",
)
async def resource_feed(
    resource_id: uuid.UUID,
    request: Request,
    engine: EngineDep,
    token: Token = None,
    start: From = None,
    end: To = None,
) -> Response:
    ctx = await _feed_context(request, token, str(resource_id))
    lo, hi = calendars.feed_window(start, end, _now())

    def build() -> bytes:
        with tenant_session(engine, ctx.tenant_id) as session:
            resource = resources.get(session, ctx, resource_id)
            return calendars.feed(
                session, ctx, resource_id=resource.id, start=lo, end=hi, now=_now(), name=resource.name
            )

    return _ics(await run_in_threadpool(build), f"{resource_id}.ics")


@router.get(
    "/api/v1/bookings.ics",
    response_class=Response,
    responses=ICS_RESPONSE | errors(403, 404),
    summary="The tenant's bookings as iCalendar, optionally of one resource. Authenticate with Bearer or "
    "?token= from POST /api/v1/bookings/calendar-token",
)
async def bookings_feed(
    request: Request,
    engine: EngineDep,
    token: Token = None,
    resource: uuid.UUID | None = None,
    start: From = None,
    end: To = None,
) -> Response:
    ctx = await _feed_context(request, token, calendars.TENANT_SCOPE)
    lo, hi = calendars.feed_window(start, end, _now())

    def build() -> bytes:
        with tenant_session(engine, ctx.tenant_id) as session:
            name = "Bookings"
            if resource is not None:
                name = resources.get(session, ctx, resource).name
            return calendars.feed(session, ctx, resource_id=resource, start=lo, end=hi, now=_now(), name=name)

    return _ics(await run_in_threadpool(build), "bookings.ics")


def _link(
    request: Request, settings: Settings, ctx: TenantContext, engine: Any, scope: str, path: str, rotate: bool
) -> dict[str, Any]:
    with tenant_session(engine, ctx.tenant_id) as session:
        token = calendars.feed_token(session, ctx, settings.require_jwt_secret(), scope, rotate=rotate)
    return success(
        FeedLinkOut(url=f"{_base(request, settings)}{path}?token={token}", token=token).model_dump()
    )


Rotate = Annotated[
    bool, Query(description="revoke every earlier token of this feed (needs write permission)")
]


@router.post(
    RESOURCE + "/calendar-token",
    response_model=Envelope[FeedLinkOut],
    responses=errors(403, 404),
    summary="A subscription URL for the resource's feed; it grants that feed only, never expires, and "
    "is revoked by rotate=true",
)
def resource_feed_token(
    resource_id: uuid.UUID,
    request: Request,
    ctx: Ctx,
    engine: EngineDep,
    settings: SettingsDep,
    rotate: Rotate = False,
) -> dict[str, Any]:
    ctx.require("resources:write" if rotate else "resources:read")
    with tenant_session(engine, ctx.tenant_id) as session:
        resources.get(session, ctx, resource_id)
    path = f"/api/v1/resources/{resource_id}/calendar.ics"
    return _link(request, settings, ctx, engine, str(resource_id), path, rotate)


@router.post(
    "/api/v1/bookings/calendar-token",
    response_model=Envelope[FeedLinkOut],
    responses=errors(403),
    summary="A subscription URL for the tenant-wide bookings feed; revoked by rotate=true",
)
def bookings_feed_token(
    request: Request, ctx: Ctx, engine: EngineDep, settings: SettingsDep, rotate: Rotate = False
) -> dict[str, Any]:
    ctx.require("bookings:write" if rotate else "bookings:read")
    return _link(request, settings, ctx, engine, calendars.TENANT_SCOPE, "/api/v1/bookings.ics", rotate)


# -- imports ------------------------------------------------------------------------------------

FILE_CONTENT: dict[str, Any] = {
    "text/calendar": {"schema": {"type": "string"}},
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}},
        }
    },
}
IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": CalendarImportIn.model_json_schema()}} | FILE_CONTENT,
    }
}
FILE_BODY = {"requestBody": {"required": True, "content": FILE_CONTENT}}


async def _body(request: Request) -> CalendarImportIn | bytes:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed.one("file", "upload the calendar as the multipart field 'file'")
        content = await upload.read()
    elif content_type.startswith("application/json"):
        try:
            raw = json.loads(await request.body())
        except ValueError as exc:
            raise BadRequest("The body is not valid JSON.") from exc
        try:
            return CalendarImportIn.model_validate(raw)
        except PydanticValidationError as exc:
            raise ValidationFailed.from_pydantic(exc) from exc
    else:
        content = await request.body()
    if not content:
        raise ValidationFailed.one("file", "is empty")
    return content


@router.post(
    RESOURCE + "/calendar-imports",
    status_code=201,
    response_model=Envelope[CalendarImportOut],
    responses=errors(403, 404, 503),
    openapi_extra=IMPORT_BODY,
    summary="Import busy times as blocks: JSON {url, interval (default PT15M, at least PT5M)} syncs the "
    "URL periodically (first round at once); a text/calendar body or multipart 'file' imports once. "
    "Recurrences are expanded over the next 180 days; transparent and cancelled events are skipped. "
    "Existing bookings are not touched. 422 invalid_calendar for a file that is not iCalendar",
)
async def create_import(
    resource_id: uuid.UUID,
    request: Request,
    response: Response,
    ctx: Ctx,
    engine: EngineDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    body = await _body(request)
    if isinstance(body, bytes):
        content = body

        def record_file() -> CalendarImportOut:
            with tenant_session(engine, ctx.tenant_id) as session:
                row = calendars.create_file_import(session, ctx, resource_id, content, _now())
                return calendars.import_out(row, crypto.box(settings), ctx)

        out = await run_in_threadpool(record_file)
    else:
        data = body

        def record_url() -> tuple[CalendarImportOut, int]:
            with tenant_session(engine, ctx.tenant_id) as session:
                box = crypto.box(settings)
                row = calendars.create_url_import(
                    session, ctx, resource_id, data, settings.calendar_allow_private, box
                )
                return calendars.import_out(row, box, ctx), row.interval_seconds or 900

        out, seconds = await run_in_threadpool(record_url)

        def undo() -> None:
            with tenant_session(engine, ctx.tenant_id) as session:
                calendars.discard_import(session, ctx, out.id)

        client = await get_temporal(request)
        run = CalendarSyncRun(tenant_id=ctx.tenant_id, import_id=out.id, interval_seconds=seconds)
        start = Start(CalendarSyncWorkflow.run, run, calendars.workflow_id(out.id))
        await start_or_undo(client, settings.temporal_task_queue, [start], undo=undo)
    response.headers["Location"] = f"/api/v1/resources/{resource_id}/calendar-imports/{out.id}"
    return success(out.model_dump(mode="json"))


@router.put(
    RESOURCE + "/calendar-imports/{import_id:uuid}",
    response_model=Envelope[CalendarImportOut],
    responses=errors(403, 404, 409),
    openapi_extra=FILE_BODY,
    summary="Upload a new version of a file import: its blocks are replaced by the new file's "
    "(409 for a URL import, which syncs by itself)",
)
async def replace_import(
    resource_id: uuid.UUID,
    import_id: uuid.UUID,
    request: Request,
    ctx: Ctx,
    engine: EngineDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    body = await _body(request)
    if not isinstance(body, bytes):
        raise ValidationFailed.one("file", "send the calendar as text/calendar or a multipart 'file'")
    content = body

    def write() -> CalendarImportOut:
        with tenant_session(engine, ctx.tenant_id) as session:
            row = calendars.reimport_file(session, ctx, resource_id, import_id, content, _now())
            return calendars.import_out(row, crypto.box(settings), ctx)

    return success((await run_in_threadpool(write)).model_dump(mode="json"))


@router.get(
    RESOURCE + "/calendar-imports",
    response_model=Envelope[list[CalendarImportOut]],
    responses=errors(403, 404),
    summary="The resource's calendar imports, oldest first, with the last sync's time and error",
)
def list_imports(
    resource_id: uuid.UUID, ctx: Ctx, engine: EngineDep, settings: SettingsDep
) -> dict[str, Any]:
    box = crypto.box(settings)
    with tenant_session(engine, ctx.tenant_id) as session:
        rows = calendars.list_imports(session, ctx, resource_id)
        return success([calendars.import_out(r, box, ctx).model_dump(mode="json") for r in rows])


@router.get(
    RESOURCE + "/calendar-imports/{import_id:uuid}",
    response_model=Envelope[CalendarImportOut],
    responses=errors(403, 404),
)
def get_import(
    resource_id: uuid.UUID, import_id: uuid.UUID, ctx: Ctx, engine: EngineDep, settings: SettingsDep
) -> dict[str, Any]:
    with tenant_session(engine, ctx.tenant_id) as session:
        row = calendars.get_import(session, ctx, resource_id, import_id)
        return success(calendars.import_out(row, crypto.box(settings), ctx).model_dump(mode="json"))


@router.delete(
    RESOURCE + "/calendar-imports/{import_id:uuid}",
    response_model=Envelope[CalendarImportOut],
    responses=errors(403, 404),
    summary="Stop the import's sync and remove its blocks",
)
async def delete_import(
    resource_id: uuid.UUID,
    import_id: uuid.UUID,
    request: Request,
    ctx: Ctx,
    engine: EngineDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    def write() -> CalendarImportOut:
        with tenant_session(engine, ctx.tenant_id) as session:
            row = calendars.delete_import(session, ctx, resource_id, import_id, _now())
            return calendars.import_out(row, crypto.box(settings), ctx)

    out = await run_in_threadpool(write)
    client = request.app.state.temporal
    if client is not None and out.workflow_id:
        # Best effort: a sync still running reads the import as stopped and ends by itself.
        with contextlib.suppress(RPCError):
            await client.get_workflow_handle(out.workflow_id).terminate(
                reason="calendar import deleted", rpc_timeout=RPC_TIMEOUT
            )
    return success(out.model_dump(mode="json"))


# -- utilisation ----------------------------------------------------------------------------------


@router.get(
    RESOURCE + "/utilisation",
    response_model=Envelope[UtilisationOut],
    responses=errors(403, 404),
    summary="Booked vs available hours in [from, to) (at most 366 days), in total and per period "
    "(granularity, default P1D: local days; at least PT1H). Available: open time from the rules minus "
    "closures and blocks; booked: bookings' start to end (buffers excluded). utilisation is "
    "booked/available, null when nothing was available",
)
def get_utilisation(
    resource_id: uuid.UUID,
    ctx: Ctx,
    engine: EngineDep,
    start: Annotated[str | None, Query(alias="from", description="RFC 3339 with an offset")] = None,
    end: Annotated[str | None, Query(alias="to", description="RFC 3339 with an offset")] = None,
    granularity: Annotated[str | None, Query(description="ISO 8601, default P1D")] = None,
) -> dict[str, Any]:
    query = utilisation.parse_query(start, end, granularity)
    with tenant_session(engine, ctx.tenant_id) as session:
        out = utilisation.utilisation(session, ctx, resource_id, query)
    return success(out.model_dump(mode="json"))

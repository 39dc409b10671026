"""iCalendar feeds of bookings (Bearer or a signed subscription URL), imports of busy times from
external calendars, and a resource's utilisation."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError

from api.bodies import multipart_content, request_body
from api.deps import Box, Ctx, Db, EngineDep, SettingsDep, current_context, form_file, get_launcher
from api.envelope import Envelope, created, success
from api.process_runtime import RPC_TIMEOUT, Start, own_transaction
from api.resource_routes import ResourceRoutes
from db.models import CalendarImport
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


resource_routes = ResourceRoutes(router, FeedLinkOut, item=RESOURCE)
"""What is read of one resource's calendar: its feed, a link to it, its utilisation."""
tenant_feed = ResourceRoutes(router, FeedLinkOut, collection="/api/v1/bookings")
"""The tenant-wide bookings feed and a link to it."""
import_routes = ResourceRoutes(
    router, CalendarImportOut, item="/{import_id:uuid}", collection=RESOURCE + "/calendar-imports"
)


def _now() -> datetime:
    return datetime.now(UTC)


def _base(request: Request, settings: Settings) -> str:
    return (settings.public_url or str(request.base_url)).rstrip("/")


async def _feed(
    request: Request, token: str | None, scope: str, build: Callable[[Session, TenantContext], bytes]
) -> bytes:
    """The feed, built for the Bearer credential's context or a read-only one from a valid token. A bad,
    foreign or revoked token is a 404, so it reveals nothing about the feed."""
    if token is None:
        ctx = await current_context(request)
        return await _in_tenant(request, ctx.tenant_id, lambda session: build(session, ctx))
    settings: Settings = request.app.state.settings
    secret = settings.require_jwt_secret()
    found = calendars.read_token(secret, token, scope)
    if found is None:
        raise NotFound("calendar feed")

    def from_token(session: Session) -> bytes:
        ctx = calendars.context_from_token(session, secret, token, scope)
        if ctx is None:
            raise NotFound("calendar feed")
        return build(session, ctx)

    return await _in_tenant(request, found[0], from_token)


async def _in_tenant(request: Request, tenant_id: uuid.UUID, work: Callable[[Session], bytes]) -> bytes:
    # Its own transaction: a feed may authenticate by token alone, so it takes no Ctx, hence no Db.
    return await own_transaction(request.app.state.engine, tenant_id, work)


def _ics(body: bytes, filename: str) -> Response:
    headers = {
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "private, max-age=300",
    }
    return Response(content=body, media_type=ICS, headers=headers)


@resource_routes.read(
    below="/calendar.ics",
    response_class=Response,
    responses=ICS_RESPONSE,
    summary="The resource's bookings as iCalendar (held TENTATIVE, confirmed CONFIRMED, cancelled "
    "CANCELLED; UTC times). Authenticate with Bearer or ?token= from POST …/calendar-token",
)
async def resource_feed(
    resource_id: uuid.UUID,
    request: Request,
    token: Token = None,
    start: From = None,
    end: To = None,
) -> Response:
    def build(session: Session, ctx: TenantContext) -> bytes:
        lo, hi = calendars.feed_window(start, end, _now())
        resource = resources.get(session, ctx, resource_id)
        return calendars.feed(
            session, ctx, resource_id=resource.id, start=lo, end=hi, now=_now(), name=resource.name
        )

    return _ics(await _feed(request, token, str(resource_id), build), f"{resource_id}.ics")


@tenant_feed.collection_get(
    ".ics",
    404,
    response_class=Response,
    responses=ICS_RESPONSE,
    summary="The tenant's bookings as iCalendar, optionally of one resource. Authenticate with Bearer or "
    "?token= from POST /api/v1/bookings/calendar-token",
)
async def bookings_feed(
    request: Request,
    token: Token = None,
    resource: uuid.UUID | None = None,
    start: From = None,
    end: To = None,
) -> Response:
    def build(session: Session, ctx: TenantContext) -> bytes:
        lo, hi = calendars.feed_window(start, end, _now())
        name = "Bookings"
        if resource is not None:
            name = resources.get(session, ctx, resource).name
        return calendars.feed(session, ctx, resource_id=resource, start=lo, end=hi, now=_now(), name=name)

    return _ics(await _feed(request, token, calendars.TENANT_SCOPE, build), "bookings.ics")


def _link(
    request: Request,
    settings: Settings,
    ctx: TenantContext,
    session: Session,
    scope: str,
    path: str,
    rotate: bool,
) -> dict[str, Any]:
    token = calendars.feed_token(session, ctx, settings.require_jwt_secret(), scope, rotate=rotate)
    return success(
        FeedLinkOut(url=f"{_base(request, settings)}{path}?token={token}", token=token).model_dump()
    )


Rotate = Annotated[
    bool, Query(description="revoke every earlier token of this feed (needs write permission)")
]


@resource_routes.post(
    "/calendar-token",
    summary="A subscription URL for the resource's feed; it grants that feed only, never expires, and "
    "is revoked by rotate=true",
)
def resource_feed_token(
    resource_id: uuid.UUID,
    request: Request,
    ctx: Ctx,
    session: Db,
    settings: SettingsDep,
    rotate: Rotate = False,
) -> dict[str, Any]:
    ctx.require("resources:write" if rotate else "resources:read")
    resources.get(session, ctx, resource_id)
    path = f"/api/v1/resources/{resource_id}/calendar.ics"
    return _link(request, settings, ctx, session, str(resource_id), path, rotate)


@tenant_feed.collection_post(
    "/calendar-token",
    summary="A subscription URL for the tenant-wide bookings feed; revoked by rotate=true",
)
def bookings_feed_token(
    request: Request, ctx: Ctx, session: Db, settings: SettingsDep, rotate: Rotate = False
) -> dict[str, Any]:
    ctx.require("bookings:write" if rotate else "bookings:read")
    return _link(request, settings, ctx, session, calendars.TENANT_SCOPE, "/api/v1/bookings.ics", rotate)


# -- imports ------------------------------------------------------------------------------------

FILE_CONTENT = {"text/calendar": {"schema": {"type": "string"}}} | multipart_content(["file"])
IMPORT_BODY = request_body(
    {"application/json": {"schema": CalendarImportIn.model_json_schema()}} | FILE_CONTENT
)
FILE_BODY = request_body(FILE_CONTENT)


async def _body(request: Request) -> CalendarImportIn | bytes:
    """The import's body: JSON (a URL to sync) or a calendar file (raw or multipart 'file')."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        _, upload = await form_file(request, "the calendar")
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


# Read once the caller is authenticated and the route's transaction is open, as the handlers did.
ImportBody = Annotated[CalendarImportIn | bytes, Depends(_body)]


@import_routes.create(
    404,
    503,
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
    session: Db,
    settings: SettingsDep,
    box: Box,
    body: ImportBody,
) -> dict[str, Any]:
    if isinstance(body, bytes):
        content = body
        out = await _import_change(
            box, ctx, lambda: calendars.create_file_import(session, ctx, resource_id, content, _now())
        )
    else:
        out = await _start_url_import(request, ctx, settings, box, resource_id, body)
    location = f"/api/v1/resources/{resource_id}/calendar-imports/{out.id}"
    return created(response, location, out.model_dump(mode="json"))


async def _start_url_import(
    request: Request,
    ctx: TenantContext,
    settings: Settings,
    box: crypto.SecretBox,
    resource_id: uuid.UUID,
    data: CalendarImportIn,
) -> CalendarImportOut:
    """Record the import, commit, then start its sync, or discard the import."""

    def record(session: Session) -> tuple[CalendarImportOut, list[Start]]:
        row = calendars.create_url_import(
            session, ctx, resource_id, data, settings.calendar_allow_private, box
        )
        seconds = row.interval_seconds or 900
        run = CalendarSyncRun(tenant_id=ctx.tenant_id, import_id=row.id, interval_seconds=seconds)
        start = Start(CalendarSyncWorkflow.run, run, calendars.workflow_id(row.id))
        return calendars.import_out(row, box, ctx), [start]

    def discard(session: Session, out: CalendarImportOut) -> None:
        calendars.discard_import(session, ctx, out.id)

    launcher = await get_launcher(request)  # only a URL import needs Temporal
    return await launcher.record_then_start(ctx, record, discard)


async def _import_change(
    box: crypto.SecretBox, ctx: TenantContext, change: Callable[[], CalendarImport]
) -> CalendarImportOut:
    """A change to an import, made in a worker thread, and the import as answered."""
    return await run_in_threadpool(lambda: calendars.import_out(change(), box, ctx))


@import_routes.put(
    409,
    openapi_extra=FILE_BODY,
    summary="Upload a new version of a file import: its blocks are replaced by the new file's "
    "(409 for a URL import, which syncs by itself)",
)
async def replace_import(
    resource_id: uuid.UUID,
    import_id: uuid.UUID,
    ctx: Ctx,
    session: Db,
    box: Box,
    body: ImportBody,
) -> Envelope[CalendarImportOut]:
    if not isinstance(body, bytes):
        raise ValidationFailed.one("file", "send the calendar as text/calendar or a multipart 'file'")
    content = body
    out = await _import_change(
        box, ctx, lambda: calendars.reimport_file(session, ctx, resource_id, import_id, content, _now())
    )
    return Envelope(data=out)


@import_routes.listing(
    404,
    summary="The resource's calendar imports, oldest first, with the last sync's time and error",
)
def list_imports(resource_id: uuid.UUID, ctx: Ctx, session: Db, box: Box) -> dict[str, Any]:
    rows = calendars.list_imports(session, ctx, resource_id)
    return success([calendars.import_out(r, box, ctx).model_dump(mode="json") for r in rows])


@import_routes.read()
def get_import(
    resource_id: uuid.UUID, import_id: uuid.UUID, ctx: Ctx, session: Db, box: Box
) -> dict[str, Any]:
    row = calendars.get_import(session, ctx, resource_id, import_id)
    return success(calendars.import_out(row, box, ctx).model_dump(mode="json"))


@import_routes.delete(
    summary="Stop the import's sync and remove its blocks",
)
async def delete_import(
    resource_id: uuid.UUID,
    import_id: uuid.UUID,
    request: Request,
    ctx: Ctx,
    engine: EngineDep,
    box: Box,
) -> dict[str, Any]:
    def delete() -> CalendarImport:
        # Its own transaction: committed before the sync is terminated, so a failed delete leaves it running.
        with tenant_session(engine, ctx.tenant_id) as session:
            return calendars.delete_import(session, ctx, resource_id, import_id, _now())

    out = await _import_change(box, ctx, delete)
    client = request.app.state.temporal
    if client is not None and out.workflow_id:
        # Best effort: a sync still running reads the import as stopped and ends by itself.
        with contextlib.suppress(RPCError):
            await client.get_workflow_handle(out.workflow_id).terminate(
                reason="calendar import deleted", rpc_timeout=RPC_TIMEOUT
            )
    return success(out.model_dump(mode="json"))


# -- utilisation ----------------------------------------------------------------------------------


@resource_routes.read(
    below="/utilisation",
    model=UtilisationOut,
    summary="Booked vs available hours in [from, to) (at most 366 days), in total and per period "
    "(granularity, default P1D: local days; at least PT1H). Available: open time from the rules minus "
    "closures and blocks; booked: bookings' start to end (buffers excluded). utilisation is "
    "booked/available, null when nothing was available",
)
def get_utilisation(
    resource_id: uuid.UUID,
    ctx: Ctx,
    session: Db,
    start: Annotated[str | None, Query(alias="from", description="RFC 3339 with an offset")] = None,
    end: Annotated[str | None, Query(alias="to", description="RFC 3339 with an offset")] = None,
    granularity: Annotated[str | None, Query(description="ISO 8601, default P1D")] = None,
) -> dict[str, Any]:
    query = utilisation.parse_query(start, end, granularity)
    out = utilisation.utilisation(session, ctx, resource_id, query)
    return success(out.model_dump(mode="json"))

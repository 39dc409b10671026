"""The console at ``/app``: sign in (password, then a second factor when the account has one), the
inbox of one's open tasks and a task's page, where a decision is sent to ``POST /api/v1/tasks/{id}/
complete`` by the page's script (``console.js``), authenticated by the session cookie and its CSRF
token. Pages read through the same domain services as the REST API, in the reader's language and
time zone; every page carries the strict CSP of Keel's other pages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request
from pydantic import BaseModel, Field, field_validator
from sqlalchemy.orm import Session
from starlette.responses import Response

from api import cookies
from db.models import Process, Task
from domain.context import TenantContext
from domain.errors import Unauthenticated
from domain.identity import sessions
from domain.identity.errors import MfaRequired
from domain.processes import service as processes
from domain.queries import find, live
from web.console import auth, forms, i18n, views
from web.console.views import SIGN_IN

router = APIRouter(prefix="/app", include_in_schema=False)
INBOX = "/app/inbox"
MAX_TASKS = 200  # the inbox's one page: more than anyone works through
FormToken = Annotated[str, Form(max_length=128)]  # a form's CSRF token


# -- signing in and out ------------------------------------------------------------------------------
@router.get("")
async def home() -> Response:
    return views.go(INBOX)


@router.get("/sign-in")
async def sign_in_form(request: Request, ended: bool = False) -> Response:
    token = auth.form_token(request)
    words = i18n.words(i18n.language(request))
    note = (
        words["session_over"] if ended else (words["signed_out"] if request.query_params.get("bye") else None)
    )
    return auth.hold_form(views.page(request, "sign_in.html", form_csrf=token, note=note, error=None), token)


@router.post("/sign-in")
async def sign_in(
    request: Request,
    login: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    tenant: Annotated[str, Form(max_length=253)] = "",
    csrf_token: FormToken = "",
) -> Response:
    if expired := _expired(request, csrf_token):
        return expired
    try:
        tokens = await auth.sign_in(request).password(login, password, tenant or None)
    except MfaRequired as exc:
        token = auth.form_token(request)
        return views.page(
            request, "code.html", mfa_token=exc.details["mfa_token"], form_csrf=token, error=None
        )
    except Unauthenticated as exc:
        return _refused(request, exc.message, 401)
    return auth.keep(views.go(INBOX), tokens)


@router.post("/sign-in/code")
async def second_factor(
    request: Request,
    mfa_token: Annotated[str, Form(max_length=4096)],
    code: Annotated[str, Form(max_length=64)],
    csrf_token: FormToken = "",
) -> Response:
    if expired := _expired(request, csrf_token):
        return expired
    try:
        tokens = await auth.sign_in(request).second_step(mfa_token, code.replace(" ", ""))
    except Unauthenticated as exc:
        return views.page(
            request, "code.html", 401, mfa_token=mfa_token, form_csrf=csrf_token, error=exc.message
        )
    return auth.keep(views.go(INBOX), tokens)


def _expired(request: Request, csrf_token: str) -> Response | None:
    """The sign-in form again when the token it was sent with is not its cookie's (a forged post)."""
    if auth.form_matches(request, csrf_token):
        return None
    return _refused(request, "The form has expired: sign in again.", 403)


def _refused(request: Request, message: str, status: int) -> Response:
    token = auth.form_token(request)
    page = views.page(request, "sign_in.html", status, form_csrf=token, note=None, error=message)
    return auth.hold_form(page, token)


@router.post("/sign-out")
async def sign_out(request: Request, csrf_token: FormToken = "") -> Response:
    found = await views.signed_in(request)
    if isinstance(found, Response):
        return found
    secret = request.app.state.settings.require_jwt_secret()
    if not cookies.csrf_matches(secret, found.access, csrf_token):
        return views.page(
            request,
            "error.html",
            403,
            title="CSRF",
            message=cookies.CSRF_REFUSED,
            hint=None,
            visitor=None,
            csrf="",
        )
    if found.ctx.session_id is not None:
        session_id = found.ctx.session_id
        await views.read(
            request, found, lambda s, ctx: sessions.revoke_mine(s, ctx, session_id, "signed out")
        )
    return auth.forget(views.go(f"{SIGN_IN}?bye=1"))


@router.get("/language")
async def switch_language(request: Request, to: str = "en", back: str = INBOX) -> Response:
    """The reader's language from now on; back to the page (of the console only: no open redirect)."""
    response = views.go(back if back.startswith("/app/") and "//" not in back else INBOX)
    if to in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, to, max_age=365 * 86400, path="/app", **auth.COOKIE_FLAGS)
    return response


# -- the inbox and a task ----------------------------------------------------------------------------
DUE = ("overdue", "today", "week")  # the inbox's "due" filter: past due, due by tonight, within 7 days
ORDERS = ("due", "newest")


def _inbox(definition: str, due: str, order: str) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        tasks, _ = processes.list_tasks(
            session, ctx, status="open", assignee="me", process_id=None, limit=MAX_TASKS, cursor=None
        )
        ids = {t.process_id for t in tasks}
        named = {p.id: p for p in session.scalars(live(ctx, Process).where(Process.id.in_(ids)))}  # one read
        zone = views.zone(session, ctx)
        shown = [t for t in tasks if _kept(t, named.get(t.process_id), definition, due, zone)]
        if order == "newest":
            shown.sort(key=lambda t: t.created_at, reverse=True)
        else:  # overdue first (the earliest due), then the rest by due date, those without one last
            shown.sort(key=lambda t: (t.due_at is None, t.due_at or t.created_at, t.created_at))
        return {
            "tasks": shown,
            "all_ids": sorted(str(t.id) for t in tasks),  # what the live stream compares with
            "definitions": sorted({p.definition for p in named.values()}),
            "processes": named,
            "zone": zone,
        }

    return read


def _kept(task: Task, process: Process | None, definition: str, due: str, zone: str) -> bool:
    if definition and (process is None or process.definition != definition):
        return False
    if not due:
        return True
    if task.due_at is None:
        return False
    now = datetime.now(UTC)
    if due == "overdue":
        return task.due_at < now
    here = ZoneInfo(zone)
    tonight = datetime.combine(now.astimezone(here).date() + timedelta(days=1), time(), here)
    return task.due_at < (tonight if due == "today" else now + timedelta(days=7))


class InboxAsked(BaseModel):
    """The inbox's filters; a value it does not know filters nothing out (the page still answers)."""

    definition: str = Field("", max_length=128)
    due: str = Field("", max_length=16)
    order: str = Field("due", max_length=16)

    @field_validator("due")
    @classmethod
    def known_due(cls, value: str) -> str:
        return value if value in DUE else ""

    @field_validator("order")
    @classmethod
    def known_order(cls, value: str) -> str:
        return value if value in ORDERS else "due"


@router.get("/inbox")
async def inbox(request: Request, asked: Annotated[InboxAsked, Query()]) -> Response:
    note = i18n.words(i18n.language(request))["decided"] if request.query_params.get("decided") else None
    reader = _inbox(asked.definition, asked.due, asked.order)
    return await views.rendered(request, reader, "inbox.html", note=note, asked=asked, dues=DUE)


def _task(task_id: uuid.UUID) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        task: Task = processes.get_task(session, ctx, task_id)
        return {
            "task": task,
            "process": find(session, ctx, Process, task.process_id),
            "outcomes": task.data.get("outcomes") or ["approve", "reject"],
            "fields": forms.fields(task.data.get("form")),
            "zone": views.zone(session, ctx),
        }

    return read


@router.get("/tasks/{task_id}")
async def task_page(request: Request, task_id: str) -> Response:
    return await views.shown(request, "task", task_id, _task, "task.html")

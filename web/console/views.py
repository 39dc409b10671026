"""What every console page does: find who reads it (or send them to sign in), read in one transaction
of their tenant, and render in their language and time zone with the pages' headers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from api import cookies
from api.errors import status_for
from db.session import tenant_session
from domain.billing.reports.service import time_zone
from domain.context import TenantContext
from domain.errors import DomainError, NotFound
from domain.notifications import preferences
from web import pages
from web.console import auth, i18n

SIGN_IN = "/app/sign-in"
SECURITY = "/app/security"  # where a person sets up their second factor (the one page open before)


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    lang = i18n.language(request)
    return pages.render(
        f"console/{template}", status, t=i18n.words(lang), lang=lang, path=request.url.path, **context
    )


def go(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def error(request: Request, exc: DomainError, visitor: auth.Visitor | None = None) -> Response:
    """The 404 page (missing, or another organisation's), the 403 page, or the error's own message."""
    words = i18n.words(i18n.language(request))
    status = status_for(exc)
    kind = "not_found" if status == 404 else "forbidden"
    return page(
        request,
        "error.html",
        status if status in (403, 404) else 400,
        title=words[f"{kind}_title"],
        message=words[kind] if status in (403, 404) else exc.message,
        hint=words[f"{kind}_hint"],
        visitor=visitor,
        csrf=visitor.csrf(request) if visitor else "",
    )


def zone(session: Session, ctx: TenantContext) -> str:
    """The reader's time zone: their notification preferences', else the organisation's."""
    prefs = preferences.for_user(session, ctx, ctx.user_id) if ctx.user_id else None
    return prefs.timezone if prefs is not None and prefs.timezone else time_zone(session, ctx)


async def read(request: Request, visitor: auth.Visitor, reader: Any) -> Any:
    """``reader(session, ctx)`` in one transaction of the visitor's tenant."""

    def unit() -> Any:
        with tenant_session(request.app.state.engine, visitor.ctx.tenant_id) as session:
            return reader(session, visitor.ctx)

    return await run_in_threadpool(unit)


async def signed_in(request: Request) -> auth.Visitor | Response:
    """The reader, or the sign-in page (saying the session ended when a cookie was there)."""
    try:
        found = await auth.visitor(request)
    except auth.MustEnrol as exc:  # the organisation asks for a second factor: set one up first
        to_enrol = go(f"{SECURITY}?required=1")
        return auth.keep(to_enrol, exc.renewed) if exc.renewed else to_enrol
    if found is None:
        return auth.forget(go(f"{SIGN_IN}?ended=1" if request.cookies.get(cookies.ACCESS) else SIGN_IN))
    return found


def answer(
    request: Request, visitor: auth.Visitor, template: str, seen: dict[str, Any], **extra: Any
) -> Response:
    """The page of what was ``seen``, for the signed-in visitor, with renewed tokens when there are."""
    lang, where = i18n.language(request), seen.get("zone", "UTC")
    dated: dict[str, Any] = {
        "when": lambda moment: i18n.when(moment, lang, where),
        "day": lambda moment: i18n.day(moment, lang),
        "money": lambda amount, currency: i18n.money(amount, currency, lang),
        "size": lambda count: i18n.size(count, lang),
        "now": datetime.now(UTC),
    }
    shown = page(request, template, visitor=visitor, csrf=visitor.csrf(request), **seen, **dated, **extra)
    return kept(visitor, shown)


async def rendered(request: Request, reader: Any, template: str, **extra: Any) -> Response:
    """The page ``template`` of what ``reader(session, ctx)`` reads for the signed-in visitor (a list,
    a form): sign in first, the 403/404 page when the domain refuses."""
    found = await signed_in(request)
    if isinstance(found, Response):
        return found
    try:
        seen = await read(request, found, reader)
    except DomainError as exc:
        return kept(found, error(request, exc, found))
    return answer(request, found, template, seen, **extra)


async def one(
    request: Request, what: str, ident: str, reader: Callable[[uuid.UUID], Any]
) -> tuple[auth.Visitor, dict[str, Any]] | Response:
    """The reader and what ``reader(id)`` reads of one ``what`` in a transaction, or the page to answer
    instead: sign in, or the 404 page (an id that is no UUID names nothing), or the domain's refusal."""
    found = await signed_in(request)
    if isinstance(found, Response):
        return found
    try:
        return found, await read(request, found, reader(uuid.UUID(ident)))
    except ValueError:
        return kept(found, error(request, NotFound(what, ident), found))
    except DomainError as exc:
        return kept(found, error(request, exc, found))


async def shown(
    request: Request, what: str, ident: str, reader: Callable[[uuid.UUID], Any], template: str
) -> Response:
    """The page of one ``what``: ``one`` rendered with ``template``."""
    read_ = await one(request, what, ident, reader)
    return read_ if isinstance(read_, Response) else answer(request, read_[0], template, read_[1])


def kept(visitor: auth.Visitor, response: Response) -> Response:
    return auth.keep(response, visitor.renewed) if visitor.renewed else response

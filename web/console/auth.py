"""Who is signed in to the console, through the API's own sign-in: the tokens ``POST /auth/token``
answers are kept in cookies (``api/cookies.py``); an expired access token is renewed once from the
refresh cookie (which rotates it, as the refresh grant does), else the visitor signs in again."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from api import cookies
from api.deps import context_for
from api.sign_in import REFRESH_SECONDS, SignIn
from domain.context import TenantContext
from domain.errors import Unauthenticated
from domain.identity.errors import MfaEnrolmentRequired

FORM_COOKIE = "keel_form"  # before sign-in: the sign-in form's CSRF token (double submit)
COOKIE_FLAGS: dict[str, Any] = {"httponly": True, "secure": True, "samesite": "lax"}


@dataclass(frozen=True)
class Visitor:
    """A signed-in reader: their context, the access token in force, and new tokens to set (renewed)."""

    ctx: TenantContext
    access: str
    renewed: dict[str, Any] | None = None

    def csrf(self, request: Request) -> str:
        return cookies.csrf_token(request.app.state.settings.require_jwt_secret(), self.access)


class MustEnrol(Exception):
    """The organisation asks for a second factor this person has not set up: every page but the
    security page sends them there. ``renewed``: tokens a refresh answered meanwhile, to keep."""

    def __init__(self, renewed: dict[str, Any] | None = None) -> None:
        super().__init__("a second factor must be set up")
        self.renewed = renewed


def sign_in(request: Request) -> SignIn:
    state = request.app.state
    return SignIn(request, state.engine, state.settings)


async def visitor(request: Request) -> Visitor | None:
    """The signed-in reader, or None (no cookie, a session ended, a refresh token used before)."""
    access = request.cookies.get(cookies.ACCESS)
    must_enrol = False
    if access:
        try:
            return Visitor(await run_in_threadpool(context_for, request, access), access)
        except Unauthenticated:
            pass
        except MfaEnrolmentRequired:
            must_enrol = True  # unless a factor was set up since the token was issued: a refresh tells
    refresh = request.cookies.get(cookies.REFRESH)
    if not refresh:
        if must_enrol:
            raise MustEnrol()
        return None
    try:
        tokens = await sign_in(request).refresh(refresh)
        ctx = await run_in_threadpool(context_for, request, tokens["access_token"])
    except Unauthenticated:
        return None
    except MfaEnrolmentRequired as exc:
        raise MustEnrol(tokens) from exc
    return Visitor(ctx, tokens["access_token"], tokens)


def keep(response: Response, tokens: dict[str, Any]) -> Response:
    """The tokens in their cookies: the access token for every path (the REST API reads it too), the
    refresh token for the console's own paths only."""
    response.set_cookie(
        cookies.ACCESS, tokens["access_token"], max_age=REFRESH_SECONDS, path="/", **COOKIE_FLAGS
    )
    response.set_cookie(
        cookies.REFRESH, tokens["refresh_token"], max_age=REFRESH_SECONDS, path="/app", **COOKIE_FLAGS
    )
    return response


def forget(response: Response) -> Response:
    response.delete_cookie(cookies.ACCESS, path="/", **COOKIE_FLAGS)
    response.delete_cookie(cookies.REFRESH, path="/app", **COOKIE_FLAGS)
    return response


def form_token(request: Request) -> str:
    """The sign-in form's CSRF token: the one its cookie holds, or a new one (set by ``hold_form``)."""
    return request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)


def hold_form(response: Response, token: str) -> Response:
    response.set_cookie(FORM_COOKIE, token, max_age=3600, path="/app", **COOKIE_FLAGS)
    return response


def form_matches(request: Request, sent: str | None) -> bool:
    held = request.cookies.get(FORM_COOKIE)
    return bool(held and sent) and hmac.compare_digest(held or "", sent or "")

"""OAuth2 password grant: email + password for a JWT access token.

The body may be a form (``application/x-www-form-urlencoded``, as OAuth2 clients and the /docs
"Authorize" button send it) or JSON. The answer is both an OAuth2 token response (top-level
``access_token``, ``token_type``, ``expires_in``) and Keel's envelope (the same in ``data``), so
standard OAuth2 clients and envelope-reading clients both work.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool

from api.deps import EngineDep, SettingsDep
from api.envelope import errors, success
from db.session import system_session
from domain.errors import BadRequest, Unauthenticated, ValidationFailed
from domain.identity import secrets
from domain.identity import service as identity
from domain.identity.schemas import TokenOut

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class NoStoreRoute(APIRoute):
    """Token answers must not be cached (RFC 6749 §5.1), errors included: an error is turned into its
    response here, by the app's own handler, so that it gets the headers too."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def no_store(request: Request) -> Response:
            try:
                response = await handler(request)
            except Exception as exc:
                response = await _handled(request, exc)
            response.headers.update(NO_STORE)
            return response

        return no_store


async def _handled(request: Request, exc: Exception) -> Response:
    handlers = request.app.exception_handlers
    for cls in type(exc).__mro__:
        if cls in handlers:
            result = handlers[cls](request, exc)
            response: Response = await result if inspect.isawaitable(result) else result
            return response
    raise exc


router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=NoStoreRoute)


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    grant_type: str = "password"
    username: str | None = Field(default=None, max_length=320, description="the user's email")
    email: str | None = Field(default=None, max_length=320, description="alias of username")
    password: str = Field(min_length=1, max_length=256)
    tenant: str | None = Field(
        default=None,
        max_length=253,
        description="the tenant to sign in to: its domain (e.g. acme.example) or its id; needed when the "
        "email has an account in several tenants",
    )
    client_id: str | None = Field(default=None, max_length=253, description="older alias of tenant")

    @model_validator(mode="after")
    def _one_login(self) -> TokenRequest:
        if not (self.username or self.email):
            raise ValueError("username (the email) is required")
        if self.grant_type != "password":
            raise ValueError("only the 'password' grant_type is supported")
        return self

    @property
    def login(self) -> str:
        return (self.username or self.email or "").strip().lower()

    @property
    def tenant_name(self) -> str | None:
        return self.tenant or self.client_id


class TokenResponse(TokenOut):
    status: str = "success"
    data: TokenOut
    message: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    timestamp: str


async def _read(request: Request) -> TokenRequest:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            raw = json.loads(await request.body() or b"{}")
        except ValueError as exc:  # not JSON, or bytes that are not UTF-8 (UnicodeDecodeError)
            raise BadRequest("The request body is not valid JSON.") from exc
        if not isinstance(raw, dict):
            raise ValidationFailed.one("body", "must be a JSON object")
    else:
        raw = dict(await request.form())
    try:
        return TokenRequest.model_validate(raw)
    except ValidationError as exc:
        raise ValidationFailed.from_pydantic(exc) from exc


@router.post(
    "/token",
    response_model=TokenResponse,
    summary="Exchange email and password for an access token (OAuth2 password grant)",
    description="Form or JSON fields: grant_type=password, username (or email), password, and tenant "
    "(the tenant's domain or id; `client_id` is accepted as an alias), which an account whose email is in "
    'several tenants needs. Every sign-in failure is the same 401 `unauthenticated` ("Invalid '
    'credentials."), whether the email is unknown, in several tenants without `tenant`, or the password '
    "wrong. Every answer, success or error, carries `Cache-Control: no-store` and `Pragma: no-cache`.",
    responses=errors(429),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": TokenRequest.model_json_schema()},
                "application/json": {"schema": TokenRequest.model_json_schema()},
            },
        }
    },
)
async def issue_token(request: Request, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    form = await _read(request)
    limiter = request.app.state.login_limiter
    throttle_key = f"{request.client.host if request.client else '-'}|{form.login}"
    limiter.check(throttle_key)

    def authenticate() -> tuple[Any, Any]:
        with system_session(engine) as session:
            return identity.authenticate_password(session, form.login, form.password, form.tenant_name)

    try:
        tenant_id, user_id = await run_in_threadpool(authenticate)
    except Unauthenticated:
        limiter.fail(throttle_key)
        raise
    token = secrets.issue_token(
        settings.require_jwt_secret(),
        user_id=user_id,
        tenant_id=tenant_id,
        ttl_seconds=settings.jwt_ttl_seconds,
    )
    out = TokenOut(access_token=token.token, expires_in=token.expires_in).model_dump()
    return out | success(out)

"""OAuth2 token endpoint: the password grant (then, for a user with a second factor, ``mfa_otp``),
the refresh grant, and logout.

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

from api.deps import Ctx, Db, EngineDep, SettingsDep
from api.envelope import errors
from api.sign_in import SignIn
from domain.errors import BadRequest, ValidationFailed
from domain.identity import sessions
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

    grant_type: str = Field(default="password", description="password | refresh_token | mfa_otp")
    username: str | None = Field(default=None, max_length=320, description="the user's email")
    email: str | None = Field(default=None, max_length=320, description="alias of username")
    password: str | None = Field(default=None, min_length=1, max_length=256)
    tenant: str | None = Field(
        default=None,
        max_length=253,
        description="the tenant to sign in to: its domain (e.g. acme.example) or its id; needed when the "
        "email has an account in several tenants",
    )
    client_id: str | None = Field(default=None, max_length=253, description="older alias of tenant")
    refresh_token: str | None = Field(default=None, max_length=200, description="grant_type=refresh_token")
    mfa_token: str | None = Field(
        default=None, max_length=2000, description="grant_type=mfa_otp: from the password step's 403"
    )
    code: str | None = Field(
        default=None,
        max_length=32,
        description="grant_type=mfa_otp: the authenticator's code or a recovery code",
    )

    @model_validator(mode="after")
    def _one_grant(self) -> TokenRequest:
        needs = {
            "password": ("password",),
            "refresh_token": ("refresh_token",),
            "mfa_otp": ("mfa_token", "code"),
        }
        if self.grant_type not in needs:
            raise ValueError("grant_type is password, refresh_token or mfa_otp")
        if self.grant_type == "password" and not (self.username or self.email):
            raise ValueError("username (the email) is required")
        missing = [name for name in needs[self.grant_type] if not getattr(self, name)]
        if missing:
            raise ValueError(f"{', '.join(missing)} is required for grant_type={self.grant_type}")
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
    summary="Sign in (OAuth2 password grant), then refresh; with a second factor, two steps",
    description="Form or JSON. `grant_type=password` with username (or email), password and tenant "
    "(the tenant's domain or id; `client_id` is an alias), which an account whose email is in several "
    "tenants needs: an access token and a refresh token (a new sign-in session). A user with a second "
    "factor gets a 403 `mfa_required` whose `details` hold an `mfa_token` (5 minutes): then "
    "`grant_type=mfa_otp` with `mfa_token` and `code` (the authenticator's, or a recovery code). "
    "`grant_type=refresh_token` answers a new access token and the NEXT refresh token: each refresh "
    "token works once, and one used again revokes its whole session. Every sign-in failure is the same "
    '401 `unauthenticated` ("Invalid credentials."). Every answer carries `Cache-Control: no-store`.',
    responses=errors(403, 429),
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
    signer = SignIn(request, engine, settings)
    if form.grant_type == "refresh_token":
        return await signer.refresh(str(form.refresh_token))
    if form.grant_type == "mfa_otp":
        return await signer.second_step(str(form.mfa_token), str(form.code))
    return await signer.password(form.login, str(form.password), form.tenant_name)


@router.post(
    "/logout",
    status_code=204,
    responses=errors(400),
    summary="End the sign-in session of this access token: its refresh token and access tokens stop working",
)
def logout(ctx: Ctx, session: Db) -> Response:
    if ctx.session_id is None:
        raise BadRequest(
            "This credential is not a sign-in session (an API key is revoked with DELETE /api-keys/{id})."
        )
    sessions.revoke_mine(session, ctx, ctx.session_id, reason="logout")
    return Response(status_code=204)

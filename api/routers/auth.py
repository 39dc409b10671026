"""OAuth2 password grant: email + password for a JWT access token.

The body may be a form (``application/x-www-form-urlencoded``, as OAuth2 clients and the /docs
"Authorize" button send it) or JSON. The answer is both an OAuth2 token response (top-level
``access_token``, ``token_type``, ``expires_in``) and Keel's envelope (the same in ``data``), so
standard OAuth2 clients and envelope-reading clients both work.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool

from api.deps import EngineDep, SettingsDep
from api.envelope import errors, success
from db.session import system_session
from domain.errors import BadRequest, Unauthenticated, ValidationFailed
from domain.identity import secrets
from domain.identity import service as identity
from domain.identity.schemas import TokenOut

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    grant_type: str = "password"
    username: str | None = Field(default=None, max_length=320, description="the user's email")
    email: str | None = Field(default=None, max_length=320, description="alias of username")
    password: str = Field(min_length=1, max_length=256)
    client_id: str | None = Field(
        default=None, max_length=253, description="the tenant's domain, when the email is in several tenants"
    )

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


class TokenResponse(TokenOut):
    status: str = "success"
    data: TokenOut
    message: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    timestamp: str


async def _read(request: Request) -> TokenRequest:
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("application/json"):
            raw = json.loads(await request.body() or b"{}")
            if not isinstance(raw, dict):
                raise ValidationFailed.one("body", "must be a JSON object")
        else:
            raw = dict(await request.form())
    except json.JSONDecodeError as exc:
        raise BadRequest("The request body is not valid JSON.") from exc
    try:
        return TokenRequest.model_validate(raw)
    except ValidationError as exc:
        raise ValidationFailed.from_pydantic(exc) from exc


@router.post(
    "/token",
    response_model=TokenResponse,
    summary="Exchange email and password for an access token (OAuth2 password grant)",
    description="Form or JSON fields: grant_type=password, username (or email), password, and client_id "
    "(the tenant's domain) when the email belongs to several tenants.",
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
            return identity.authenticate_password(session, form.login, form.password, form.client_id)

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

"""OAuth2 password grant: email + password for a JWT access token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from api.deps import EngineDep, SettingsDep
from api.envelope import errors
from db.session import system_session
from domain.errors import Unauthenticated, ValidationFailed
from domain.identity import secrets
from domain.identity import service as identity
from domain.identity.schemas import TokenOut

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenOut,
    summary="Exchange email and password for an access token (OAuth2 password grant)",
    description="Form fields: grant_type=password, username (the email), password, and client_id "
    "(the tenant's domain) when the email belongs to several tenants. Returns the OAuth2 token object.",
    responses=errors(429),
)
def issue_token(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=256)],
    grant_type: Annotated[str, Form()] = "password",
    client_id: Annotated[str | None, Form(max_length=253)] = None,
) -> TokenOut:
    if grant_type != "password":
        raise ValidationFailed.one(
            "grant_type", "only the 'password' grant is supported", code="unsupported_grant_type"
        )
    limiter = request.app.state.login_limiter
    throttle_key = f"{request.client.host if request.client else '-'}|{username.lower()}"
    limiter.check(throttle_key)
    try:
        with system_session(engine) as session:
            tenant_id, user_id = identity.authenticate_password(
                session, username.strip().lower(), password, client_id
            )
    except Unauthenticated:
        limiter.fail(throttle_key)
        raise
    token = secrets.issue_token(
        settings.require_jwt_secret(),
        user_id=user_id,
        tenant_id=tenant_id,
        ttl_seconds=settings.jwt_ttl_seconds,
    )
    return TokenOut(access_token=token.token, expires_in=token.expires_in)

"""Changing one's password, and resetting a forgotten one by email."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.deps import Ctx, Db, EngineDep, SettingsDep
from api.envelope import success
from api.ratelimit import FailureLimiter
from api.resource_routes import ResourceRoutes
from db.session import system_session, tenant_session
from domain.context import TenantContext
from domain.deliveries import service as deliveries
from domain.errors import RateLimited, ValidationFailed
from domain.identity import passwords
from domain.identity import service as identity
from domain.identity.schemas import PasswordChange, PasswordResetConfirm, PasswordResetRequest, RevokedOut
from keel.settings import Settings

log = logging.getLogger("keel.api")
router = APIRouter(prefix="/api/v1", tags=["identity"])
# One's own password, or a reset token's: no permission is asked, hence no 403.
routes = ResourceRoutes(router, RevokedOut, answers=())
CONFIRM_PATH = "/api/v1/auth/password-reset/confirm"
REQUESTED = "If an account with this address exists, an email with a reset token is on its way."


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _count(limiter: FailureLimiter, keys: list[str], message: str) -> None:
    """Refuse when any key is over the limiter's budget, else count one attempt on each."""
    for key in keys:
        try:
            limiter.check(key)
        except RateLimited as exc:
            raise RateLimited(message, exc.retry_after) from exc
    for key in keys:
        limiter.fail(key)


@routes.collection_post(
    "/me/password",
    429,
    summary="Change your password (the current one, and a new one of 12+ characters, not your email)",
    description="Ends every sign-in session of yours, this one included (`data.revoked` says how "
    "many): sign in again with the new password. API keys keep working. A wrong `current_password` "
    "is a 422 on that field, counted against the sign-in throttle (429 after too many).",
)
def change_password(body: PasswordChange, request: Request, ctx: Ctx, session: Db) -> dict[str, Any]:
    limiter: FailureLimiter = request.app.state.login_limiter
    key = f"password|{ctx.user_id}"
    try:
        limiter.check(key)
    except RateLimited as exc:
        raise RateLimited("Too many wrong current passwords; try again later.", exc.retry_after) from exc
    try:
        ended = passwords.change(session, ctx, body.current_password, body.new_password)
    except ValidationFailed as exc:
        if any(f.field == "current_password" for f in exc.fields):
            limiter.fail(key)
        raise
    return success(
        RevokedOut(revoked=ended).model_dump(),
        message="Your password is changed; every sign-in session has ended: sign in again.",
    )


def _email(session: Session, ctx: TenantContext, email: str, token: str, confirm_url: str) -> None:
    """Queue the email with the token in the reset's transaction: the outbox dispatcher sends it once
    the transaction commits, and nothing is sent for one that rolled back."""
    minutes = passwords.RESET_MINUTES
    body = "\n\n".join(
        [
            "Someone (hopefully you) asked to reset the password of your Keel account.",
            f"Your reset token: {token}",
            f'Send it with your new password to POST {confirm_url} ({{"token": "…", "new_password": "…"}}).',
            f"It works once, for {minutes} minutes. If you did not ask, ignore this message: your "
            "password stays as it is.",
        ]
    )
    deliveries.create(
        session,
        ctx,
        recipient={"email": email},
        user_id=None,
        template="notification",  # the built-in generic message: data ``title`` and ``body``
        data={"title": "Reset your Keel password", "body": body},
        channels=["email"],
        category="security",
        priority="high",
        hand_to_dispatcher=True,
    )


def _send_reset(engine: Engine, settings: Settings, email: str, tenant: str | None, ip: str | None) -> None:
    """After the answer: find the account, write its token and queue the email (or do nothing)."""
    try:
        with system_session(engine) as session:
            row = identity.find_login(session, email, tenant)
        if row is None:
            return
        with tenant_session(engine, row["tenant_id"]) as session:
            ctx = TenantContext.system(row["tenant_id"], row["domain"])
            token = passwords.issue_reset(session, ctx, row["user_id"], ip=ip)
            _email(session, ctx, email, token, f"{settings.api_url.rstrip('/')}{CONFIRM_PATH}")
    except SQLAlchemyError as exc:
        log.error("password reset request failed", extra={"error": type(exc).__name__})


@routes.collection_post(
    "/auth/password-reset",
    429,
    status_code=202,
    model=None,
    summary="Ask for a password reset email; the answer is the same whether the address exists or not",
    description="Always 202 with the same body, answered before any lookup (the account is looked up "
    "and the email written after the answer), so neither the answer nor its timing tells whether "
    f"the address has an account. The email holds a token that works once, for {passwords.RESET_MINUTES} "
    f"minutes, at `POST {CONFIRM_PATH}`; a newer request replaces it. `tenant` (domain or id) is "
    "needed when the address has accounts in several tenants. Counted per client address and per "
    "email against the sign-in throttle (429 with Retry-After).",
)
def request_password_reset(
    body: PasswordResetRequest,
    request: Request,
    background: BackgroundTasks,
    engine: EngineDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    email, ip = body.email.strip().lower(), _ip(request)
    keys = [f"reset-ip|{ip or '-'}", f"reset-email|{email}"]
    _count(request.app.state.login_limiter, keys, "Too many password reset requests; try again later.")
    background.add_task(_send_reset, engine, settings, email, body.tenant, ip)
    return success(None, message=REQUESTED)


@routes.collection_post(
    "/auth/password-reset/confirm",
    400,
    410,
    summary="Set a new password with the emailed reset token; every session of the account ends",
    description="400 `bad_request` for a token that is malformed or unknown; 410 `gone` for one used "
    "already, replaced by a newer request, or past its 30 minutes; 422 for a weak password (12+ "
    "characters, not the email), which leaves the token usable.",
)
def confirm_password_reset(body: PasswordResetConfirm, engine: EngineDep) -> dict[str, Any]:
    tenant_id, reset_id = passwords.parse_reset(body.token)
    with tenant_session(engine, tenant_id) as session:
        ctx = TenantContext.system(tenant_id)
        ended = passwords.confirm_reset(session, ctx, reset_id, body.token, body.new_password)
    return success(RevokedOut(revoked=ended).model_dump(), message="Your password is set: sign in with it.")

"""A person's own security: sign-in sessions and the second factor (TOTP, recovery codes); and an
administrator's: ending a user's sessions, removing a lost second factor."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from api.deps import Box, Ctx, Db
from api.envelope import success
from api.resource_routes import ResourceRoutes, SingleRoutes
from domain.context import TenantContext
from domain.identity import manage, mfa, policy, sessions
from domain.identity.schemas import (
    CodeIn,
    MfaStatusOut,
    RecoveryCodesOut,
    RevokedOut,
    SecurityPolicy,
    SessionOut,
    TotpEnrolmentOut,
)
from keel.crypto import SecretBox

router = APIRouter(prefix="/api/v1", tags=["security"])
# One's own sessions: no permission is asked, another's session is a 404.
my_session_routes = ResourceRoutes(
    router, SessionOut, collection="/me/sessions", item="/{session_id}", answers=()
)
my_mfa_routes = ResourceRoutes(router, MfaStatusOut, collection="/me/mfa")
user_security_routes = ResourceRoutes(router, RevokedOut, collection="/users", item="/{user_id}")
policy_routes = SingleRoutes(router, SecurityPolicy, "/tenant/security")  # administrators'


@my_session_routes.listing(summary="My standing sign-in sessions", undocumented_errors=True)
def my_sessions(ctx: Ctx, session: Db) -> dict[str, object]:
    return success([sessions.session_out(s, ctx.session_id) for s in sessions.list_mine(session, ctx)])


@my_session_routes.delete(
    status_code=204,
    summary="End one of my sessions: its refresh token and access tokens stop working everywhere",
)
def end_my_session(session_id: uuid.UUID, ctx: Ctx, session: Db) -> Response:
    sessions.revoke_mine(session, ctx, session_id)
    return Response(status_code=204)


@my_mfa_routes.collection_get(
    "", summary="Whether my second factor is on (403 for an API key: only a signed-in person has one)"
)
def my_mfa(ctx: Ctx, session: Db) -> dict[str, object]:
    return success(mfa.status(session, ctx))


@my_mfa_routes.collection_post(
    "/totp",
    409,
    model=TotpEnrolmentOut,
    status_code=201,
    summary="Enrol an authenticator: its secret, otpauth URI and QR code (PNG); confirm with a first code",
)
def enrol_totp(ctx: Ctx, session: Db, box: Box) -> dict[str, object]:
    enrolment = mfa.enrol(session, ctx, box)
    return success(
        {
            "secret": enrolment.secret,
            "otpauth_uri": enrolment.otpauth_uri,
            "qr_png": mfa.png_base64(enrolment.qr_png),
        }
    )


CodesFor = Callable[[Session, TenantContext, SecretBox, str], list[str]]


def _answering_codes(path: str, code: int, act: CodesFor, name: str, summary: str) -> Callable[..., Any]:
    """A route on ``path`` that answers ten new recovery codes: ``act(session, ctx, box, code)``."""

    def endpoint(body: CodeIn, ctx: Ctx, session: Db, box: Box) -> dict[str, object]:
        return success({"recovery_codes": act(session, ctx, box, body.code)})

    return my_mfa_routes.collection_post(path, code, model=RecoveryCodesOut, name=name, summary=summary)(
        endpoint
    )


confirm_totp = _answering_codes(
    "/totp/confirm",
    409,
    mfa.confirm,
    "confirm_totp",
    "Turn the second factor on with the authenticator's first code; answers ten recovery codes",
)


@my_mfa_routes.collection_post(
    "/totp/disable",
    404,
    status_code=204,
    summary="Turn my second factor off, with a current or recovery code",
)
def disable_totp(body: CodeIn, ctx: Ctx, session: Db, box: Box) -> Response:
    mfa.disable(session, ctx, box, body.code)
    return Response(status_code=204)


renew_recovery_codes = _answering_codes(
    "/recovery-codes",
    404,
    mfa.new_recovery_codes,
    "renew_recovery_codes",
    "Ten new recovery codes (the old ones stop working), with a current or recovery code",
)


@user_security_routes.delete(
    below="/sessions", summary="End every sign-in session of a user (users:write, over users you outrank)"
)
def end_user_sessions(user_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, object]:
    return success({"revoked": manage.revoke_user_sessions(session, ctx, user_id)})


@user_security_routes.delete(
    below="/mfa",
    status_code=204,
    summary="Remove a user's second factor (a lost phone): they enrol again; their sessions end",
)
def reset_user_mfa(user_id: uuid.UUID, ctx: Ctx, session: Db) -> Response:
    manage.reset_user_mfa(session, ctx, user_id)
    return Response(status_code=204)


@policy_routes.read(summary="The tenant's security policy (administrators)")
def get_policy(ctx: Ctx, session: Db) -> dict[str, object]:
    return success(policy.read(session, ctx))


@policy_routes.put(
    summary="Set the tenant's security policy: `mfa_required` asks every user for a second factor",
    description="Users without a factor still sign in, then reach only /api/v1/me/mfa until they enrol "
    "(403 `mfa_enrollment_required` elsewhere). A role may ask the same of its holders (`mfa_required`).",
)
def put_policy(body: SecurityPolicy, ctx: Ctx, session: Db) -> dict[str, object]:
    return success(policy.replace(session, ctx, body))

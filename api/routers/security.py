"""A person's own security: sign-in sessions and the second factor (TOTP, recovery codes); and an
administrator's: ending a user's sessions, removing a lost second factor."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from api.deps import Ctx, Db, SettingsDep
from api.envelope import Envelope, answers, errors, success
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
from keel import crypto

router = APIRouter(prefix="/api/v1", tags=["security"])
POLICY = answers(SecurityPolicy, 403)  # read and replaced whole, by administrators


@router.get("/me/sessions", response_model=Envelope[list[SessionOut]], summary="My standing sign-in sessions")
def my_sessions(ctx: Ctx, session: Db) -> dict[str, object]:
    return success([sessions.session_out(s, ctx.session_id) for s in sessions.list_mine(session, ctx)])


@router.delete(
    "/me/sessions/{session_id}",
    status_code=204,
    responses=errors(404),
    summary="End one of my sessions: its refresh token and access tokens stop working everywhere",
)
def end_my_session(session_id: uuid.UUID, ctx: Ctx, session: Db) -> Response:
    sessions.revoke_mine(session, ctx, session_id)
    return Response(status_code=204)


@router.get(
    "/me/mfa",
    response_model=Envelope[MfaStatusOut],
    responses=errors(403),
    summary="Whether my second factor is on (403 for an API key: only a signed-in person has one)",
)
def my_mfa(ctx: Ctx, session: Db) -> dict[str, object]:
    return success(mfa.status(session, ctx))


@router.post(
    "/me/mfa/totp",
    status_code=201,
    response_model=Envelope[TotpEnrolmentOut],
    responses=errors(403, 409),
    summary="Enrol an authenticator: its secret, otpauth URI and QR code (PNG); confirm with a first code",
)
def enrol_totp(ctx: Ctx, session: Db, settings: SettingsDep) -> dict[str, object]:
    enrolment = mfa.enrol(session, ctx, crypto.box(settings))
    return success(
        {
            "secret": enrolment.secret,
            "otpauth_uri": enrolment.otpauth_uri,
            "qr_png": mfa.png_base64(enrolment.qr_png),
        }
    )


@router.post(
    "/me/mfa/totp/confirm",
    response_model=Envelope[RecoveryCodesOut],
    responses=errors(403, 409),
    summary="Turn the second factor on with the authenticator's first code; answers ten recovery codes",
)
def confirm_totp(body: CodeIn, ctx: Ctx, session: Db, settings: SettingsDep) -> dict[str, object]:
    return success({"recovery_codes": mfa.confirm(session, ctx, crypto.box(settings), body.code)})


@router.post(
    "/me/mfa/totp/disable",
    status_code=204,
    responses=errors(403, 404),
    summary="Turn my second factor off, with a current or recovery code",
)
def disable_totp(body: CodeIn, ctx: Ctx, session: Db, settings: SettingsDep) -> Response:
    mfa.disable(session, ctx, crypto.box(settings), body.code)
    return Response(status_code=204)


@router.post(
    "/me/mfa/recovery-codes",
    response_model=Envelope[RecoveryCodesOut],
    responses=errors(403, 404),
    summary="Ten new recovery codes (the old ones stop working), with a current or recovery code",
)
def renew_recovery_codes(body: CodeIn, ctx: Ctx, session: Db, settings: SettingsDep) -> dict[str, object]:
    return success({"recovery_codes": mfa.new_recovery_codes(session, ctx, crypto.box(settings), body.code)})


@router.delete(
    "/users/{user_id}/sessions",
    response_model=Envelope[RevokedOut],
    responses=errors(403, 404),
    summary="End every sign-in session of a user (users:write, over users you outrank)",
)
def end_user_sessions(user_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, object]:
    return success({"revoked": manage.revoke_user_sessions(session, ctx, user_id)})


@router.delete(
    "/users/{user_id}/mfa",
    status_code=204,
    responses=errors(403, 404),
    summary="Remove a user's second factor (a lost phone): they enrol again; their sessions end",
)
def reset_user_mfa(user_id: uuid.UUID, ctx: Ctx, session: Db) -> Response:
    manage.reset_user_mfa(session, ctx, user_id)
    return Response(status_code=204)


@router.get("/tenant/security", **POLICY, summary="The tenant's security policy (administrators)")
def get_policy(ctx: Ctx, session: Db) -> dict[str, object]:
    return success(policy.read(session, ctx))


@router.put(
    "/tenant/security",
    **POLICY,
    summary="Set the tenant's security policy: `mfa_required` asks every user for a second factor",
    description="Users without a factor still sign in, then reach only /api/v1/me/mfa until they enrol "
    "(403 `mfa_enrollment_required` elsewhere). A role may ask the same of its holders (`mfa_required`).",
)
def put_policy(body: SecurityPolicy, ctx: Ctx, session: Db) -> dict[str, object]:
    return success(policy.replace(session, ctx, body))

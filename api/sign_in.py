"""The token endpoint's three grants, each a few short transactions.

A failure that must be recorded (a wrong password for a known account, a wrong second-factor code,
a reused refresh token) is committed before the 401 is raised, so the audit row and the revocation
stay. Failures count against the login throttle per client address and login (the password) or per
user (the second step).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.envelope import success
from db.session import system_session, tenant_session
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import Unauthenticated
from domain.identity import mfa, secrets, sessions
from domain.identity import service as identity
from domain.identity.errors import MfaRequired, WrongPassword
from domain.identity.schemas import TokenOut
from keel import crypto
from keel.settings import Settings

MFA_AUDIENCE = "keel-mfa"
MFA_TOKEN_SECONDS = 300
REFRESH_SECONDS = 30 * 24 * 3600  # a session lasts 30 days from sign-in, however often it refreshes


@dataclass(frozen=True)
class _Proof:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    mfa: bool  # the second factor was shown
    enrol: bool  # the policy asks for a factor the user has not set up


class SignIn:
    def __init__(self, request: Request, engine: Engine, settings: Settings) -> None:
        self.request = request
        self.engine = engine
        self.settings = settings
        self.limiter = request.app.state.login_limiter
        self.ip = request.client.host if request.client else None

    # -- grants ------------------------------------------------------------------------------------
    async def password(self, login: str, password: str, tenant: str | None) -> dict[str, Any]:
        key = f"{self.ip or '-'}|{login}"
        self.limiter.check(key)

        def check() -> tuple[uuid.UUID, uuid.UUID]:
            with system_session(self.engine) as session:
                return identity.authenticate_password(session, login, password, tenant)

        try:
            tenant_id, user_id = await run_in_threadpool(check)
        except Unauthenticated as exc:
            self.limiter.fail(key)
            if isinstance(exc, WrongPassword):  # a known account: audited in its tenant, committed
                await run_in_threadpool(self._failed, exc.tenant_id, exc.user_id)
            raise
        factor = await run_in_threadpool(self._factor, tenant_id, user_id)
        if factor == "enrolled":
            token = secrets.issue_token(
                self.settings.require_jwt_secret(),
                user_id=user_id,
                tenant_id=tenant_id,
                ttl_seconds=MFA_TOKEN_SECONDS,
                audience=MFA_AUDIENCE,
            )
            raise MfaRequired(
                "Enter the code of your authenticator (grant_type=mfa_otp with this mfa_token).",
                {"mfa_token": token.token, "expires_in": token.expires_in},
            )
        proof = _Proof(tenant_id, user_id, mfa=False, enrol=factor == "required")
        return await run_in_threadpool(self._start, proof)

    async def second_step(self, mfa_token: str, code: str) -> dict[str, Any]:
        claims = secrets.decode_claims(self.settings.require_jwt_secret(), mfa_token, audience=MFA_AUDIENCE)
        key = f"mfa|{claims.user_id}"
        self.limiter.check(key)
        box = crypto.box(self.settings)

        def verify() -> bool:
            with tenant_session(self.engine, claims.tenant_id) as session:
                ctx = self._ctx(claims.tenant_id, claims.user_id)
                return mfa.check(session, ctx, box, claims.user_id, code)

        if not await run_in_threadpool(verify):  # committed: the failure is in the audit log
            self.limiter.fail(key)
            raise Unauthenticated("The code is not valid.")
        return await run_in_threadpool(
            self._start, _Proof(claims.tenant_id, claims.user_id, mfa=True, enrol=False)
        )

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        def rotate() -> tuple[sessions.Refreshed, bool]:
            with system_session(self.engine) as session:
                turned = sessions.refresh(session, refresh_token, ip=self.ip)
                if turned.refresh_token is None:
                    return turned, False
                identity.load_principal(session, turned.tenant_id, turned.user_id)  # still active
                return turned, self._must_enrol(session, turned.tenant_id, turned.user_id)

        turned, enrol = await run_in_threadpool(rotate)  # a reuse's revocation is committed
        if turned.refresh_token is None:
            raise Unauthenticated("The refresh token was used before: its session is revoked. Sign in again.")
        access = self._access(turned.tenant_id, turned.user_id, turned.session_id, enrol)
        return _answer(access, turned.refresh_token)

    # -- steps -------------------------------------------------------------------------------------
    def _ctx(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> TenantContext:
        return TenantContext(
            tenant_id=tenant_id,
            tenant_domain="",
            user_id=user_id,
            actor_type="user",
            ip=self.ip,
            user_agent=self.request.headers.get("user-agent"),
        )

    def _failed(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
        with tenant_session(self.engine, tenant_id) as session:
            ctx = self._ctx(tenant_id, user_id)
            audit.record(session, ctx, "auth.sign_in_failed", "user", user_id, {"reason": [None, "password"]})

    @staticmethod
    def _must_enrol(session: Session, tenant_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        return mfa.required(session, tenant_id, user_id) and not mfa.enrolled(session, tenant_id, user_id)

    def _factor(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> str:
        """enrolled | required (by policy, not set up) | none."""
        with tenant_session(self.engine, tenant_id) as session:
            if mfa.enrolled(session, tenant_id, user_id):
                return "enrolled"
            return "required" if mfa.required(session, tenant_id, user_id) else "none"

    def _start(self, proof: _Proof) -> dict[str, Any]:
        with tenant_session(self.engine, proof.tenant_id) as session:
            started = sessions.start(
                session,
                self._ctx(proof.tenant_id, proof.user_id),
                proof.user_id,
                ttl_seconds=REFRESH_SECONDS,
                mfa=proof.mfa,
                ip=self.ip,
                user_agent=self.request.headers.get("user-agent"),
            )
        access = self._access(proof.tenant_id, proof.user_id, started.session_id, proof.enrol)
        return _answer(access, started.refresh_token)

    def _access(
        self, tenant_id: uuid.UUID, user_id: uuid.UUID, session_id: uuid.UUID, enrol: bool
    ) -> secrets.AccessToken:
        return secrets.issue_token(
            self.settings.require_jwt_secret(),
            user_id=user_id,
            tenant_id=tenant_id,
            ttl_seconds=self.settings.jwt_ttl_seconds,
            session_id=session_id,
            enrol_mfa=enrol,
        )


def _answer(access: secrets.AccessToken, refresh_token: str) -> dict[str, Any]:
    out = TokenOut(
        access_token=access.token, expires_in=access.expires_in, refresh_token=refresh_token
    ).model_dump()
    return out | success(out)

"""A second factor: TOTP (RFC 6238, what authenticator apps speak) and ten single-use recovery codes.

Enrolment answers a new secret as an ``otpauth://`` URI and its QR code (PNG); a first valid code
confirms it and answers the recovery codes, once (only their hashes are kept). A code is accepted
for the current 30-second step or the one before or after, and never twice: the last step used is
kept, so a code seen over a shoulder cannot be replayed. The secret is stored sealed with
``KEEL_SECRETS_KEYS``. A second factor is required of a user who has one, and of everyone when the
tenant's settings say ``mfa_required`` or one of their roles does.
"""

from __future__ import annotations

import base64
import io
import secrets as random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
import qrcode
from qrcode.image.pure import PyPNGImage
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Role, Tenant, UserMfa, UserRole
from domain.audit import service as audit
from domain.context import TenantContext
from domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from domain.identity import secrets
from domain.queries import live
from keel.crypto import SecretBox

ISSUER = "Keel"
RECOVERY_CODES = 10
WINDOW = 1  # steps either side of now


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_png: bytes


def _me(ctx: TenantContext) -> uuid.UUID:
    """Only a signed-in person manages their own second factor (not an API key acting for them)."""
    if ctx.user_id is None or ctx.actor_type != "user":
        raise PermissionDenied("Sign in with your password to manage your second factor.")
    return ctx.user_id


def _row(session: Session, tenant_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False) -> UserMfa | None:
    stmt = live(TenantContext.system(tenant_id), UserMfa).where(UserMfa.user_id == user_id)
    return session.scalar(stmt.with_for_update() if lock else stmt)


def _recovery_codes() -> list[str]:
    return [f"{random.token_hex(3)}-{random.token_hex(3)}" for _ in range(RECOVERY_CODES)]


def enrolled(session: Session, tenant_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    row = _row(session, tenant_id, user_id)
    return row is not None and row.confirmed_at is not None


def required(session: Session, tenant_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """The tenant's policy or one of the user's roles asks for a second factor."""
    tenant = session.get(Tenant, tenant_id)
    if tenant is not None and (tenant.settings or {}).get("mfa_required") is True:
        return True
    by_role = session.scalar(
        select(Role.id)
        .join(UserRole, UserRole.role_id == Role.id)
        .where(UserRole.user_id == user_id, Role.mfa_required.is_(True), Role.deleted_at.is_(None))
        .limit(1)
    )
    return by_role is not None


def status(session: Session, ctx: TenantContext) -> dict[str, object]:
    user_id = _me(ctx)
    row = _row(session, ctx.tenant_id, user_id)
    on = row is not None and row.confirmed_at is not None
    return {
        "enabled": on,
        "confirmed_at": row.confirmed_at.isoformat() if on and row and row.confirmed_at else None,
        "recovery_codes_left": len(row.recovery_hashes) if on and row else 0,
        "required": required(session, ctx.tenant_id, user_id),
    }


def enrol(session: Session, ctx: TenantContext, box: SecretBox) -> Enrolment:
    """A new secret to confirm (an unconfirmed one is replaced); 409 when a factor is on already."""
    user_id = _me(ctx)
    row = _row(session, ctx.tenant_id, user_id, lock=True)
    if row is not None and row.confirmed_at is not None:
        raise Conflict("A second factor is on already: turn it off first to enrol another.")
    secret = pyotp.random_base32()
    if row is None:
        row = UserMfa(tenant_id=ctx.tenant_id, user_id=user_id, last_step=0, recovery_hashes=[])
        session.add(row)
    row.totp_secret, row.enrolled_by = box.seal(secret), user_id
    session.flush()
    uri = pyotp.TOTP(secret).provisioning_uri(name=ctx.email or str(user_id), issuer_name=ISSUER)
    image = io.BytesIO()
    qrcode.make(uri, image_factory=PyPNGImage).save(image)
    return Enrolment(secret, uri, image.getvalue())


def _step_of(box: SecretBox, row: UserMfa, code: str) -> int | None:
    """The time step ``code`` is valid for, after the last one used; else None."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(box.open(row.totp_secret))
    now = datetime.now(UTC)
    for offset in range(-WINDOW, WINDOW + 1):
        step = int(totp.timecode(now)) + offset
        if step > row.last_step and random.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm(session: Session, ctx: TenantContext, box: SecretBox, code: str) -> list[str]:
    """Turn the enrolled factor on with its first code; the recovery codes (shown once)."""
    user_id = _me(ctx)
    row = _row(session, ctx.tenant_id, user_id, lock=True)
    if row is None or row.confirmed_at is not None:
        raise Conflict("Enrol first (POST /me/mfa/totp); a factor that is on needs no confirming.")
    step = _step_of(box, row, code.strip())
    if step is None:
        audit.record(session, ctx, "mfa.failed", "user", user_id, {"during": [None, "confirm"]})
        raise ValidationFailed.one("code", "is not the current code of the authenticator")
    codes = _recovery_codes()
    row.last_step, row.confirmed_at = step, datetime.now(UTC)
    row.recovery_hashes = [secrets.digest(c) for c in codes]
    session.flush()
    audit.record(session, ctx, "mfa.enabled", "user", user_id, {"mfa": [False, True]})
    return codes


def check(session: Session, ctx: TenantContext, box: SecretBox, user_id: uuid.UUID, code: str) -> bool:
    """Whether ``code`` (a TOTP code, or an unused recovery code, then spent) proves the factor;
    a failure is audited as a security event."""
    row = _row(session, ctx.tenant_id, user_id, lock=True)
    if row is None or row.confirmed_at is None:
        return False
    code = code.strip().lower()
    step = _step_of(box, row, code)
    if step is not None:
        row.last_step = step
        session.flush()
        return True
    hashed = secrets.digest(code)
    if hashed in row.recovery_hashes:
        row.recovery_hashes = [h for h in row.recovery_hashes if h != hashed]
        session.flush()
        audit.record(
            session,
            ctx,
            "mfa.recovery_code_used",
            "user",
            user_id,
            {"left": [None, len(row.recovery_hashes)]},
        )
        return True
    audit.record(session, ctx, "mfa.failed", "user", user_id, {"during": [None, "sign-in"]})
    return False


def disable(session: Session, ctx: TenantContext, box: SecretBox, code: str) -> None:
    """Turn the caller's factor off, with a current code (or a recovery code)."""
    user_id = _me(ctx)
    if not enrolled(session, ctx.tenant_id, user_id):
        raise NotFound("second factor")
    if not check(session, ctx, box, user_id, code):
        raise ValidationFailed.one("code", "is not a current or recovery code")
    _remove(session, ctx, user_id, "mfa.disabled")


def new_recovery_codes(session: Session, ctx: TenantContext, box: SecretBox, code: str) -> list[str]:
    user_id = _me(ctx)
    if not enrolled(session, ctx.tenant_id, user_id):
        raise NotFound("second factor")
    if not check(session, ctx, box, user_id, code):
        raise ValidationFailed.one("code", "is not a current or recovery code")
    row = _row(session, ctx.tenant_id, user_id, lock=True)
    assert row is not None
    codes = _recovery_codes()
    row.recovery_hashes = [secrets.digest(c) for c in codes]
    session.flush()
    audit.record(session, ctx, "mfa.recovery_codes_renewed", "user", user_id, {"left": [None, len(codes)]})
    return codes


def reset(session: Session, ctx: TenantContext, user_id: uuid.UUID) -> None:
    """Remove a user's factor (an administrator's act, checked by the caller: a lost phone); the
    user enrols again."""
    if not enrolled(session, ctx.tenant_id, user_id):
        raise NotFound("second factor")
    _remove(session, ctx, user_id, "mfa.reset")


def _remove(session: Session, ctx: TenantContext, user_id: uuid.UUID, action: str) -> None:
    row = _row(session, ctx.tenant_id, user_id, lock=True)
    if row is not None:
        session.delete(row)
        session.flush()
    audit.record(session, ctx, action, "user", user_id, {"mfa": [True, False]})


def png_base64(png: bytes) -> str:
    return base64.b64encode(png).decode()

"""What a signer does through their link: view, fetch the document and its pages, ask for a code,
sign, decline. The token names the tenant, the request and the signer; every function here runs in
that tenant's session (``signing_unit``) as the platform acting for the signer.

A link stops working (410) once its signer acted, or the request is voided, declined, expired or
completed; the completed document stays downloadable by every person of the request until the
link's expiry. Two signs (or a sign and a decline) of one signer at once: the first takes the
signer's row lock, the other gets 409 at once rather than waiting.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models.signing import SigningRequest, SigningSigner
from domain.context import TenantContext
from domain.documents import service as documents
from domain.documents.rendering import page_png
from domain.errors import Conflict, DomainError, NotFound, RateLimited, ValidationFailed
from domain.notifications.tracking import mask
from domain.outputs import from_row
from domain.queries import find, live
from domain.signing import notify, signatures, trail
from domain.signing.errors import ActingElsewhere, LinkGone, LinkNotFound, SignerLocked
from domain.signing.requests import close, emit, now
from domain.signing.schemas import (
    DeclineIn,
    FieldOut,
    SignIn,
    SigningView,
    ViewDocument,
    ViewPage,
    ViewRequest,
    ViewSigner,
)
from domain.signing.tokens import otp_hash, read_token

OTP_TTL = timedelta(minutes=10)
OTP_RESEND_AFTER = timedelta(seconds=30)
OTP_MAX_SENDS = 5
OTP_MAX_FAILURES = 3
PAGE_SCALE = 1.5  # pixels per point of a page image (108 dpi): legible on a phone, small enough
LOCK_NOT_AVAILABLE = "55P03"


@dataclass(frozen=True)
class Link:
    ctx: TenantContext
    request: SigningRequest
    signer: SigningSigner


@dataclass(frozen=True)
class Attempt:
    """The outcome of a sign: the workflow to tell, or the error to answer once what the attempt
    changed (a wrong code counted, a lock) is committed."""

    workflow_id: str | None = None
    error: DomainError | None = None


def tenant_of(token: str, *, secret: str) -> TenantContext:
    """The platform acting in the token's tenant; a token this key did not sign is a 404."""
    claims = read_token(secret, token)
    if claims is None:
        raise LinkNotFound()
    return TenantContext.system(claims.tenant_id)


def open_link(session: Session, token: str, *, secret: str, lock: bool = False) -> Link:
    claims = read_token(secret, token)
    if claims is None:
        raise LinkNotFound()
    ctx = TenantContext.system(claims.tenant_id)
    request = find(session, ctx, SigningRequest, claims.request_id)
    if request is None or int(request.expires_at.timestamp()) != int(claims.expires_at.timestamp()):
        raise LinkNotFound()
    try:
        stmt = live(ctx, SigningSigner).where(SigningSigner.id == claims.signer_id)
        signer = session.scalar(stmt.with_for_update(nowait=True) if lock else stmt)
    except OperationalError as exc:
        if LOCK_NOT_AVAILABLE in (getattr(exc.orig, "pgcode", None), getattr(exc.orig, "sqlstate", None)):
            raise ActingElsewhere() from exc
        raise
    if signer is None or signer.request_id != request.id:
        raise LinkNotFound()
    return Link(ctx, request, signer)


def _usable(link: Link) -> None:
    request, signer = link.request, link.signer
    if request.status in ("voided", "declined", "expired"):
        raise LinkGone(f"the request was {request.status}")
    if signer.status in ("signed", "declined"):
        raise LinkGone(f"you already {signer.status}")
    if request.status != "sent":
        raise LinkGone(f"the request is {request.status}")
    if now() >= request.expires_at:
        raise LinkGone("the request expired")
    if signer.role == "cc":
        raise Conflict("A cc recipient has nothing to sign; the completed document is emailed to you.")
    if signer.status == "waiting":
        raise Conflict("Others sign before you: you will be emailed when it is your turn.")
    if signer.locked_at is not None:
        raise SignerLocked()


def view_for_token(
    session: Session, token: str, *, secret: str, ip: str | None, user_agent: str | None
) -> SigningView:
    """What the signer sees; the first view is recorded (audit line and ``signing_request.viewed``)."""
    link = open_link(session, token, secret=secret)
    _usable(link)
    ctx, request, signer = link.ctx, link.request, link.signer
    if trail.record(
        session,
        ctx,
        request,
        "viewed",
        signer=signer,
        ip=ip,
        user_agent=user_agent,
        step=f"viewed:{signer.id}",
    ):
        signer.viewed_at = now()
        if signer.status == "sent":
            signer.status = "viewed"
        session.flush()
        emit(session, ctx, request, "viewed", signer=signer, dedup=f"viewed:{signer.id}")
    base = f"/api/v1/public/signing/{token}/pages"
    return SigningView(
        request=from_row(ViewRequest, request),
        signer=from_row(ViewSigner, signer),
        document=ViewDocument(
            name=request.document_name, page_count=len(request.page_sizes), sha256=request.original_sha256
        ),
        fields=[FieldOut.model_validate(f) for f in request.fields if f["signer_id"] == str(signer.id)],
        pages=[
            ViewPage(number=n, width=w, height=h, image_url=f"{base}/{n}")
            for n, (w, h) in enumerate(request.page_sizes, start=1)
        ],
    )


def document_for_token(session: Session, token: str, *, secret: str, store: ObjectStore) -> tuple[str, bytes]:
    """The document to sign (its file name and bytes), or the sealed result once completed."""
    link = open_link(session, token, secret=secret)
    request = link.request
    if request.status == "completed" and request.final_version is not None:
        if now() >= request.expires_at:
            raise LinkGone("the link expired")
        version = request.final_version
    else:
        _usable(link)
        version = request.document_version
    _, content = documents.read_content(session, link.ctx, store, request.document_id, version)
    return request.document_name, content


def page_for_token(session: Session, token: str, number: int, *, secret: str, store: ObjectStore) -> bytes:
    link = open_link(session, token, secret=secret)
    _usable(link)
    request = link.request
    if not 1 <= number <= len(request.page_sizes):
        raise NotFound("page", number)
    _, content = documents.read_content(
        session, link.ctx, store, request.document_id, request.document_version
    )
    return page_png(content, number, scale=PAGE_SCALE)


def send_code(session: Session, token: str, *, secret: str, ip: str | None, user_agent: str | None) -> str:
    """Text a fresh one-time code to a signer whose auth is ``sms_otp``; the masked number."""
    link = open_link(session, token, secret=secret)
    _usable(link)
    ctx, request, signer = link.ctx, link.request, link.signer
    if signer.auth != "sms_otp" or signer.phone is None:
        raise Conflict("This signer confirms by email link alone: there is no code to send.")
    moment = now()
    if signer.otp_sent_at is not None and moment - signer.otp_sent_at < OTP_RESEND_AFTER:
        wait = OTP_RESEND_AFTER - (moment - signer.otp_sent_at)
        raise RateLimited("A code was sent moments ago.", retry_after=max(1, int(wait.total_seconds()) + 1))
    if signer.otp_sends >= OTP_MAX_SENDS:
        raise RateLimited("Too many codes were sent for this signer.", retry_after=3600)
    code = f"{secrets.randbelow(1_000_000):06d}"
    signer.otp_hash = otp_hash(secret, signer.id, code)
    signer.otp_expires_at = moment + OTP_TTL
    signer.otp_sent_at = moment
    signer.otp_sends += 1
    session.flush()
    notify.one_time_code(session, ctx, request, signer, code, f"code:{signer.otp_sends}")
    trail.record(session, ctx, request, "otp_sent", signer=signer, ip=ip, user_agent=user_agent)
    return mask(signer.phone)


def _check_code(
    session: Session, link: Link, code: str | None, *, secret: str, ip: str | None, ua: str | None
) -> DomainError | None:
    """None when the code is right; otherwise the failure is counted (three lock the signer) and
    the error to answer is returned, to be raised after the commit."""
    signer = link.signer
    if not code:
        return ValidationFailed.one("otp", "is required: ask for a code with POST …/otp")
    if signer.otp_hash is None or signer.otp_expires_at is None or now() >= signer.otp_expires_at:
        return ValidationFailed.one("otp", "no valid code: ask for a new one with POST …/otp")
    if secrets.compare_digest(signer.otp_hash, otp_hash(secret, signer.id, code.strip())):
        signer.otp_hash = None  # one use
        signer.otp_verified_at = now()
        trail.record(session, link.ctx, link.request, "otp_verified", signer=signer, ip=ip, user_agent=ua)
        return None
    signer.otp_failures += 1
    trail.record(
        session,
        link.ctx,
        link.request,
        "otp_failed",
        signer=signer,
        ip=ip,
        user_agent=ua,
        details={"failures": signer.otp_failures},
    )
    if signer.otp_failures >= OTP_MAX_FAILURES:
        signer.locked_at = now()
        signer.otp_hash = None
    session.flush()
    return ValidationFailed.one("otp", "is not the code we sent", code="wrong_code")


def sign(
    session: Session, token: str, body: SignIn, *, secret: str, ip: str | None, user_agent: str | None
) -> Attempt:
    link = open_link(session, token, secret=secret, lock=True)
    _usable(link)
    ctx, request, signer = link.ctx, link.request, link.signer
    if not body.consent:
        raise ValidationFailed.one("consent", "must be true: you agree to sign electronically")
    value, _png = signatures.checked(body.signature)
    values = _field_values(request, signer, body.fields)
    if signer.auth == "sms_otp":
        wrong = _check_code(session, link, body.otp, secret=secret, ip=ip, ua=user_agent)
        if wrong is not None:
            return Attempt(error=wrong)
    moment = now()
    signer.status = "signed"
    signer.acted_at = moment
    signer.signature_type = body.signature.type
    signer.signature_value = value
    signer.field_values = values
    signer.ip = ip
    signer.user_agent = user_agent[:500] if user_agent else None
    session.flush()
    details = {"signature_type": body.signature.type, "role": signer.role}
    trail.record(
        session, ctx, request, "signed", signer=signer, ip=ip, user_agent=user_agent, details=details
    )
    emit(session, ctx, request, "signed", signer=signer, dedup=f"signed:{signer.id}")
    return Attempt(workflow_id=request.workflow_id)


def _field_values(request: SigningRequest, signer: SigningSigner, given: dict[str, str]) -> dict[str, str]:
    mine = {f["id"]: f for f in request.fields if f["signer_id"] == str(signer.id)}
    problems = [f"fields.{k}" for k in given if k not in mine]
    if problems:
        raise ValidationFailed.one(problems[0], "is not one of your fields")
    values = {}
    for field_id, field in mine.items():
        if field["type"] != "text":
            continue  # signature, initials and date are filled from the signature and the time
        text = unicodedata.normalize("NFC", given.get(field_id) or "").strip()
        if not text:
            raise ValidationFailed.one(f"fields.{field_id}", "is required")
        if not signatures.printable(text, lines=True):
            raise ValidationFailed.one(f"fields.{field_id}", "must be printable text")
        values[field_id] = text
    return values


def decline(
    session: Session, token: str, body: DeclineIn, *, secret: str, ip: str | None, user_agent: str | None
) -> str:
    """Decline for everyone: the request ends. The workflow to tell."""
    link = open_link(session, token, secret=secret, lock=True)
    _usable(link)
    ctx, signer = link.ctx, link.signer
    request = find(session, ctx, SigningRequest, link.request.id, for_update=True)
    assert request is not None
    signer.status = "declined"
    signer.acted_at = now()
    signer.decline_reason = body.reason
    signer.ip = ip
    signer.user_agent = user_agent[:500] if user_agent else None
    session.flush()
    close(session, ctx, request, "declined", body.reason, signer=signer, ip=ip, user_agent=user_agent)
    return request.workflow_id

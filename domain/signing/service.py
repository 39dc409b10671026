"""Signing requests as the sender sees them: create, list, read, void, remind, the audit trail and
the sealed result. What a signer does through their link is in ``signer_actions``; what the
workflow does in ``process``.

A request pins the document's current version: signers see and sign exactly those bytes, whose
sha256 every audit line carries until the sealed result (a new version of the same document)
replaces it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models.signing import SigningRequest, SigningSigner
from domain.audit import service as audit
from domain.context import TenantContext
from domain.documents import service as documents
from domain.documents.pdf import PdfLimits, inspect_pdf
from domain.documents.schemas import DocumentLimits
from domain.errors import FieldError, ValidationFailed
from domain.pagination import live_page
from domain.signing import notify, planning, trail
from domain.signing.errors import NotCompleted, RequestClosed
from domain.signing.requests import OPEN, acting, close, load, now, signers_of, workflow_id
from domain.signing.schemas import ACTING_ROLES, AuditEntryOut, SigningRequestIn, SigningRun
from domain.signing.signer_actions import view_for_token

READ = "signing:read"
WRITE = "signing:write"
PDF = "application/pdf"

__all__ = [
    "audit_trail",
    "create_request",
    "final_document",
    "get_request",
    "list_requests",
    "remind_now",
    "run_of",
    "view_for_token",
    "void_request",
]


def create_request(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    body: SigningRequestIn,
    *,
    limits: DocumentLimits,
) -> SigningRequest:
    """Check everything, then record the request, its signers and its first audit line. The caller
    starts its workflow once this is committed; the workflow sends the first invitations."""
    ctx.require(WRITE)
    document = documents.get_document(session, ctx, body.document_id)
    problems: list[FieldError] = []
    if document.status != "ready" or document.version == 0:
        raise ValidationFailed.one("document_id", f"the document is {document.status}, not ready")
    if document.content_type != PDF:
        raise ValidationFailed.one("document_id", "only a PDF document can be signed")
    problems += planning.check_durations(body)
    signers, signer_problems = planning.plan_signers(body)
    problems += signer_problems
    version, pdf = documents.read_content(session, ctx, store, document.id)
    info = inspect_pdf(pdf, field="document_id", limits=PdfLimits(max_pages=limits.max_pages))
    sizes = [list(size) for size in info.page_sizes]
    fields: list[dict[str, object]] = []
    if not signer_problems:
        fields, field_problems = planning.plan_fields(body, signers, sizes, pdf)
        problems += field_problems
    if problems:
        raise ValidationFailed(problems)
    request_id = uuid.uuid4()
    request = SigningRequest.new(
        ctx,
        id=request_id,
        document_id=document.id,
        document_version=version.version,
        document_name=document.name,
        original_sha256=version.sha256,
        page_sizes=sizes,
        **body.model_dump(include={"title", "message"}),
        status="sent",
        current_order=1,
        fields=fields,
        expires_at=now() + body.expires_in,
        reminder_every_seconds=int(body.reminders.every.total_seconds()) if body.reminders else None,
        reminders_sent=0,
        workflow_id=workflow_id(request_id),
        created_by=ctx.actor_id,
    )
    session.add(request)
    session.flush()
    for planned in signers:
        signer = planned.body
        first = signer.order == 1 and signer.role in ACTING_ROLES
        session.add(
            SigningSigner.new(
                ctx,
                id=planned.id,
                request_id=request.id,
                position=planned.position,
                **signer.model_dump(include={"name", "order", "role", "auth"}),
                email=str(signer.email).lower(),
                phone=planned.phone,
                status="cc" if signer.role == "cc" else "sent" if first else "waiting",
                field_values={},
                otp_sends=0,
                otp_failures=0,
            )
        )
    session.flush()
    trail.record(
        session,
        ctx,
        request,
        "created",
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        details={"by": str(ctx.actor_id)},
    )
    audit.record(
        session,
        ctx,
        "signing_request.created",
        "signing_request",
        request.id,
        {"document_id": [None, str(document.id)], "signers": [None, len(signers)]},
    )
    return request


def run_of(request: SigningRequest) -> SigningRun:
    return SigningRun(
        tenant_id=request.tenant_id,
        request_id=request.id,
        expires_at=request.expires_at,
        remind_every_seconds=request.reminder_every_seconds,
    )


def get_request(session: Session, ctx: TenantContext, request_id: uuid.UUID) -> SigningRequest:
    ctx.require(READ)
    return load(session, ctx, request_id)


def list_requests(
    session: Session,
    ctx: TenantContext,
    *,
    status: str | None,
    document_id: uuid.UUID | None,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[SigningRequest], str | None]:
    ctx.require(READ)
    equal = {"status": status, "document_id": document_id}
    return live_page(session, ctx, SigningRequest, equal=equal, limit=limit, cursor=cursor)


def void_request(session: Session, ctx: TenantContext, request_id: uuid.UUID, reason: str) -> SigningRequest:
    """Withdraw an open request: its links stop working (410) and those invited are told."""
    ctx.require(WRITE)
    request = load(session, ctx, request_id, lock=True)
    if request.status not in OPEN:
        raise RequestClosed(request.status)
    close(session, ctx, request, "voided", reason, ip=ctx.ip, user_agent=ctx.user_agent)
    audit.record(
        session, ctx, "signing_request.voided", "signing_request", request.id, {"status": ["sent", "voided"]}
    )
    return request


def remind_now(
    session: Session, ctx: TenantContext, request_id: uuid.UUID, *, secret: str, base_url: str, at: datetime
) -> list[SigningSigner]:
    """Email again everyone whose turn it is and who has not acted; who was reminded."""
    ctx.require(WRITE)
    request = load(session, ctx, request_id, lock=True)
    if request.status not in OPEN:
        raise RequestClosed(request.status)
    step = f"manual-reminder:{at:%Y%m%dT%H%M%S%f}"
    return remind_pending(session, ctx, request, step, secret=secret, base_url=base_url)


def remind_pending(
    session: Session, ctx: TenantContext, request: SigningRequest, step: str, *, secret: str, base_url: str
) -> list[SigningSigner]:
    reminded = []
    for signer in acting(signers_of(session, ctx, request)):
        if signer.order != request.current_order or signer.status not in ("sent", "viewed"):
            continue
        if notify.linked(session, ctx, request, signer, step, secret=secret, base_url=base_url):
            trail.record(session, ctx, request, "reminded", signer=signer, step=f"{step}:{signer.id}")
            reminded.append(signer)
    if reminded:
        request.reminders_sent += 1
        session.flush()
    return reminded


def audit_trail(session: Session, ctx: TenantContext, request_id: uuid.UUID) -> list[AuditEntryOut]:
    ctx.require(READ)
    return trail.entries(session, ctx, load(session, ctx, request_id))


def final_document(
    session: Session, ctx: TenantContext, store: ObjectStore, request_id: uuid.UUID
) -> tuple[SigningRequest, bytes]:
    """The sealed result; 409 until the request is completed."""
    ctx.require(READ)
    request = load(session, ctx, request_id)
    if request.status != "completed" or request.final_version is None:
        raise NotCompleted(request.status)
    _, content = documents.read_content(session, ctx, store, request.document_id, request.final_version)
    return request, content

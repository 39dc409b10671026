"""The signing workflow's steps. Each re-reads the request under its row lock and acts on what it
finds, so a lost signal or a retried activity never leaves it wrong:

- ``advance``: when every signer and approver of the current order has signed, the next order's
  turn comes (or, after the last, ``completing``); whoever's turn it is and was not emailed yet
  is invited. Each invitation is written with its ``notified_at`` and audit line in one
  transaction, under a dedup key, so a crash between two signers emails nobody twice.
- ``remind``: a reminder round to those who have not acted.
- ``expire``: at the deadline, an open request expires (unless everyone signed meanwhile).
- ``complete``: the values drawn into their boxes, the certificate appended, the whole sealed and
  stored as the document's next version; then everyone, cc included, is emailed.
"""

from __future__ import annotations

import base64
import uuid

from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models import DocumentVersion
from db.models.signing import SigningRequest, SigningSigner
from domain.context import TenantContext
from domain.documents import service as documents
from domain.documents.schemas import DocumentLimits
from domain.errors import NotFound
from domain.outputs import from_row
from domain.signing import notify, trail
from domain.signing.completion import (
    CertificateEvent,
    CertificateSigner,
    CompletionCertificate,
    Placement,
    complete_pdf,
)
from domain.signing.keys import seal_key
from domain.signing.requests import OPEN, acting, close, emit, load, now, signers_of
from domain.signing.seal import seal_pdf
from domain.signing.service import remind_pending
from domain.signing.signatures import DATA_URL_PREFIX, initials
from keel.settings import Settings

SEAL_REASON = "Signed by every party; sealed by Keel"


def advance(
    session: Session, ctx: TenantContext, request_id: uuid.UUID, *, secret: str, base_url: str
) -> str:
    request = load(session, ctx, request_id, lock=True)
    if request.status not in OPEN:
        return request.status
    signers = acting(signers_of(session, ctx, request))
    while all(s.status == "signed" for s in signers if s.order == request.current_order):
        following = [s for s in signers if s.order > request.current_order]
        if not following:
            request.status = "completing"
            session.flush()
            return request.status
        request.current_order = min(s.order for s in following)
        for signer in signers:
            if signer.order == request.current_order and signer.status == "waiting":
                signer.status = "sent"
        session.flush()
    invited = 0
    for signer in signers:
        if signer.order != request.current_order or signer.notified_at is not None:
            continue
        if signer.status not in ("sent", "viewed"):
            continue
        notify.linked(session, ctx, request, signer, "invite", secret=secret, base_url=base_url)
        signer.notified_at = now()
        trail.record(session, ctx, request, "sent", signer=signer, step=f"sent:{signer.id}")
        invited += 1
    if invited:
        session.flush()
        order = request.current_order
        emit(session, ctx, request, "sent", dedup=f"sent:{order}", extra={"order": order})
    return request.status


def remind(
    session: Session, ctx: TenantContext, request_id: uuid.UUID, round_: int, *, secret: str, base_url: str
) -> str:
    status = advance(session, ctx, request_id, secret=secret, base_url=base_url)
    if status in OPEN:
        request = load(session, ctx, request_id, lock=True)
        remind_pending(session, ctx, request, f"reminder:{round_}", secret=secret, base_url=base_url)
    return status


def expire(session: Session, ctx: TenantContext, request_id: uuid.UUID, *, secret: str, base_url: str) -> str:
    status = advance(session, ctx, request_id, secret=secret, base_url=base_url)
    if status not in OPEN:
        return status
    # The workflow's durable timer decides the moment, not this machine's clock.
    request = load(session, ctx, request_id, lock=True)
    close(session, ctx, request, "expired", None)
    return request.status


def complete(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    request_id: uuid.UUID,
    *,
    settings: Settings,
    secret: str,
    base_url: str,
) -> str:
    request = load(session, ctx, request_id, lock=True)
    if request.status != "completing":
        return request.status
    signers = signers_of(session, ctx, request)
    try:
        version = _seal_and_store(session, ctx, store, request, signers, settings)
    except NotFound:
        # The document was deleted while people signed: there is nothing to add the result to.
        close(session, ctx, request, "voided", "the document was deleted before the signed copy was stored")
        return request.status
    moment = now()
    request.final_version = version.version
    request.final_sha256 = version.sha256
    request.completed_at = moment
    request.status = "completed"
    request.closed_at = moment
    session.flush()
    trail.record(session, ctx, request, "completed", details={"version": version.version}, step="completed")
    emit(session, ctx, request, "completed", dedup="completed", extra={"version": version.version})
    for signer in signers:
        notify.linked(session, ctx, request, signer, "completed", secret=secret, base_url=base_url)
    return request.status


def _seal_and_store(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    request: SigningRequest,
    signers: list[SigningSigner],
    settings: Settings,
) -> DocumentVersion:
    """The values drawn, the certificate appended, the seal applied; stored as the next version."""
    _, original = documents.read_content(session, ctx, store, request.document_id, request.document_version)
    certificate = _certificate(session, ctx, request, signers)
    unsealed = complete_pdf(original, _placements(request, signers), certificate)
    sealed = seal_pdf(unsealed, seal_key(settings, ctx.tenant_id), reason=SEAL_REASON)
    return documents.add_version(
        session,
        ctx,
        store,
        request.document_id,
        sealed,
        source="signing",
        note=f"signed: {request.title}"[:500],
        limits=DocumentLimits.of(settings),
        filename=f"{request.id}.pdf",
        claimed_type="application/pdf",
    )


def _placements(request: SigningRequest, signers: list[SigningSigner]) -> list[Placement]:
    by_id = {str(s.id): s for s in signers}
    out = []
    for field in request.fields:
        signer = by_id[field["signer_id"]]
        drawn = None
        if signer.signature_type == "drawn" and signer.signature_value:
            drawn = base64.b64decode(signer.signature_value[len(DATA_URL_PREFIX) :])
        kind = field["type"]
        if kind == "text":
            value = signer.field_values.get(field["id"], "")
        elif kind == "date":
            value = (signer.acted_at or now()).date().isoformat()
        elif drawn is not None:
            value = ""
        else:
            value = signer.signature_value or signer.name
            if kind == "initials":
                value = initials(value)
        out.append(
            Placement(
                page=field["page"],
                x=field["x"],
                y=field["y"],
                width=field["width"],
                height=field["height"],
                kind=kind,
                value=value,
                drawn_png=drawn if kind in ("signature", "initials") else None,
            )
        )
    return out


def _certificate(
    session: Session, ctx: TenantContext, request: SigningRequest, signers: list[SigningSigner]
) -> CompletionCertificate:
    emails = {s.id: s.email for s in signers}
    events = [
        CertificateEvent(
            at=e.at, action=e.action, signer=emails.get(e.signer_id) if e.signer_id else None, ip=e.ip
        )
        for e in trail.entries(session, ctx, request)
    ][-1000:]
    return CompletionCertificate(
        title=request.title,
        document_name=request.document_name,
        original_sha256=request.original_sha256,
        completed_at=now(),
        signers=[from_row(CertificateSigner, s, signed_at=s.acted_at) for s in signers],
        events=events,
    )

"""Reading and changing one signing request: rows, views, events and the status changes every path
shares (the API, the workflow's activities and the signer's own actions)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.signing import SigningRequest, SigningSigner
from domain.context import TenantContext
from domain.durations import format_duration
from domain.events import service as events
from domain.outputs import from_row
from domain.queries import get_or_404, mine
from domain.signing import notify, trail
from domain.signing.schemas import ACTING_ROLES, FieldOut, SignerOut, SigningRequestOut

OPEN = ("sent",)  # a request signers may still act on


def now() -> datetime:
    return datetime.now(UTC)


def workflow_id(request_id: uuid.UUID) -> str:
    return f"signing-{request_id}"


def load(
    session: Session, ctx: TenantContext, request_id: uuid.UUID, *, lock: bool = False
) -> SigningRequest:
    return get_or_404(session, ctx, SigningRequest, request_id, "signing request", for_update=lock)


def signers_of(session: Session, ctx: TenantContext, request: SigningRequest) -> list[SigningSigner]:
    return list(
        session.scalars(
            select(SigningSigner)
            .where(*mine(ctx, SigningSigner), SigningSigner.request_id == request.id)
            .order_by(SigningSigner.position)
        )
    )


def acting(signers: list[SigningSigner]) -> list[SigningSigner]:
    return [s for s in signers if s.role in ACTING_ROLES]


def emit(
    session: Session,
    ctx: TenantContext,
    request: SigningRequest,
    what: str,
    *,
    signer: SigningSigner | None = None,
    dedup: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    payload: dict[str, Any] = {
        "signing_request_id": str(request.id),
        "document_id": str(request.document_id),
        "title": request.title,
        "status": request.status,
        "signer_id": str(signer.id) if signer else None,
        "signer_email": signer.email if signer else None,
        **(extra or {}),
    }
    key = f"signing:{request.id}:{dedup}" if dedup else None
    events.emit(session, ctx, f"signing_request.{what}", payload, dedup_key=key)


def close(
    session: Session,
    ctx: TenantContext,
    request: SigningRequest,
    status: str,
    reason: str | None,
    *,
    signer: SigningSigner | None = None,
    ip: str | None = None,
    user_agent: str | None = None,
) -> None:
    """End an open request without completing it (declined, voided, expired): the trail, the event,
    and a word to everyone invited so far. The caller holds the request's row lock."""
    request.status = status
    request.status_reason = reason
    request.closed_at = now()
    session.flush()
    details = {"reason": reason} if reason else {}
    trail.record(session, ctx, request, status, signer=signer, ip=ip, user_agent=user_agent, details=details)
    emit(session, ctx, request, status, signer=signer, dedup=status, extra={"reason": reason})
    for other in signers_of(session, ctx, request):
        if other.notified_at is not None and other.status in ("sent", "viewed") and other is not signer:
            notify.closed(session, ctx, request, other, status)


def view(session: Session, ctx: TenantContext, request: SigningRequest) -> SigningRequestOut:
    signers = signers_of(session, ctx, request)
    every = request.reminder_every_seconds
    return from_row(
        SigningRequestOut,
        request,
        reminder_every=format_duration(timedelta(seconds=every)) if every else None,
        signers=[SignerOut.model_validate(s) for s in signers],
        fields=[FieldOut.model_validate(f) for f in request.fields],
    )

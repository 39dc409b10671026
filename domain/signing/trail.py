"""A signing request's audit trail: who did what, when, from where, and the document's sha256 then.

Steps that happen once carry a ``step`` key (unique per request): a retried activity, a second view
or a repeated reminder round finds its line and records nothing more.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models.signing import SigningEvent, SigningRequest, SigningSigner
from domain.context import TenantContext
from domain.outputs import from_row
from domain.queries import mine
from domain.signing.schemas import AuditEntryOut

ACTIONS = (
    "created",
    "sent",
    "viewed",
    "otp_sent",
    "otp_verified",
    "otp_failed",
    "signed",
    "declined",
    "reminded",
    "completed",
    "expired",
    "voided",
)


def current_sha256(request: SigningRequest) -> str:
    """The sha256 of the document as it stands: the sealed result once there is one."""
    return request.final_sha256 or request.original_sha256


def record(
    session: Session,
    ctx: TenantContext,
    request: SigningRequest,
    action: str,
    *,
    signer: SigningSigner | None = None,
    ip: str | None = None,
    user_agent: str | None = None,
    details: dict[str, Any] | None = None,
    step: str | None = None,
) -> bool:
    """Add a line; False when ``step`` was recorded before (nothing is added then)."""
    assert action in ACTIONS, action
    values = {
        "id": uuid.uuid4(),
        "tenant_id": ctx.tenant_id,
        "request_id": request.id,
        "action": action,
        "signer_id": signer.id if signer else None,
        "ip": ip,
        "user_agent": user_agent[:500] if user_agent else None,
        "document_sha256": current_sha256(request),
        "details": details or {},
        "step": step,
    }
    stmt = insert(SigningEvent).values(**values)
    if step is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=[SigningEvent.request_id, SigningEvent.step])
    added = session.scalar(stmt.returning(SigningEvent.id))
    return added is not None


def entries(session: Session, ctx: TenantContext, request: SigningRequest) -> list[AuditEntryOut]:
    """Every line, oldest first, with the signer's email."""
    rows = session.execute(
        select(SigningEvent, SigningSigner.email)
        .outerjoin(SigningSigner, SigningSigner.id == SigningEvent.signer_id)
        .where(*mine(ctx, SigningEvent), SigningEvent.request_id == request.id)
        .order_by(SigningEvent.created_at, SigningEvent.id)
    ).all()
    return [from_row(AuditEntryOut, event, at=event.created_at, signer_email=email) for event, email in rows]

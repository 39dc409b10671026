"""The messages of a signing request, sent through the notification service.

Each message is a delivery written in the caller's transaction with a dedup key naming the request,
the person and the step (``signing:<request>:<signer>:invite``), and handed to the outbox
dispatcher: a step retried after a crash finds its delivery and sends nothing twice, and nothing
is sent for a transaction that rolled back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models import Delivery
from db.models.signing import SigningRequest, SigningSigner
from domain.context import TenantContext
from domain.deliveries import service as deliveries
from domain.queries import live
from domain.signing.tokens import sign_token

CATEGORY = "signing"
TEMPLATE = "notification"  # the built-in generic message: data ``title`` and ``body``


def link(secret: str, base_url: str, request: SigningRequest, signer: SigningSigner) -> str:
    token = sign_token(secret, request.tenant_id, request.id, signer.id, request.expires_at)
    return f"{base_url.rstrip('/')}/sign/{token}"


def document_link(secret: str, base_url: str, request: SigningRequest, signer: SigningSigner) -> str:
    token = sign_token(secret, request.tenant_id, request.id, signer.id, request.expires_at)
    return f"{base_url.rstrip('/')}/api/v1/public/signing/{token}/document"


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y %H:%M UTC")


def send(
    session: Session,
    ctx: TenantContext,
    request: SigningRequest,
    signer: SigningSigner,
    step: str,
    *,
    title: str,
    body: str,
    channel: str = "email",
) -> bool:
    """Queue one message once per ``step``; False when this step's message exists already."""
    key = f"signing:{request.id}:{signer.id}:{step}"
    if session.scalar(live(ctx, Delivery, deleted=True).where(Delivery.dedup_key == key)) is not None:
        return False
    recipient = {"email": signer.email} if channel == "email" else {"phone": signer.phone}
    deliveries.create(
        session,
        ctx,
        recipient=recipient,
        user_id=None,
        template=TEMPLATE,
        data={"title": title, "body": body},
        channels=[channel],
        category=CATEGORY,
        priority="high",
        dedup_key=key,
        hand_to_dispatcher=True,
    )
    return True


def invite(
    session: Session,
    ctx: TenantContext,
    request: SigningRequest,
    signer: SigningSigner,
    *,
    secret: str,
    base_url: str,
) -> bool:
    verb = "approve" if signer.role == "approver" else "sign"
    lines = [
        f"Hello {signer.name},",
        f'You are asked to {verb} "{request.document_name}": {request.title}.',
        *([request.message] if request.message else []),
        f"Open it here: {link(secret, base_url, request, signer)}",
        f"The link works until {_when(request.expires_at)}.",
    ]
    return send(
        session,
        ctx,
        request,
        signer,
        "invite",
        title=f"Please {verb}: {request.title}",
        body="\n\n".join(lines),
    )


def remind(
    session: Session,
    ctx: TenantContext,
    request: SigningRequest,
    signer: SigningSigner,
    step: str,
    *,
    secret: str,
    base_url: str,
) -> bool:
    lines = [
        f"Hello {signer.name},",
        f'"{request.document_name}" ({request.title}) is still waiting for you.',
        f"Open it here: {link(secret, base_url, request, signer)}",
        f"The link works until {_when(request.expires_at)}.",
    ]
    return send(
        session, ctx, request, signer, step, title=f"Reminder: {request.title}", body="\n\n".join(lines)
    )


def completed(
    session: Session,
    ctx: TenantContext,
    request: SigningRequest,
    signer: SigningSigner,
    *,
    secret: str,
    base_url: str,
) -> bool:
    lines = [
        f"Hello {signer.name},",
        f'Everyone has signed "{request.document_name}" ({request.title}).',
        f"The sealed document: {document_link(secret, base_url, request, signer)}",
        f"The link works until {_when(request.expires_at)}.",
    ]
    return send(
        session,
        ctx,
        request,
        signer,
        "completed",
        title=f"Completed: {request.title}",
        body="\n\n".join(lines),
    )


def closed(
    session: Session, ctx: TenantContext, request: SigningRequest, signer: SigningSigner, status: str
) -> bool:
    """Tell someone who was invited that the request ended without completing."""
    why = {"declined": "was declined", "voided": "was withdrawn by the sender", "expired": "expired"}[status]
    body = f'Hello {signer.name},\n\nThe signing request "{request.title}" {why}; nothing more is needed.'
    return send(
        session, ctx, request, signer, status, title=f"Signing request {status}: {request.title}", body=body
    )


def one_time_code(
    session: Session, ctx: TenantContext, request: SigningRequest, signer: SigningSigner, code: str, step: str
) -> bool:
    title = f'Your code to sign "{request.title}" is {code}'
    return send(
        session, ctx, request, signer, step, title=title, body="It is valid for 10 minutes.", channel="sms"
    )

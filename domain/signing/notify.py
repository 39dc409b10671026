"""The messages of a signing request, sent through the notification service.

Each message is a delivery written in the caller's transaction with a dedup key naming the request,
the person and the step (``signing:<request>:<signer>:invite``), and handed to the outbox
dispatcher: a step retried after a crash finds its delivery and sends nothing twice, and nothing
is sent for a transaction that rolled back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models.signing import SigningRequest, SigningSigner
from domain.context import TenantContext
from domain.deliveries import service as deliveries
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
    if deliveries.by_dedup_key(session, ctx, key) is not None:
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


def linked(
    session: Session,
    ctx: TenantContext,
    request: SigningRequest,
    signer: SigningSigner,
    step: str,
    *,
    secret: str,
    base_url: str,
) -> bool:
    """Queue a message that carries the signer's link: the invitation (step ``invite``), the sealed
    document once every one has signed (``completed``), or else a reminder."""
    what = f'"{request.document_name}" ({request.title})'
    open_it = f"Open it here: {link(secret, base_url, request, signer)}"
    if step == "invite":
        verb = "approve" if signer.role == "approver" else "sign"
        title = f"Please {verb}: {request.title}"
        asked = f'You are asked to {verb} "{request.document_name}": {request.title}.'
        said = [asked, *([request.message] if request.message else []), open_it]
    elif step == "completed":
        title = f"Completed: {request.title}"
        sealed = document_link(secret, base_url, request, signer)
        said = [f"Everyone has signed {what}.", f"The sealed document: {sealed}"]
    else:
        title = f"Reminder: {request.title}"
        said = [f"{what} is still waiting for you.", open_it]
    lines = [f"Hello {signer.name},", *said, f"The link works until {_when(request.expires_at)}."]
    return send(session, ctx, request, signer, step, title=title, body="\n\n".join(lines))


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

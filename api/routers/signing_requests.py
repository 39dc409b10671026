"""Signing requests: send a PDF document to be signed, follow it, remind, void, read the audit trail
and download the sealed result.

A request is recorded and committed before its workflow starts (the workflow sends the first
emails); if Temporal refuses the start, the request is removed and the answer is 503. A void is
committed, then the workflow is told (best effort: its activities re-read the request).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from api.deps import Ctx, Cursor, Db, EngineDep, FilesDep, LauncherDep, Limit, SettingsDep
from api.envelope import models_page, success
from api.launch import start_and_answer
from api.process_runtime import Start, own_transaction
from api.resource_routes import ResourceRoutes
from api.signing_signal import tell_workflow
from db.models.signing import SigningRequest
from domain.context import TenantContext
from domain.queries import discard_row
from domain.signing import service as signing
from domain.signing.requests import view
from domain.signing.schemas import AuditEntryOut, RemindOut, SigningRequestIn, SigningRequestOut, VoidIn
from workflows.signing import SigningWorkflow

router = APIRouter(prefix="/api/v1/signing-requests", tags=["signing"])
routes = ResourceRoutes(router, SigningRequestOut, item="/{request_id}")


@routes.create(
    404,
    503,
    summary="Send a PDF document to be signed",
    description="Signers of one `order` sign in parallel; orders run in sequence (1..n, no gaps); `cc` "
    "recipients get the completed document only. Each signer whose turn it is gets an email with a "
    "link `/sign/{token}`. `auth: sms_otp` also asks for a code sent by SMS to `phone` (E.164). "
    "A field's `signer` is the signer's index in `signers` (from 0) or its email address; a field is a "
    "box (`page`, `x`, `y`, `width`, `height` in PDF points from the page's top-left) or is placed just "
    "after every occurrence of an `anchor` text. `text` fields are filled in by their signer; "
    "`signature`, `initials` and `date` from the signature and the time of signing. `expires_in` "
    "PT1H..P365D (default P14D); `reminders.every` at least PT1H and shorter than `expires_in`. "
    "Another tenant's document is a 404; a document that is not a ready PDF, a field outside its page, "
    "an anchor not found, duplicate emails, an order gap, `sms_otp` without a phone or no signer at all "
    "is a 422 naming each field, and nothing is stored or sent.",
)
async def create_signing_request(
    body: SigningRequestIn, ctx: Ctx, launcher: LauncherDep, files: FilesDep, response: Response
) -> dict[str, Any]:
    def record(session: Session) -> tuple[SigningRequestOut, list[Start]]:
        row = signing.create_request(session, ctx, files.store, body, limits=files.limits)
        return view(session, ctx, row), [Start(SigningWorkflow.run, signing.run_of(row), row.workflow_id)]

    def discard(session: Session, ctx: TenantContext, request_id: uuid.UUID) -> None:
        discard_row(session, ctx, SigningRequest, request_id)

    return await start_and_answer(launcher, ctx, response, "/api/v1/signing-requests", record, discard)


@routes.listing(
    summary="Signing requests, newest first (status=, document_id=)",
)
def list_signing_requests(
    ctx: Ctx,
    session: Db,
    status: Literal["sent", "completing", "completed", "declined", "voided", "expired"] | None = None,
    document_id: uuid.UUID | None = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    rows, next_cursor = signing.list_requests(
        session, ctx, status=status, document_id=document_id, limit=limit, cursor=cursor
    )
    return models_page((view(session, ctx, r) for r in rows), limit=limit, next_cursor=next_cursor)


@routes.read(
    summary="A signing request with each signer's status",
)
def get_signing_request(request_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(view(session, ctx, signing.get_request(session, ctx, request_id)).model_dump(mode="json"))


@routes.post(
    "/void",
    409,
    summary="Withdraw an open request: its links answer 410 and those already invited are told",
)
async def void_signing_request(
    request_id: uuid.UUID, body: VoidIn, ctx: Ctx, engine: EngineDep, request: Request
) -> dict[str, Any]:
    def write(session: Session) -> tuple[SigningRequestOut, str]:
        row = signing.void_request(session, ctx, request_id, body.reason)
        return view(session, ctx, row), row.workflow_id

    # Its own transaction: committed before the workflow is told, as it re-reads the request.
    out, workflow_id = await own_transaction(engine, ctx.tenant_id, write)
    await tell_workflow(request, workflow_id)
    return success(out.model_dump(mode="json"))


@routes.post(
    "/remind",
    409,
    model=RemindOut,
    summary="Email a reminder now to everyone whose turn it is and who has not acted",
)
def remind_signers(request_id: uuid.UUID, ctx: Ctx, session: Db, settings: SettingsDep) -> dict[str, Any]:
    reminded = signing.remind_now(
        session,
        ctx,
        request_id,
        secret=settings.require_jwt_secret(),
        base_url=settings.api_url,
        at=datetime.now(UTC),
    )
    return success(RemindOut(reminded=[s.id for s in reminded]).model_dump(mode="json"))


@routes.read(
    below="/audit-trail",
    model=list[AuditEntryOut],
    summary="Every step, oldest first: created, sent, viewed, otp_sent, otp_verified, otp_failed, signed, "
    "declined, reminded, completed, expired, voided; each with its time, signer, IP, user agent and the "
    "document's sha256 at that moment",
)
def signing_audit_trail(request_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    entries = signing.audit_trail(session, ctx, request_id)
    return success([e.model_dump(mode="json") for e in entries])


@routes.pdf(
    409,
    below="/document",
    summary="The sealed, completed document (PDF); 409 while the request is not completed",
)
def signed_document(request_id: uuid.UUID, ctx: Ctx, session: Db, files: FilesDep) -> Response:
    row, content = signing.final_document(session, ctx, files.store, request_id)
    headers = {
        "Content-Disposition": f'attachment; filename="signed-{row.id}.pdf"',
        "Cache-Control": "private, no-store",
    }
    return Response(content=content, media_type="application/pdf", headers=headers)

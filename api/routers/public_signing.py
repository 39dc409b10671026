"""The signer's JSON endpoints behind ``/sign/{token}``: no bearer, the token in the path is the
credential. It names the tenant, whose session the route opens (``signing_unit``), the request
and the signer.

A forged or malformed token is a 404; a used, voided, declined or expired link a 410. Signing and
declining commit first, then tell the request's workflow (best effort: it re-reads the request).
A wrong one-time code is counted even though the answer is an error: the attempt's changes are
committed before the error is answered.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from adapters.storage import object_store
from api.envelope import Envelope, errors, respond, success
from api.public_links import NO_STORE, TOKEN, secret_of, token_unit
from api.signing_signal import PDF_RESPONSE, PNG_RESPONSE, tell_workflow
from domain.signing import signer_actions
from domain.signing.schemas import ActedOut, DeclineIn, OtpSentOut, SignIn, SigningView

router = APIRouter(prefix="/api/v1/public/signing", tags=["public signing"])
Token = Annotated[str, Path(max_length=512, description="the token of the signing link")]


def signing_unit(token: str, request: Request) -> AbstractContextManager[Session]:
    """A transaction in the tenant the token names (a 404 for a token this server did not sign);
    committed when the block ends, rolled back if it raises. The /sign page uses it too."""
    return token_unit(request, token, signer_actions.tenant_of)


def _client(request: Request) -> tuple[str | None, str | None]:
    return (request.client.host if request.client else None), request.headers.get("user-agent")


@router.get(
    TOKEN,
    response_model=Envelope[SigningView],
    responses=errors(404, 409, 410, 423),
    summary="What the signer is asked to sign: the request, the signer, the document, their fields and "
    "the pages (the first view is recorded in the audit trail)",
)
def signing_view(token: Token, request: Request) -> Response:
    ip, user_agent = _client(request)
    with signing_unit(token, request) as session:
        view = signer_actions.view_for_token(
            session, token, secret=secret_of(request), ip=ip, user_agent=user_agent
        )
        body = success(view.model_dump(mode="json"))
    return respond(body, headers=NO_STORE)


@router.get(
    TOKEN + "/pages/{number}",
    response_class=Response,
    responses=PNG_RESPONSE | errors(404, 409, 410, 423),
    summary="One page of the document as a PNG image",
)
def signing_page_image(token: Token, number: int, request: Request) -> Response:
    store = object_store(request.app.state.settings)
    with signing_unit(token, request) as session:
        png = signer_actions.page_for_token(session, token, number, secret=secret_of(request), store=store)
    return Response(content=png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@router.get(
    TOKEN + "/document",
    response_class=Response,
    responses=PDF_RESPONSE | errors(404, 409, 410, 423),
    summary="The document to sign (PDF); once the request is completed, the sealed result",
)
def signing_document(token: Token, request: Request) -> Response:
    store = object_store(request.app.state.settings)
    with signing_unit(token, request) as session:
        _name, content = signer_actions.document_for_token(
            session, token, secret=secret_of(request), store=store
        )
    headers = {**NO_STORE, "Content-Disposition": 'inline; filename="document.pdf"'}
    return Response(content=content, media_type="application/pdf", headers=headers)


@router.post(
    TOKEN + "/otp",
    status_code=202,
    response_model=Envelope[OtpSentOut],
    responses=errors(404, 409, 410, 423, 429),
    summary="Text a one-time code to the signer's phone (only when their auth is sms_otp; else 409). "
    "A code is valid 10 minutes; one every 30 s, five per signer (429 beyond)",
)
def send_signing_code(token: Token, request: Request) -> dict[str, Any]:
    ip, user_agent = _client(request)
    with signing_unit(token, request) as session:
        sent_to = signer_actions.send_code(
            session, token, secret=secret_of(request), ip=ip, user_agent=user_agent
        )
    return success(OtpSentOut(sent_to=sent_to).model_dump())


@router.post(
    TOKEN + "/sign",
    response_model=Envelope[ActedOut],
    responses=errors(404, 409, 410, 423),
    summary="Sign: a typed name or a drawn PNG, a value for each of your text fields, the code when "
    "auth is sms_otp, and consent: true",
    description="422 without consent, for a missing text field, an unknown field id, a bad signature "
    "image or a wrong code (`details.fields[0].field` is `otp`); the third wrong code locks the signer "
    "(423 `locked` from then on). 409 while another sign or decline of the same signer is under way.",
)
async def sign(token: Token, body: SignIn, request: Request) -> dict[str, Any]:
    ip, user_agent = _client(request)

    def work() -> signer_actions.Attempt:
        with signing_unit(token, request) as session:
            return signer_actions.sign(
                session, token, body, secret=secret_of(request), ip=ip, user_agent=user_agent
            )

    attempt = await run_in_threadpool(work)
    if attempt.error is not None:
        raise attempt.error
    assert attempt.workflow_id is not None
    await tell_workflow(request, attempt.workflow_id)
    return success(ActedOut(status="signed").model_dump())


@router.post(
    TOKEN + "/decline",
    response_model=Envelope[ActedOut],
    responses=errors(404, 409, 410, 423),
    summary="Decline to sign, with a reason: the request ends for everyone",
)
async def decline(token: Token, body: DeclineIn, request: Request) -> dict[str, Any]:
    ip, user_agent = _client(request)

    def work() -> str:
        with signing_unit(token, request) as session:
            return signer_actions.decline(
                session, token, body, secret=secret_of(request), ip=ip, user_agent=user_agent
            )

    workflow_id = await run_in_threadpool(work)
    await tell_workflow(request, workflow_id)
    return success(ActedOut(status="declined").model_dump())

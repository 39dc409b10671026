"""The customer's endpoints behind ``/quotes/{token}``: no bearer, the token in the path is the
credential. It names the tenant, whose session the route opens (``quote_unit``), and the quote.

A forged, altered or unknown token is a 404. Accepting or declining a quote answered already is a
409 (accepting twice answers 409 too, naming the invoice); after ``valid_until`` a 410. Accepting
commits the quote and its finalized invoice first, then starts the invoice's workflow (its PDF and
due-date tracking), best effort as the invoices' own finalize does.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from adapters.storage import object_store
from api.invoice_signal import tell_invoice
from api.public_links import TOKEN, link_view, no_store, read_routes, secret_of, settings_of, token_unit
from api.resource_routes import ResourceRoutes
from db.models.invoices import Invoice
from domain.billing.quotes import answers, pdf
from domain.billing.quotes.schemas import AcceptedOut, DeclinedOut, DeclineIn, PublicQuoteOut
from domain.documents.schemas import DocumentLimits
from keel.settings import Settings

router = APIRouter(prefix="/api/v1/public/quotes", tags=["public quotes"])
TOKEN_IS = "the token of the quote's link"
Token = Annotated[str, Path(max_length=512, description=TOKEN_IS)]
link = ResourceRoutes(router, PublicQuoteOut, item=TOKEN, answers=())
"""The link's answers: its token is the credential, so no permission guards them."""


def quote_unit(token: str, request: Request) -> AbstractContextManager[Session]:
    """A transaction in the tenant the token names (a 404 for a token this server did not sign),
    committed when the block ends, rolled back if it raises. The /quotes page uses it too."""
    return token_unit(request, token, answers.tenant_of)


view = link_view(answers.tenant_of, answers.view)


def quote_pdf(session: Session, token: str, settings: Settings) -> tuple[bytes, str]:
    """The PDF as it was sent."""
    link = answers.open_link(session, token, secret=settings.require_jwt_secret())
    limits = DocumentLimits.of(settings)
    return pdf.current(session, link.ctx, object_store(settings), link.quote, limits), link.quote.number


async def accept_quote(token: str, request: Request) -> str | None:
    """Accept; the invoice's number. Its workflow is started once the invoice is committed."""
    secret = secret_of(request)

    def work() -> Invoice:
        with quote_unit(token, request) as session:
            answers.settle_expiry(session, token, secret=secret)
        with quote_unit(token, request) as session:
            return answers.accept(session, token, secret=secret)[1]

    invoice = await run_in_threadpool(work)
    await tell_invoice(request, settings_of(request), invoice)
    return invoice.number


async def decline_quote(token: str, reason: str | None, request: Request) -> None:
    secret = secret_of(request)

    def work() -> None:
        with quote_unit(token, request) as session:
            answers.settle_expiry(session, token, secret=secret)
        with quote_unit(token, request) as session:
            answers.decline(session, token, reason, secret=secret)

    await run_in_threadpool(work)


read_routes(
    router,
    "quote",
    TOKEN_IS,
    model=PublicQuoteOut,
    tenant_of=answers.tenant_of,
    view=view,
    pdf=quote_pdf,
    summaries=(
        "The quote as its customer reads it: seller, lines, totals, valid_until and status",
        "The quote's PDF, as it was sent",
    ),
)


@link.post(
    "/accept",
    409,
    410,
    model=AcceptedOut,
    summary="Accept the quote: an invoice is made from its lines and finalized; answers its number",
    description="The invoice bills the quoted unit amounts, with the taxes of the day. 409 when the "
    "quote was accepted (again: the answer names the invoice) or declined already; 410 once "
    "`valid_until` has passed.",
)
async def accept(token: Token, request: Request) -> Response:
    number = await accept_quote(token, request)
    return no_store(AcceptedOut(status="accepted", invoice_number=number).model_dump())


@link.post(
    "/decline",
    409,
    410,
    model=DeclinedOut,
    summary="Decline the quote, with an optional reason; 409 once answered, 410 once expired",
)
async def decline(token: Token, request: Request, body: DeclineIn | None = None) -> Response:
    await decline_quote(token, body.reason if body else None, request)
    return no_store(DeclinedOut(status="declined").model_dump())

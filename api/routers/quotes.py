"""Quotes, the staff side: drafts priced like invoices, sending (the customer gets a link to accept
or decline), and the PDF. The customer's endpoints are in ``public_quotes.py``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from adapters.storage import object_store
from api.billing_answers import ServiceRoutes, one_answer, pdf_answer
from api.deps import Ctx, Db, SettingsDep
from api.resource_routes import ResourceRoutes
from domain.billing.quotes import pdf
from domain.billing.quotes import service as quotes
from domain.billing.quotes.schemas import QuoteIn, QuoteOut, QuotePatch, Status
from domain.billing.quotes.views import quote_out
from domain.documents.schemas import DocumentLimits

router = APIRouter(prefix="/api/v1/quotes", tags=["quotes"])
routes = ResourceRoutes(router, QuoteOut, item="/{quote_id:uuid}")
served = ServiceRoutes(routes, quote_out, quotes.etag_of)

served.create(
    "create_quote",
    QuoteIn,
    quotes.create,
    summary="Create a draft quote in the customer's currency (numbered QUO-{year}-{000001})",
    description="Lines as an invoice's: a catalogue `price` or a `description` with a `unit_amount`, a "
    "`quantity`, an optional `discount_percent` and `tax_category`, priced and taxed exactly as invoice "
    "lines. `valid_until` (a date, today at the earliest, at most 366 days ahead) is the last day the "
    "customer may accept. Bad input, another tenant's customer or price: a 422 naming the field, "
    "nothing stored.",
)
served.listing(
    "list_quotes",
    quotes.list_quotes,
    filters={"status": Annotated[Status | None, Query()], "customer": Annotated[uuid.UUID | None, Query()]},
    summary="Quotes, newest first: ?status=, ?customer=",
)
served.read("get_quote", quotes.get, summary="A quote, with its ETag")
served.patch(
    "patch_quote",
    QuotePatch,
    quotes.patch,
    409,
    412,
    if_match=True,
    summary="Change a draft (lines are replaced as a whole); 409 once sent, 412 on a stale If-Match",
)
served.delete(
    "delete_quote",
    quotes.delete_draft,
    409,
    summary="Delete a draft (soft); a sent quote cannot be deleted (409)",
)


@routes.post(
    "/send",
    409,
    summary="Email the customer a link to read, accept or decline the quote; its PDF is stored as sent",
    description="A draft becomes `sent` (priced again at today's taxes, then frozen). Sending a sent "
    "quote again emails the same link (a reminder). 409 once accepted, declined or expired, or when "
    "`valid_until` has passed.",
)
def send_quote(quote_id: uuid.UUID, ctx: Ctx, session: Db, settings: SettingsDep) -> JSONResponse:
    quote = quotes.send(
        session,
        ctx,
        quote_id,
        store=object_store(settings),
        limits=DocumentLimits.of(settings),
        secret=settings.require_jwt_secret(),
        base_url=settings.api_url,
    )
    message = "Queued for the customer's email address."
    return one_answer(quote_out(quote), quotes.etag_of(quote), message=message)


@routes.pdf(409, summary="The quote's PDF: a draft's rendered now, a sent quote's as it was sent")
def quote_pdf(quote_id: uuid.UUID, ctx: Ctx, session: Db, settings: SettingsDep) -> Response:
    quote = quotes.get(session, ctx, quote_id)
    content = pdf.current(session, ctx, object_store(settings), quote, DocumentLimits.of(settings))
    return pdf_answer(content, quote.number)

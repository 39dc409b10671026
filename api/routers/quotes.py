"""Quotes, the staff side: drafts priced like invoices, sending (the customer gets a link to accept
or decline), and the PDF. The customer's endpoints are in ``public_quotes.py``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from adapters.storage import object_store
from api.billing_answers import Page, one_answer, pdf_answer
from api.deps import Ctx, Db, IfMatch, SettingsDep
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from db.models.quotes import Quote
from domain.billing.quotes import pdf
from domain.billing.quotes import service as quotes
from domain.billing.quotes.schemas import QuoteIn, QuoteOut, QuotePatch, Status
from domain.billing.quotes.views import quote_out
from domain.documents.schemas import DocumentLimits

router = APIRouter(prefix="/api/v1/quotes", tags=["quotes"])
routes = ResourceRoutes(router, QuoteOut, item="/{quote_id:uuid}")


def _answer(quote: Quote, *, created: bool = False, message: str | None = None) -> JSONResponse:
    location = f"/api/v1/quotes/{quote.id}" if created else None
    return one_answer(quote_out(quote), quotes.etag_of(quote), location=location, message=message)


@routes.create(
    summary="Create a draft quote in the customer's currency (numbered QUO-{year}-{000001})",
    description="Lines as an invoice's: a catalogue `price` or a `description` with a `unit_amount`, a "
    "`quantity`, an optional `discount_percent` and `tax_category`, priced and taxed exactly as invoice "
    "lines. `valid_until` (a date, today at the earliest, at most 366 days ahead) is the last day the "
    "customer may accept. Bad input, another tenant's customer or price: a 422 naming the field, "
    "nothing stored.",
)
def create_quote(body: QuoteIn, ctx: Ctx, session: Db) -> JSONResponse:
    return _answer(quotes.create(session, ctx, body), created=True)


@routes.listing(summary="Quotes, newest first: ?status=, ?customer=")
def list_quotes(
    ctx: Ctx,
    session: Db,
    status: Annotated[Status | None, Query()] = None,
    customer: Annotated[uuid.UUID | None, Query()] = None,
    *,
    page: Page,
) -> JSONResponse:
    return page.answer(
        quotes.list_quotes(session, ctx, status=status, customer=customer, **page.window), quote_out
    )


@routes.read(summary="A quote, with its ETag")
def get_quote(quote_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return _answer(quotes.get(session, ctx, quote_id))


@routes.patch(
    409, 412, summary="Change a draft (lines are replaced as a whole); 409 once sent, 412 on a stale If-Match"
)
def patch_quote(
    quote_id: uuid.UUID, body: QuotePatch, ctx: Ctx, session: Db, if_match: IfMatch = None
) -> JSONResponse:
    return _answer(quotes.patch(session, ctx, quote_id, body, if_match=if_match))


@routes.delete(409, summary="Delete a draft (soft); a sent quote cannot be deleted (409)")
def delete_quote(quote_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(quote_out(quotes.delete_draft(session, ctx, quote_id))))


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
    return _answer(quote, message="Queued for the customer's email address.")


@routes.pdf(409, summary="The quote's PDF: a draft's rendered now, a sent quote's as it was sent")
def quote_pdf(quote_id: uuid.UUID, ctx: Ctx, session: Db, settings: SettingsDep) -> Response:
    quote = quotes.get(session, ctx, quote_id)
    content = pdf.current(session, ctx, object_store(settings), quote, DocumentLimits.of(settings))
    return pdf_answer(content, quote.number)

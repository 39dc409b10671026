"""Quotes, the staff side: drafts (created, read, listed, edited) and sending.

Lines are priced by the invoices' own ``price_lines`` (same rounding, same taxes, same 422s naming
``lines.N.field``). Each write locks the quote row, checks its status (a change the status forbids
is a 409 and nothing changes) and leaves an audit row in the caller's transaction. What the
customer does through the link is in ``answers.py``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any, Unpack

from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models.billing import BillingCustomer
from db.models.quotes import Quote
from domain.audit import service as audit
from domain.billing.catalog import rows, taxes
from domain.billing.invoices import numbering, priced
from domain.billing.quotes import notify, pdf
from domain.billing.quotes.schemas import MAX_VALID_DAYS, QuoteIn, QuotePatch
from domain.billing.quotes.tokens import expiry_of
from domain.billing.quotes.views import event_payload
from domain.context import TenantContext
from domain.documents.schemas import DocumentLimits
from domain.errors import Conflict, ValidationFailed
from domain.events import service as events
from domain.queries import get_or_404, live

READ = "billing:read"
WRITE = "billing:write"
MAX_EXPIRED_PER_READ = 200  # a list expires at most this many overdue quotes before it answers
PREFIX = "QUO"  # numbers QUO-2026-000001, a series of their own
FIELDS = [
    "status",
    "customer_id",
    "currency",
    "subtotal_minor",
    "tax_minor",
    "total_minor",
    "memo",
    "sent_at",
    "accepted_at",
    "declined_at",
    "decline_reason",
    "expired_at",
    "invoice_id",
]


def etag_of(quote: Quote) -> str:
    return priced.etag_of(quote)


def is_past(quote: Quote, now: datetime | None = None) -> bool:
    return (now or datetime.now(UTC)) >= expiry_of(quote.valid_until)


def snapshot(quote: Quote) -> dict[str, Any]:
    """The audited fields (the audit trail stores JSON: the date as ISO text)."""
    return audit.snapshot(quote, FIELDS) | {"valid_until": quote.valid_until.isoformat()}


def changed(
    session: Session, ctx: TenantContext, quote: Quote, action: str, before: dict[str, Any] | None
) -> None:
    priced.record_change(session, ctx, quote, "quote", action, audit.diff(before, snapshot(quote)))


def expire_if_due(session: Session, ctx: TenantContext, quote: Quote) -> bool:
    """A sent quote past its last day becomes ``expired``, once: it is noticed when it is next read
    or listed (under its row lock, so two readers expire it once)."""
    if quote.status != "sent" or not is_past(quote):
        return False
    session.refresh(quote, with_for_update=True)
    if quote.status != "sent":
        return False
    before = snapshot(quote)
    quote.status = "expired"
    quote.expired_at = datetime.now(UTC)
    changed(session, ctx, quote, "quote.expired", before)
    events.emit(session, ctx, "quote.expired", event_payload(quote), dedup_key=f"quote:{quote.id}:expired")
    return True


def get(session: Session, ctx: TenantContext, quote_id: uuid.UUID) -> Quote:
    ctx.require(READ)
    quote = get_or_404(session, ctx, Quote, quote_id, "quote")
    expire_if_due(session, ctx, quote)
    return quote


def locked(session: Session, ctx: TenantContext, quote_id: uuid.UUID) -> Quote:
    ctx.require(WRITE)
    return get_or_404(session, ctx, Quote, quote_id, "quote", for_update=True)


def list_quotes(
    session: Session, ctx: TenantContext, **query: Unpack[rows.StatusListQuery]
) -> tuple[list[Quote], str | None]:
    ctx.require(READ)
    today = datetime.now(UTC).date()
    due = live(ctx, Quote).where(Quote.status == "sent", Quote.valid_until < today)
    for row in session.scalars(due.limit(MAX_EXPIRED_PER_READ)):  # so ?status= sees them as they are
        expire_if_due(session, ctx, row)
    return rows.page_by_status(session, ctx, Quote, query)


def _check_valid_until(valid_until: date) -> None:
    today = datetime.now(UTC).date()
    if valid_until < today:
        raise ValidationFailed.one("valid_until", "is in the past")
    if valid_until > today + timedelta(days=MAX_VALID_DAYS):
        raise ValidationFailed.one("valid_until", f"is more than {MAX_VALID_DAYS} days ahead")


def create(session: Session, ctx: TenantContext, body: QuoteIn) -> Quote:
    ctx.require(WRITE)
    _check_valid_until(body.valid_until)
    fields = {"valid_until": body.valid_until, "memo": body.memo}
    quote = priced.new_draft(session, ctx, Quote, body.customer, body.lines, **fields)  # a 422: no number
    quote.number = numbering.next_number(session, ctx, PREFIX, datetime.now(UTC).date())
    session.add(quote)
    changed(session, ctx, quote, "quote.created", None)
    return quote


def patch(
    session: Session, ctx: TenantContext, quote_id: uuid.UUID, body: QuotePatch, *, if_match: str | None
) -> Quote:
    quote = locked(session, ctx, quote_id)
    priced.check_editable(quote, if_match, "quote")
    sent = body.model_fields_set
    for name in ("customer", "lines", "valid_until"):
        if name in sent and getattr(body, name) is None:
            raise ValidationFailed.one(name, "may not be null")
    before = snapshot(quote)
    if body.valid_until is not None:
        _check_valid_until(body.valid_until)
        quote.valid_until = body.valid_until
    priced.reprice(session, ctx, quote, body.customer, body.lines)
    if "memo" in sent:
        quote.memo = body.memo
    changed(session, ctx, quote, "quote.updated", before)
    return quote


def send(
    session: Session,
    ctx: TenantContext,
    quote_id: uuid.UUID,
    *,
    store: ObjectStore,
    limits: DocumentLimits,
    secret: str,
    base_url: str,
) -> Quote:
    """Email the customer the link to the quote, its PDF stored as sent. A draft is priced again
    (today's taxes) and frozen; sending a sent quote again emails the same link as a reminder."""
    quote = locked(session, ctx, quote_id)
    if quote.status not in ("draft", "sent"):
        raise Conflict(f"The quote is {quote.status}: it can no longer be sent.")
    if is_past(quote):
        raise Conflict("The quote's valid_until has passed: make a new quote.")
    before = snapshot(quote)
    customer = get_or_404(session, ctx, BillingCustomer, quote.customer_id, "customer", deleted=True)
    if quote.status == "draft":
        priced.price(session, ctx, quote, customer, priced.stored_inputs(quote))
        pdf.store_sent(session, ctx, store, quote, limits)
    seller = taxes.seller_settings(session, ctx)
    seller_name = (seller.seller_name if seller else None) or ""
    notify.quote_email(session, ctx, quote, customer, seller_name, secret=secret, base_url=base_url)
    quote.status = "sent"
    quote.sent_at = datetime.now(UTC)
    changed(session, ctx, quote, "quote.sent", before)
    events.emit(session, ctx, "quote.sent", event_payload(quote))
    return quote


def delete_draft(session: Session, ctx: TenantContext, quote_id: uuid.UUID) -> Quote:
    """A draft is deleted (soft: gone from reads and lists); a sent quote stays, answered or not."""
    quote = locked(session, ctx, quote_id)
    priced.delete_draft(session, ctx, quote, "quote")
    return quote

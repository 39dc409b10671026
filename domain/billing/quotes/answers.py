"""Quotes, the customer's side: read through the link, accept (an invoice is made from the quote's
lines and finalized) or decline.

The link's token is checked without a database read (a forged or altered one is a 404, exactly like
an unknown quote); the quote then decides: accepting or declining twice, or once it was answered the
other way, is a 409; after ``valid_until`` it is a 410. The customer acts as the platform inside the
token's tenant (actor ``system``), so the audit trail shows the change came through the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from db.models import Tenant
from db.models.billing import BillingCustomer
from db.models.invoices import Invoice
from db.models.quotes import Quote
from domain.billing.catalog import taxes
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import MAX_LINES, InvoiceIn, LineIn
from domain.billing.money import to_text
from domain.billing.quotes import service as quotes
from domain.billing.quotes.tokens import expiry_of, read_token
from domain.billing.quotes.views import event_payload, public_out
from domain.context import TenantContext
from domain.errors import Conflict, Gone, NotFound, ValidationFailed
from domain.events import service as events
from domain.queries import find, get_or_404


class QuoteLinkNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("quote link")


@dataclass(frozen=True)
class Link:
    ctx: TenantContext
    quote: Quote


def tenant_of(token: str, *, secret: str) -> TenantContext:
    """The tenant the token names (its session is opened on it); a token this key did not sign is a 404."""
    claims = read_token(secret, token)
    if claims is None:
        raise QuoteLinkNotFound()
    return TenantContext.system(claims.tenant_id)


def open_link(session: Session, token: str, *, secret: str, lock: bool = False) -> Link:
    claims = read_token(secret, token)
    if claims is None:
        raise QuoteLinkNotFound()
    tenant = session.get(Tenant, claims.tenant_id)
    if tenant is None or not tenant.is_active:
        raise QuoteLinkNotFound()
    ctx = TenantContext.system(claims.tenant_id, tenant.domain)
    quote = find(session, ctx, Quote, claims.quote_id, for_update=lock)
    # A draft was never linked; a link names the validity it was sent with.
    if quote is None or quote.status == "draft" or expiry_of(quote.valid_until) != claims.expires_at:
        raise QuoteLinkNotFound()
    return Link(ctx, quote)


def view(session: Session, token: str, *, secret: str) -> dict[str, object]:
    link = open_link(session, token, secret=secret)
    quotes.expire_if_due(session, link.ctx, link.quote)
    customer = get_or_404(
        session, link.ctx, BillingCustomer, link.quote.customer_id, "customer", deleted=True
    )
    return public_out(link.quote, customer, taxes.seller_settings(session, link.ctx))


def settle_expiry(session: Session, token: str, *, secret: str) -> None:
    """Record the expiry of a quote past its last day (its own transaction: the 410 that follows
    rolls back the answer's transaction)."""
    link = open_link(session, token, secret=secret, lock=True)
    quotes.expire_if_due(session, link.ctx, link.quote)


def _answerable(quote: Quote, verb: str) -> None:
    if quote.status == "expired" or (quote.status == "sent" and quotes.is_past(quote)):
        raise Gone(f"The quote expired on {quote.valid_until:%d %b %Y}; it can no longer be {verb}.")
    if quote.status == "accepted":
        raise Conflict(f"The quote was accepted already (invoice {quote.invoice_number}).")
    if quote.status == "declined":
        raise Conflict("The quote was declined: ask the sender for a new one.")


def _frozen(line: dict[str, object], currency: str) -> LineIn:
    """The quoted line at its quoted unit amount: the invoice honours the quote even if the
    catalogue price changed since (taxes are those of the day the invoice is finalized)."""
    return LineIn(
        description=str(line["description"])[:500],
        unit_amount=to_text(int(str(line["unit_minor"])), currency),
        quantity=str(line["quantity"]),
        discount_percent=str(line["discount_percent"]),
        tax_category=str(line["tax_category"]),
    )


def accept(session: Session, token: str, *, secret: str) -> tuple[Quote, Invoice]:
    """The invoice is created from the quote and finalized in this transaction; the caller starts
    its workflow once committed."""
    link = open_link(session, token, secret=secret, lock=True)
    ctx, quote = link.ctx, link.quote
    _answerable(quote, "accepted")
    customer = find(session, ctx, BillingCustomer, quote.customer_id)
    if customer is not None and customer.currency != quote.currency:
        # The quoted amounts are in the quote's currency; an invoice is in the customer's.
        raise Conflict("The quote's currency is no longer the customer's: ask the sender for a new quote.")
    memo = f"Quote {quote.number} accepted." + (f"\n\n{quote.memo}" if quote.memo else "")
    body = InvoiceIn(
        customer=quote.customer_id,
        lines=[_frozen(line, quote.currency) for line in quote.lines[:MAX_LINES]],
        memo=memo[:2000],
    )
    try:
        invoice = invoices.finalize(session, ctx, invoices.create(session, ctx, body).id)
    except ValidationFailed as exc:  # e.g. the customer was deleted since: nothing the customer can fix
        raise Conflict(f"The quote cannot be invoiced as it stands ({exc.message}); ask the sender.") from exc
    before = quotes.snapshot(quote)
    quote.status = "accepted"
    quote.accepted_at = datetime.now(UTC)
    quote.invoice_id = invoice.id
    quote.invoice_number = invoice.number
    quotes.changed(session, ctx, quote, "quote.accepted", before)
    events.emit(session, ctx, "quote.accepted", event_payload(quote))
    return quote, invoice


def decline(session: Session, token: str, reason: str | None, *, secret: str) -> Quote:
    link = open_link(session, token, secret=secret, lock=True)
    ctx, quote = link.ctx, link.quote
    _answerable(quote, "declined")
    before = quotes.snapshot(quote)
    quote.status = "declined"
    quote.declined_at = datetime.now(UTC)
    quote.decline_reason = reason
    quotes.changed(session, ctx, quote, "quote.declined", before)
    events.emit(session, ctx, "quote.declined", event_payload(quote))
    return quote

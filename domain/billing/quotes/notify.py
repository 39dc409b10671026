"""The quote's email to its customer, through the notification service: a delivery written in the
caller's transaction (nothing is sent if it rolls back), handed to the outbox dispatcher."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer
from db.models.quotes import Quote
from domain.billing.invoices.notify import email_customer
from domain.billing.money import to_text
from domain.billing.quotes.tokens import sign_token
from domain.context import TenantContext


def link(secret: str, base_url: str, quote: Quote) -> str:
    token = sign_token(secret, quote.tenant_id, quote.id, quote.valid_until)
    return f"{base_url.rstrip('/')}/quotes/{token}"


def quote_email(
    session: Session,
    ctx: TenantContext,
    quote: Quote,
    customer: BillingCustomer,
    seller_name: str,
    *,
    secret: str,
    base_url: str,
) -> None:
    """One email per send (each send is a new delivery: sending again is a reminder)."""
    who = seller_name or "We"
    paragraphs = [
        f"{who} sent you quote {quote.number} for {to_text(quote.total_minor, quote.currency)} "
        f"{quote.currency}.",
        f"Read it, then accept or decline it here: {link(secret, base_url, quote)}",
        f"It is valid until {quote.valid_until:%d %b %Y}.",
    ]
    dedup_key = f"quote:{quote.id}:sent:{uuid.uuid4()}"
    email_customer(session, ctx, customer, f"Quote {quote.number}", paragraphs, dedup_key=dedup_key)

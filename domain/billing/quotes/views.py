"""Quotes as the API, the public link and events show them (amounts as decimal strings)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.models.billing import BillingCustomer, BillingSettings
from db.models.quotes import Quote
from domain.billing.invoices import pdf as invoice_pdf
from domain.billing.invoices.views import document_payload, priced_out


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def quote_out(quote: Quote) -> dict[str, Any]:
    return {
        "id": str(quote.id),
        "number": quote.number,
        "status": quote.status,
        "customer": str(quote.customer_id),
        **priced_out(quote),
        "mentions": list(quote.mentions),
        "memo": quote.memo,
        "valid_until": quote.valid_until.isoformat(),
        "sent_at": _iso(quote.sent_at),
        "accepted_at": _iso(quote.accepted_at),
        "declined_at": _iso(quote.declined_at),
        "decline_reason": quote.decline_reason,
        "invoice_id": str(quote.invoice_id) if quote.invoice_id else None,
        "invoice_number": quote.invoice_number,
        "pdf_document_id": str(quote.pdf_document_id) if quote.pdf_document_id else None,
        "created_at": _iso(quote.created_at),
        "updated_at": _iso(quote.updated_at),
    }


def public_out(quote: Quote, customer: BillingCustomer, seller: BillingSettings | None) -> dict[str, Any]:
    """What the customer reads through the link: no internal ids."""
    priced = priced_out(quote)
    priced["lines"] = [line | {"price": None, "product": None} for line in priced["lines"]]
    return {
        "number": quote.number,
        "status": quote.status,
        "seller": invoice_pdf.parties(customer, seller)["seller"],
        "customer_name": customer.name,
        **priced,
        "mentions": list(quote.mentions),
        "memo": quote.memo,
        "valid_until": quote.valid_until.isoformat(),
        "can_answer": quote.status == "sent",
        "invoice_number": quote.invoice_number,
    }


def event_payload(quote: Quote) -> dict[str, Any]:
    return {
        "quote_id": str(quote.id),
        **document_payload(quote),
        "valid_until": quote.valid_until.isoformat(),
        "invoice_id": str(quote.invoice_id) if quote.invoice_id else None,
    }

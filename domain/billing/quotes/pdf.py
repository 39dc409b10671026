"""A quote's PDF: the invoice's layout and parties (``invoices.pdf``), with a quote's heading and
validity. Drafts are rendered on request; a sent quote's PDF is stored once with the documents
service, so what the customer reads is what was sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models.billing import BillingCustomer
from db.models.quotes import Quote
from domain.billing.catalog import taxes
from domain.billing.invoices import pdf as invoice_pdf
from domain.billing.invoices.views import taxes_out
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.documents.schemas import DocumentLimits
from domain.queries import get_or_404

HERE = Path(__file__).parent / "templates"


def template() -> str:
    return invoice_pdf.with_parts(HERE / "quote.html")


def template_data(quote: Quote, customer: BillingCustomer, seller: Any) -> dict[str, Any]:
    c = quote.currency
    return invoice_pdf.parties(customer, seller) | {
        "currency": c,
        "quote": {
            "number": quote.number,
            "valid_until": quote.valid_until.isoformat(),
            "subtotal": to_text(quote.subtotal_minor, c),
            "tax": to_text(quote.tax_minor, c),
            "total": to_text(quote.total_minor, c),
            "mentions": list(quote.mentions),
            "memo": quote.memo,
        },
        "lines": invoice_pdf.lines_data(quote.lines, c),
        "taxes": taxes_out(quote.tax_breakdown, c),
    }


def render_bytes(
    session: Session, ctx: TenantContext, store: ObjectStore, quote: Quote, limits: DocumentLimits
) -> bytes:
    customer = get_or_404(session, ctx, BillingCustomer, quote.customer_id, "customer", deleted=True)
    data = template_data(quote, customer, taxes.seller_settings(session, ctx))
    return invoice_pdf.render_default(session, ctx, store, template(), data, limits)


def store_sent(
    session: Session, ctx: TenantContext, store: ObjectStore, quote: Quote, limits: DocumentLimits
) -> None:
    """The PDF as sent, as a document of its own (a new version when the quote is sent again)."""
    content = render_bytes(session, ctx, store, quote, limits)
    system = TenantContext.system(ctx.tenant_id, ctx.tenant_domain)  # a billing user needs no documents right
    again = " sent again" if quote.pdf_document_id else ""
    quote.pdf_document_id = invoice_pdf.store_pdf(
        session,
        system,
        store,
        quote.pdf_document_id,
        content,
        name=f"{quote.number}.pdf",
        document_type="quote",
        metadata={"quote_id": str(quote.id), "quote_number": quote.number},
        note=f"quote {quote.number}{again}",
        limits=limits,
    )


def current(
    session: Session, ctx: TenantContext, store: ObjectStore, quote: Quote, limits: DocumentLimits
) -> bytes:
    """A draft rendered now; otherwise the stored PDF as sent."""
    if quote.status == "draft" or quote.pdf_document_id is None:
        return render_bytes(session, ctx, store, quote, limits)
    return invoice_pdf.document_bytes(
        session, ctx, store, quote.pdf_document_id, "The quote's PDF is not stored yet."
    )

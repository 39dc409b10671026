"""Credit notes' PDFs: each laid out once (a credit note never changes) with the default credit note
layout shipped here, stored with the documents service, by the invoice workflow's render step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models.billing import BillingCustomer, BillingSettings
from db.models.invoices import CreditNote, Invoice
from domain.billing.catalog import taxes
from domain.billing.invoices.pdf import HERE, parties, render_default, store_pdf, with_parts
from domain.billing.invoices.views import taxes_out
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.documents.schemas import DocumentLimits
from domain.queries import get_or_404, live


def credit_note_template() -> str:
    return with_parts(HERE / "credit_note.html")


def template_data(
    note: CreditNote, invoice: Invoice, customer: BillingCustomer, seller: BillingSettings | None
) -> dict[str, Any]:
    c = note.currency
    return parties(customer, seller) | {
        "currency": c,
        "note": {
            "number": note.number,
            "issued_on": note.issued_on.isoformat(),
            "reason": note.reason,
            "subtotal": to_text(note.subtotal_minor, c),
            "tax": to_text(note.tax_minor, c),
            "total": to_text(note.total_minor, c),
            "to_customer_credit": to_text(note.to_customer_credit_minor, c),
            "zero": to_text(0, c),
        },
        "invoice": {
            "number": invoice.number,
            "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
            "mentions": list(invoice.mentions),
        },
        "lines": [
            {
                "description": line["description"],
                "quantity": f"{Decimal(line['quantity']).normalize():f}" if line.get("quantity") else None,
                "net": to_text(line["net_minor"], c),
                "tax": to_text(line["tax_minor"], c),
                "tax_name": line["tax"]["name"],
            }
            for line in note.lines
        ],
        "taxes": taxes_out(note.tax_breakdown, c),
    }


def render_missing(
    session: Session, ctx: TenantContext, store: ObjectStore, invoice: Invoice, limits: DocumentLimits
) -> int:
    """Lay out and store the PDF of each of the invoice's credit notes that has none; how many."""
    stmt = live(ctx, CreditNote).where(
        CreditNote.invoice_id == invoice.id, CreditNote.pdf_document_id.is_(None)
    )
    pending = list(session.scalars(stmt.order_by(CreditNote.created_at)))
    if not pending:
        return 0
    customer = get_or_404(session, ctx, BillingCustomer, invoice.customer_id, "customer", deleted=True)
    seller = taxes.seller_settings(session, ctx)
    made = 0
    for note in pending:
        data = template_data(note, invoice, customer, seller)
        pdf = render_default(session, ctx, store, credit_note_template(), data, limits)
        locked = get_or_404(session, ctx, CreditNote, note.id, "credit note", for_update=True)
        if locked.pdf_document_id is not None:
            continue
        locked.pdf_document_id = store_pdf(
            session,
            ctx,
            store,
            None,
            pdf,
            name=f"{note.number}.pdf",
            document_type="credit_note",
            metadata={"credit_note_id": str(note.id), "invoice_id": str(invoice.id), "number": note.number},
            note=f"credit note {note.number} for invoice {invoice.number}",
            limits=limits,
        )
        session.flush()
        made += 1
    return made

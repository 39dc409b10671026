"""An invoice's PDF: its data laid out by the tenant's invoice template (``BillingSettings.invoice_template``,
a document template key) or by the default one shipped here, stored with the documents service as
one document per invoice, a new version on every change (payment, credit note, void).

``render`` is the invoice workflow's step and may run again (a retried activity, a repeated signal):
it renders only when the invoice's ``revision`` is ahead of ``rendered_revision``, and stores under
the invoice's row lock after checking that again, so one change never makes two versions.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models import Document, DocumentVersion
from db.models.billing import BillingCustomer, BillingSettings
from db.models.invoices import Invoice
from domain.billing.catalog import taxes
from domain.billing.invoices.service import credit_notes_of
from domain.billing.invoices.views import amount_due, taxes_out
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.documents import assets, templates
from domain.documents import service as documents
from domain.documents.rendering import render_document
from domain.documents.schemas import DocumentLimits
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.locales import babel_locale
from domain.queries import find, get_or_404, live

HERE = Path(__file__).parent / "templates"
log = logging.getLogger("keel.invoices")
TITLES = {"open": "Invoice", "paid": "Invoice", "void": "Invoice (void)", "uncollectible": "Invoice"}
ADDRESS_KEYS = ("line1", "line2", "postal_code", "city", "region", "country")


@cache
def with_parts(template: Path) -> str:
    """A default billing template after the macros it shares with the others (``parts.html``):
    documents render from one source, without a loader to include from."""
    return (HERE / "parts.html").read_text() + template.read_text()


@cache
def default_template() -> tuple[str, str]:
    return with_parts(HERE / "invoice.html"), (HERE / "invoice.css").read_text()


def lines_data(lines: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
    """Priced lines as the default templates show them (amounts as decimal strings)."""
    return [
        {
            "description": line["description"],
            "quantity": line["quantity"],
            "unit_amount": to_text(line["unit_minor"], currency),
            "discount_percent": f"{Decimal(line['discount_percent']).normalize():f}",
            "amount": to_text(line["amount_minor"], currency),
            "net": to_text(line["net_minor"], currency),
            "tax": to_text(line["tax_minor"], currency),
            "tax_name": line["tax"]["name"],
        }
        for line in lines
    ]


def render_default(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    html: str,
    data: dict[str, Any],
    limits: DocumentLimits,
) -> bytes:
    """One of the default billing templates laid out as a PDF, with the invoice's stylesheet."""
    _, css = default_template()
    return render_document(
        html,
        data,
        css=css,
        locale=data["locale"],
        assets=assets.lookup(session, ctx, store),
        max_pages=limits.max_pages,
    ).pdf


def store_pdf(
    session: Session,
    ctx: TenantContext,
    store: ObjectStore,
    document_id: uuid.UUID | None,
    content: bytes,
    *,
    name: str,
    document_type: str,
    metadata: dict[str, str],
    note: str,
    limits: DocumentLimits,
) -> uuid.UUID:
    """A billing PDF stored: a new document the first time, a new version of it after; its id."""
    if document_id is not None:
        documents.add_version(
            session,
            ctx,
            store,
            document_id,
            content,
            source="generated",
            note=note,
            limits=limits,
            filename=name,
            claimed_type="application/pdf",
        )
        return document_id
    doc = documents.create_document(
        session,
        ctx,
        store,
        name=name,
        document_type=document_type,
        content=content,
        source="generated",
        metadata=metadata,
        note=note,
        limits=limits,
        claimed_type="application/pdf",
    )
    return doc.id


def _address(address: dict[str, Any] | None) -> list[str]:
    """Street lines, then "postal code city", region and country; other text fields after them."""
    a = {k: str(v) for k, v in (address or {}).items() if isinstance(v, str) and v}
    town = " ".join(a[k] for k in ("postal_code", "city") if k in a)
    known = [a.get("line1"), a.get("line2"), town, a.get("region"), a.get("country")]
    return [x for x in known if x] + [v for k, v in a.items() if k not in ADDRESS_KEYS]


def parties(customer: BillingCustomer, seller: BillingSettings | None) -> dict[str, Any]:
    """Seller and customer as a document shows them, and the customer's locale."""
    return {
        "locale": str(babel_locale(customer.locale)),
        "seller": {
            "name": (seller.seller_name if seller else None) or "",
            "address": _address(seller.seller_address if seller else None),
            "tax_id": seller.seller_tax_id if seller else None,
        },
        "customer": {
            "name": customer.name,
            "email": customer.email,
            "address": _address(customer.address),
            "tax_ids": [t.get("value") for t in customer.tax_ids or [] if t.get("value")],
        },
    }


def template_data(
    invoice: Invoice, customer: BillingCustomer, seller: BillingSettings | None, notes: list[Any]
) -> dict[str, Any]:
    """What an invoice template is given: amounts as decimal strings (``| money(currency)`` words them
    for the customer's locale), days as ISO dates (``| date``)."""
    c = invoice.currency
    payments = invoice.amount_paid_minor - invoice.credit_applied_minor
    return parties(customer, seller) | {
        "title": TITLES.get(invoice.status, "Invoice"),
        "currency": c,
        "invoice": {
            "number": invoice.number,
            "status": invoice.status,
            "status_label": invoice.status.replace("_", " "),
            "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
            "due_on": invoice.due_on.isoformat() if invoice.due_on else None,
            "subtotal": to_text(invoice.subtotal_minor, c),
            "tax": to_text(invoice.tax_minor, c),
            "total": to_text(invoice.total_minor, c),
            "credit_applied": to_text(invoice.credit_applied_minor, c),
            "payments": to_text(payments, c),
            "amount_credited": to_text(invoice.credited_minor, c),
            "amount_due": to_text(amount_due(invoice) if invoice.status != "void" else 0, c),
            "zero": to_text(0, c),
            "mentions": list(invoice.mentions),
            "memo": invoice.memo,
        },
        "lines": lines_data(invoice.lines, c),
        "taxes": taxes_out(invoice.tax_breakdown, c),
        "credit_notes": [
            {
                "number": n.number,
                "issued_on": n.issued_on.isoformat(),
                "total": to_text(n.total_minor, c),
                "reason": n.reason,
            }
            for n in notes
        ],
    }


def render_bytes(
    session: Session, ctx: TenantContext, store: ObjectStore, invoice: Invoice, limits: DocumentLimits
) -> bytes:
    customer = get_or_404(session, ctx, BillingCustomer, invoice.customer_id, "customer", deleted=True)
    seller = taxes.seller_settings(session, ctx)
    data = template_data(invoice, customer, seller, credit_notes_of(session, ctx, [invoice.id]))
    key = seller.invoice_template if seller else None
    if key:
        try:
            view = templates.resolve(session, ctx, key)
            return templates.render(session, ctx, store, view, data, limits).pdf
        except (NotFound, ValidationFailed) as exc:
            # The tenant's template is gone or does not render this invoice: the default one keeps
            # invoices flowing (a retry would fail the same way), and the log says why.
            log.warning(
                "invoice template %r not used: %s", key, exc.message, extra={"invoice_id": str(invoice.id)}
            )
    return render_default(session, ctx, store, default_template()[0], data, limits)


def render(
    session: Session, ctx: TenantContext, store: ObjectStore, invoice_id: uuid.UUID, limits: DocumentLimits
) -> str:
    """Bring the invoice's PDF up to its latest revision; returns the invoice's status."""
    invoice = find(session, ctx, Invoice, invoice_id)
    if invoice is None:
        raise NotFound("invoice", invoice_id)
    if invoice.status == "draft":
        return invoice.status
    from domain.billing.invoices import credit_note_pdf  # it builds on this module's helpers

    credit_note_pdf.render_missing(session, ctx, store, invoice, limits)
    if invoice.rendered_revision >= invoice.revision:
        return invoice.status
    target = invoice.revision
    content = render_bytes(session, ctx, store, invoice, limits)
    invoice = get_or_404(session, ctx, Invoice, invoice_id, "invoice", for_update=True)
    if invoice.rendered_revision >= target:
        return invoice.status
    invoice.pdf_document_id = store_pdf(
        session,
        ctx,
        store,
        invoice.pdf_document_id,
        content,
        name=f"{invoice.number}.pdf",
        document_type="invoice",
        metadata={"invoice_id": str(invoice.id), "invoice_number": invoice.number or ""},
        note=f"invoice {invoice.number} ({invoice.status})",
        limits=limits,
    )
    invoice.rendered_revision = target
    session.flush()
    return invoice.status


def current_pdf(session: Session, ctx: TenantContext, store: ObjectStore, invoice: Invoice) -> bytes:
    """The invoice PDF's current version, for whoever may read the invoice (``billing:read``: the
    document itself needs no documents permission here)."""
    what = "The invoice has no PDF yet (a draft has none; a finalized one gets it in a moment)."
    return document_bytes(session, ctx, store, invoice.pdf_document_id, what)


def document_bytes(
    session: Session, ctx: TenantContext, store: ObjectStore, document_id: uuid.UUID | None, missing: str
) -> bytes:
    """A billing document's current version; ``missing`` is the 409's message while there is none."""
    doc = find(session, ctx, Document, document_id) if document_id else None
    if doc is None or doc.version == 0:
        raise Conflict(missing)
    row = session.scalar(
        live(ctx, DocumentVersion).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.version == doc.version
        )
    )
    if row is None:
        raise NotFound("document version", f"{doc.id} version {doc.version}")
    return b"".join(store.read(ctx.tenant_id, row.storage_key))

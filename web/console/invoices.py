"""The console's invoices: the list (newest first, by status) and an invoice's page: its customer,
lines, taxes and totals in the reader's money format, payments due, a preview of its PDF's first page
(``GET /api/v1/invoices/{id}/pdf/pages/1``) and the PDF itself (``GET /api/v1/invoices/{id}/pdf``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from db.models import BillingCustomer
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import Status
from domain.billing.invoices.views import invoice_out
from domain.context import TenantContext
from domain.queries import find, live
from web.console import i18n, views

router = APIRouter(prefix="/app/invoices", include_in_schema=False)
PAGE = 100  # the list shows the newest hundred that match
STATUSES: tuple[str, ...] = get_args(Status)

i18n.extend(
    {
        "en": {
            "invoices_title": "Invoices",
            "invoices_one": "Invoice",
            "invoices_empty": "No invoice matches. Invoices appear here when one is created "
            "(POST /api/v1/invoices) or a subscription bills.",
            "invoices_number": "Number",
            "invoices_customer": "Customer",
            "invoices_total": "Total",
            "invoices_due_amount": "Amount due",
            "invoices_issued": "Issued",
            "invoices_due_on": "Due on",
            "invoices_draft": "draft (no number yet)",
            "invoices_status_draft": "draft",
            "invoices_status_open": "open",
            "invoices_status_paid": "paid",
            "invoices_status_void": "void",
            "invoices_status_uncollectible": "uncollectible",
            "invoices_lines": "Lines",
            "invoices_description": "Description",
            "invoices_quantity": "Quantity",
            "invoices_unit": "Unit price",
            "invoices_amount": "Amount",
            "invoices_subtotal": "Subtotal",
            "invoices_tax": "Tax",
            "invoices_paid": "Paid",
            "invoices_pdf": "Download the PDF",
            "invoices_preview_alt": "First page of invoice {number}",
            "invoices_no_pdf": "A draft has no PDF: finalize it first (POST /api/v1/invoices/{id}/finalize).",
            "invoices_memo": "Memo",
        },
        "fr": {
            "invoices_title": "Factures",
            "invoices_one": "Facture",
            "invoices_empty": "Aucune facture ne correspond. Les factures apparaissent ici quand une est "
            "créée (POST /api/v1/invoices) ou qu'un abonnement facture.",
            "invoices_number": "Numéro",
            "invoices_customer": "Client",
            "invoices_total": "Total",
            "invoices_due_amount": "Reste à payer",
            "invoices_issued": "Émise le",
            "invoices_due_on": "Échéance",
            "invoices_draft": "brouillon (pas encore de numéro)",
            "invoices_status_draft": "brouillon",
            "invoices_status_open": "ouverte",
            "invoices_status_paid": "payée",
            "invoices_status_void": "annulée",
            "invoices_status_uncollectible": "irrécouvrable",
            "invoices_lines": "Lignes",
            "invoices_description": "Désignation",
            "invoices_quantity": "Quantité",
            "invoices_unit": "Prix unitaire",
            "invoices_amount": "Montant",
            "invoices_subtotal": "Sous-total",
            "invoices_tax": "Taxes",
            "invoices_paid": "Payé",
            "invoices_pdf": "Télécharger le PDF",
            "invoices_preview_alt": "Première page de la facture {number}",
            "invoices_no_pdf": "Un brouillon n'a pas de PDF : finalisez-le d'abord "
            "(POST /api/v1/invoices/{id}/finalize).",
            "invoices_memo": "Mémo",
        },
    }
)


def _listing(status: str) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        rows, _ = invoices.list_invoices(session, ctx, status=status or None, limit=PAGE, cursor=None)
        ids = {row.customer_id for row in rows}
        named = session.scalars(live(ctx, BillingCustomer).where(BillingCustomer.id.in_(ids)))
        return {
            "rows": [invoice_out(row, []) for row in rows],
            "customers": {str(c.id): c.name for c in named},
            "zone": views.zone(session, ctx),
        }

    return read


@router.get("")
async def invoice_list(request: Request, status: Annotated[str, Query(max_length=16)] = "") -> Response:
    chosen = status if status in STATUSES else ""  # an unknown status filters nothing out
    reader = _listing(chosen)
    return await views.rendered(request, reader, "invoices.html", asked=chosen, statuses=STATUSES)


def _invoice(invoice_id: uuid.UUID) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        invoice = invoices.get(session, ctx, invoice_id)
        notes = invoices.credit_notes_of(session, ctx, [invoice.id])
        return {
            "invoice": invoice_out(invoice, notes),
            "customer": find(session, ctx, BillingCustomer, invoice.customer_id),
            "zone": views.zone(session, ctx),
        }

    return read


@router.get("/{invoice_id}")
async def invoice_page(request: Request, invoice_id: str) -> Response:
    return await views.shown(request, "invoice", invoice_id, _invoice, "invoice.html")

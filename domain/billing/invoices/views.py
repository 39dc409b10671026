"""Invoices, credit notes and payments as the API answers them (amounts as decimal strings) and as
their events carry them."""

from __future__ import annotations

from typing import Any

from db.models.invoices import CreditNote, Invoice, InvoicePayment
from db.models.quotes import Quote
from domain.billing.invoices import pay_page
from domain.billing.money import to_text


def amount_due(invoice: Invoice) -> int:
    return max(0, invoice.total_minor - invoice.amount_paid_minor - invoice.credited_minor)


def document_payload(doc: Invoice | Quote) -> dict[str, Any]:
    """What the events of invoices and quotes carry alike."""
    return {
        "customer_id": str(doc.customer_id),
        "number": doc.number,
        "status": doc.status,
        "currency": doc.currency,
        "total": to_text(doc.total_minor, doc.currency),
    }


def event_payload(invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice_id": str(invoice.id),
        **document_payload(invoice),
        "amount_due": to_text(amount_due(invoice), invoice.currency),
    }


def payment_payload(payment: InvoicePayment) -> dict[str, Any]:
    return {
        "payment_id": str(payment.id),
        "invoice_id": str(payment.invoice_id) if payment.invoice_id else None,
        "customer_id": str(payment.customer_id),
        "amount": to_text(payment.amount_minor, payment.currency),
        "currency": payment.currency,
        "method": payment.method,
        "status": payment.status,
    }


def taxes_out(rows: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
    return [
        {
            "name": r["name"],
            "percentage": r["percentage"],
            "inclusive": r["inclusive"],
            "reverse_charge": r["reverse_charge"],
            "taxable_amount": to_text(r["taxable_minor"], currency),
            "tax": to_text(r["tax_minor"], currency),
        }
        for r in rows
    ]


def line_out(line: dict[str, Any], currency: str) -> dict[str, Any]:
    tax = line["tax"]
    return {
        "description": line["description"],
        "price": line["price_id"],
        "product": line["product_id"],
        "quantity": line["quantity"],
        "unit_amount": to_text(line["unit_minor"], currency),
        "discount_percent": line["discount_percent"],
        "tax_category": line["tax_category"],
        "amount": to_text(line["amount_minor"], currency),
        "net": to_text(line["net_minor"], currency),
        "tax": to_text(line["tax_minor"], currency),
        "tax_name": tax["name"],
        "tax_percentage": tax["percentage"],
        "tax_inclusive": tax["inclusive"],
        "reverse_charge": tax["reverse_charge"],
    }


def priced_out(doc: Invoice | Quote) -> dict[str, Any]:
    """An invoice's or quote's currency, priced lines, taxes and totals, as the API answers them."""
    c = doc.currency
    return {
        "currency": c,
        "lines": [line_out(line, c) for line in doc.lines],
        "subtotal": to_text(doc.subtotal_minor, c),
        "tax_breakdown": taxes_out(doc.tax_breakdown, c),
        "tax": to_text(doc.tax_minor, c),
        "total": to_text(doc.total_minor, c),
    }


def credit_note_out(note: CreditNote) -> dict[str, Any]:
    c = note.currency
    return {
        "id": str(note.id),
        "number": note.number,
        "invoice_id": str(note.invoice_id),
        "currency": c,
        "reason": note.reason,
        "lines": [
            {
                "line": line["line"],
                "description": line["description"],
                "quantity": line.get("quantity"),
                "net": to_text(line["net_minor"], c),
                "tax": to_text(line["tax_minor"], c),
            }
            for line in note.lines
        ],
        "subtotal": to_text(note.subtotal_minor, c),
        "tax_breakdown": taxes_out(note.tax_breakdown, c),
        "total": to_text(note.total_minor, c),
        "to_customer_credit": to_text(note.to_customer_credit_minor, c),
        "issued_on": note.issued_on.isoformat(),
        "pdf_document_id": str(note.pdf_document_id) if note.pdf_document_id else None,
        "created_at": note.created_at.isoformat(),
    }


def invoice_out(invoice: Invoice, notes: list[CreditNote]) -> dict[str, Any]:
    c = invoice.currency
    return {
        "id": str(invoice.id),
        "number": invoice.number,
        "status": invoice.status,
        "customer": str(invoice.customer_id),
        **priced_out(invoice),
        "amount_paid": to_text(invoice.amount_paid_minor, c),
        "credit_applied": to_text(invoice.credit_applied_minor, c),
        "amount_credited": to_text(invoice.credited_minor, c),
        "amount_due": to_text(amount_due(invoice), c) if invoice.status != "void" else to_text(0, c),
        "mentions": list(invoice.mentions),
        "memo": invoice.memo,
        "due_days": invoice.due_days,
        "collection": invoice.collection,
        "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
        "due_on": invoice.due_on.isoformat() if invoice.due_on else None,
        "paid_at": invoice.paid_at.isoformat() if invoice.paid_at else None,
        "sent_at": invoice.sent_at.isoformat() if invoice.sent_at else None,
        "pdf_document_id": str(invoice.pdf_document_id) if invoice.pdf_document_id else None,
        "payment_url": pay_page.payment_url(invoice),
        "credit_notes": [credit_note_out(n) for n in notes if n.invoice_id == invoice.id],
        "created_at": invoice.created_at.isoformat(),
        "updated_at": invoice.updated_at.isoformat(),
    }


def payment_out(payment: InvoicePayment) -> dict[str, Any]:
    c = payment.currency
    return {
        "id": str(payment.id),
        "invoice_id": str(payment.invoice_id) if payment.invoice_id else None,
        "customer": str(payment.customer_id),
        "amount": to_text(payment.amount_minor, c),
        "applied": to_text(payment.applied_minor, c),
        "to_credit": to_text(payment.to_credit_minor, c),
        "currency": c,
        "method": payment.method,
        "reference": payment.reference,
        "status": payment.status,
        "received_at": payment.received_at.isoformat(),
        "created_at": payment.created_at.isoformat(),
    }

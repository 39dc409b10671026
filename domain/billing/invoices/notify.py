"""The emails of an invoice (sent, reminders, final notice), through the notification service.

Each is a delivery written in the caller's transaction under a dedup key naming the invoice and the
step (``invoice:<id>:reminder:2``), handed to the outbox dispatcher: a retried step finds its
delivery and emails nobody twice, and nothing is sent for a transaction that rolled back. The link
is a signed download of the PDF's current version, valid for seven days; a payable invoice's email
also carries its payment page when Stripe is configured.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Document
from db.models.billing import BillingCustomer
from db.models.invoices import Invoice
from domain.billing.invoices import pay_page
from domain.billing.invoices.views import amount_due
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.deliveries import service as deliveries
from domain.documents import downloads
from domain.errors import Conflict
from domain.queries import find, get_or_404

CATEGORY = "billing"
TEMPLATE = "notification"  # the built-in generic message: data ``title`` and ``body``


def pdf_link(session: Session, ctx: TenantContext, invoice: Invoice, *, secret: str, base_url: str) -> str:
    doc = find(session, ctx, Document, invoice.pdf_document_id) if invoice.pdf_document_id else None
    if doc is None or doc.status != "ready":
        raise Conflict("The invoice's PDF is not ready yet; try again in a moment.")
    token, _ = downloads.issue(secret, ctx.tenant_id, doc.id, doc.version, downloads.MAX_SECONDS)
    return f"{base_url.rstrip('/')}{downloads.PATH}{token}"


def send(
    session: Session,
    ctx: TenantContext,
    invoice: Invoice,
    step: str,
    *,
    title: str,
    lines: list[str],
    link: str,
) -> bool:
    """Queue one email to the customer once per ``step``; False when that step's email exists already."""
    key = f"invoice:{invoice.id}:{step}"
    if deliveries.by_dedup_key(session, ctx, key) is not None:
        return False
    customer = get_or_404(session, ctx, BillingCustomer, invoice.customer_id, "customer", deleted=True)
    paragraphs = [*lines, f"The invoice (PDF): {link}"]
    pay = pay_page.payment_url(invoice)  # None once nothing is due, or without Stripe
    if pay is not None:
        paragraphs.append(f"Pay by card: {pay}")
    email_customer(session, ctx, customer, title, paragraphs, dedup_key=key, locale=customer.locale)
    return True


def email_customer(
    session: Session,
    ctx: TenantContext,
    customer: BillingCustomer,
    title: str,
    paragraphs: list[str],
    *,
    dedup_key: str,
    locale: str | None = None,
) -> None:
    """One billing email to the customer (greeted by name), queued for the outbox dispatcher."""
    deliveries.create(
        session,
        ctx,
        recipient={"email": customer.email},
        user_id=None,
        template=TEMPLATE,
        data={"title": title, "body": "\n\n".join([f"Hello {customer.name},", *paragraphs])},
        channels=["email"],
        category=CATEGORY,
        priority="high",
        locale=locale,
        dedup_key=dedup_key,
        hand_to_dispatcher=True,
    )


def _due_text(invoice: Invoice) -> str:
    due = to_text(amount_due(invoice), invoice.currency)
    return (
        f"Amount due: {due} {invoice.currency}, by {invoice.due_on.isoformat() if invoice.due_on else '-'}."
    )


def invoice_email(
    session: Session, ctx: TenantContext, invoice: Invoice, step: str, *, secret: str, base_url: str
) -> bool:
    link = pdf_link(session, ctx, invoice, secret=secret, base_url=base_url)
    lines = [f"Here is invoice {invoice.number}, issued on {invoice.issued_on}.", _due_text(invoice)]
    return send(session, ctx, invoice, step, title=f"Invoice {invoice.number}", lines=lines, link=link)


def reminder(
    session: Session, ctx: TenantContext, invoice: Invoice, round_: int, *, secret: str, base_url: str
) -> bool:
    link = pdf_link(session, ctx, invoice, secret=secret, base_url=base_url)
    if round_ == 0:
        title = f"Final notice: invoice {invoice.number} is overdue"
        lines = [f"Invoice {invoice.number} is still unpaid after its due date. This is our final notice."]
        step = "final_notice"
    else:
        title = f"Reminder: invoice {invoice.number} is overdue"
        lines = [f"Invoice {invoice.number} was due and is still unpaid."]
        step = f"reminder:{round_}"
    return send(session, ctx, invoice, step, title=title, lines=[*lines, _due_text(invoice)], link=link)

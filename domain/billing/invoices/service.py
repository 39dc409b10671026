"""Invoices: drafts (created, read, listed, edited), finalizing with a gapless number and the
customer's credit applied, voiding and marking uncollectible.

Each write locks the invoice row, checks its status (a change the status forbids is a 409 and
nothing changes), bumps ``revision`` when the PDF must show it, and leaves an audit row and its
event in the caller's transaction. Payments are in ``payments.py``, credit notes in
``credit_notes.py``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from db.models.invoices import CreditNote, Invoice
from domain.audit import service as audit
from domain.billing.catalog import rows
from domain.billing.invoices import credit, notify, numbering, priced
from domain.billing.invoices.schemas import InvoiceIn, InvoicePatch, InvoiceRun, LineIn
from domain.billing.invoices.views import amount_due, event_payload
from domain.billing.subscription_states import service as subscription_dunning
from domain.context import TenantContext
from domain.errors import Conflict, ValidationFailed
from domain.events import service as events
from domain.preconditions import check_if_match
from domain.queries import get_or_404, live

READ = "billing:read"
WRITE = "billing:write"
# What an invoice's audit rows diff (no plain dates: the audit trail stores JSON).
FIELDS = [
    "status",
    "number",
    "customer_id",
    "currency",
    "subtotal_minor",
    "tax_minor",
    "total_minor",
    "amount_paid_minor",
    "credit_applied_minor",
    "credited_minor",
    "due_days",
    "memo",
    "collection",
    "finalized_at",
    "sent_at",
]


# What a new invoice has none of yet: money received, credited or applied, PDF renders, reminders.
COUNTERS = (
    "amount_paid_minor",
    "credit_applied_minor",
    "credited_minor",
    "revision",
    "rendered_revision",
    "reminders_sent",
)


def workflow_id(ctx: TenantContext, invoice_id: uuid.UUID) -> str:
    return f"{ctx.tenant_domain}:invoice:{invoice_id}"


def run_of(invoice: Invoice) -> InvoiceRun:
    """What the invoice's workflow runs: it is overdue once its due date has passed (the next day,
    00:00 UTC)."""
    due = invoice.due_on or datetime.now(UTC).date()
    return InvoiceRun(
        tenant_id=invoice.tenant_id,
        invoice_id=invoice.id,
        due_at=datetime(due.year, due.month, due.day, tzinfo=UTC) + timedelta(days=1),
        collection=invoice.collection,
    )


def etag_of(invoice: Invoice) -> str:
    return priced.etag_of(invoice)


def get(session: Session, ctx: TenantContext, invoice_id: uuid.UUID) -> Invoice:
    ctx.require(READ)
    return get_or_404(session, ctx, Invoice, invoice_id, "invoice")


def locked(session: Session, ctx: TenantContext, invoice_id: uuid.UUID) -> Invoice:
    """The invoice under its row lock, for a write."""
    ctx.require(WRITE)
    return get_or_404(session, ctx, Invoice, invoice_id, "invoice", for_update=True)


def credit_notes_of(session: Session, ctx: TenantContext, invoice_ids: list[uuid.UUID]) -> list[CreditNote]:
    if not invoice_ids:
        return []
    stmt = live(ctx, CreditNote).where(CreditNote.invoice_id.in_(invoice_ids))
    return list(session.scalars(stmt.order_by(CreditNote.created_at, CreditNote.id)))


def list_invoices(
    session: Session,
    ctx: TenantContext,
    *,
    status: str | None = None,
    customer: uuid.UUID | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[Invoice], str | None]:
    """Newest first; ``issued_from``/``issued_to`` (inclusive) leave drafts out, they have no date."""
    ctx.require(READ)
    if issued_from and issued_to and issued_to < issued_from:
        raise ValidationFailed.one("to", "is before from")
    where = [Invoice.issued_on >= issued_from] if issued_from else []
    where += [Invoice.issued_on <= issued_to] if issued_to else []
    equal = {"status": status, "customer_id": customer}
    return rows.page_of(session, ctx, Invoice, *where, equal=equal, limit=limit, cursor=cursor)


def stored_inputs(invoice: Invoice) -> list[LineIn]:
    return priced.stored_inputs(invoice)


def changed(
    session: Session, ctx: TenantContext, invoice: Invoice, action: str, before: dict[str, Any] | None
) -> None:
    diff = audit.diff(before, audit.snapshot(invoice, FIELDS))
    priced.record_change(session, ctx, invoice, "invoice", action, diff)


def _announced(
    session: Session, ctx: TenantContext, invoice: Invoice, event: str, before: dict[str, Any]
) -> Invoice:
    """The change recorded and its event (named as its audit action) emitted."""
    changed(session, ctx, invoice, event, before)
    events.emit(session, ctx, event, event_payload(invoice))
    return invoice


def create(session: Session, ctx: TenantContext, body: InvoiceIn) -> Invoice:
    ctx.require(WRITE)
    counters = dict.fromkeys(COUNTERS, 0)
    fields = {"due_days": body.due_days, "memo": body.memo, "collection": body.collection, **counters}
    invoice = priced.new_draft(session, ctx, Invoice, body.customer, body.lines, **fields)
    session.add(invoice)
    changed(session, ctx, invoice, "invoice.created", None)
    return invoice


def patch(
    session: Session, ctx: TenantContext, invoice_id: uuid.UUID, body: InvoicePatch, *, if_match: str | None
) -> Invoice:
    invoice = locked(session, ctx, invoice_id)
    priced.check_editable(invoice, if_match, "invoice", instead="issue a credit note")
    before = audit.snapshot(invoice, FIELDS)
    sent = body.model_fields_set
    if "customer" in sent and body.customer is None:
        raise ValidationFailed.one("customer", "may not be null")
    if "collection" in sent and body.collection is None:
        raise ValidationFailed.one("collection", "may not be null")
    if "lines" in sent and body.lines is None:
        raise ValidationFailed.one("lines", "may not be null: send the new lines")
    priced.reprice(session, ctx, invoice, body.customer, body.lines)
    if "due_days" in sent:
        invoice.due_days = body.due_days
    if "memo" in sent:
        invoice.memo = body.memo
    if body.collection is not None:
        invoice.collection = body.collection
    changed(session, ctx, invoice, "invoice.updated", before)
    return invoice


def finalize(
    session: Session, ctx: TenantContext, invoice_id: uuid.UUID, *, if_match: str | None = None
) -> Invoice:
    """Freeze the draft: lines priced again at today's tax rates, the number taken from the tenant's
    series, issued today and due after ``due_days`` (or the customer's payment terms), and the
    customer's credit applied (an invoice the credit covers is paid at once)."""
    invoice = locked(session, ctx, invoice_id)
    check_if_match(if_match, etag_of(invoice))
    if invoice.status != "draft":
        raise Conflict(f"The invoice is {invoice.status} already.")
    before = audit.snapshot(invoice, FIELDS)
    customer = priced.customer_of(session, ctx, invoice.customer_id, lock=True)
    priced.price(session, ctx, invoice, customer, stored_inputs(invoice))
    now = datetime.now(UTC)
    today = now.date()
    days = invoice.due_days if invoice.due_days is not None else customer.payment_terms_days
    invoice.issued_on = today
    invoice.due_on = today + timedelta(days=days)
    invoice.finalized_at = now
    invoice.number = numbering.next_number(session, ctx, numbering.INVOICE, today)
    applied = min(customer.credit_minor, invoice.total_minor)
    if applied:
        credit.move(session, ctx, customer, -applied, "customer.credit_applied", invoice.id)
        invoice.credit_applied_minor = applied
        invoice.amount_paid_minor = applied
    invoice.status = "open"
    invoice.workflow_id = workflow_id(ctx, invoice.id)
    invoice.revision += 1
    _announced(session, ctx, invoice, "invoice.finalized", before)
    if amount_due(invoice) == 0:
        mark_paid(session, ctx, invoice)
    return invoice


def mark_paid(session: Session, ctx: TenantContext, invoice: Invoice) -> None:
    """Nothing is due any more: paid (by payments, credit or credit notes)."""
    invoice.status = "paid"
    invoice.paid_at = datetime.now(UTC)
    session.flush()
    audit.record(session, ctx, "invoice.paid", "invoice", invoice.id, {"status": ["open", "paid"]})
    events.emit(session, ctx, "invoice.paid", event_payload(invoice), dedup_key=f"invoice:{invoice.id}:paid")
    subscription_dunning.paid(session, ctx, invoice)  # a past_due subscription is active again


def void(session: Session, ctx: TenantContext, invoice_id: uuid.UUID) -> Invoice:
    invoice = locked(session, ctx, invoice_id)
    if invoice.status != "open":
        raise Conflict(f"The invoice is {invoice.status}: only an open invoice can be voided.")
    if invoice.amount_paid_minor or invoice.credited_minor:
        raise Conflict(
            "The invoice has payments, applied credit or credit notes: issue a credit note instead."
        )
    return _close(session, ctx, invoice, "void", "invoice.voided")


def mark_uncollectible(session: Session, ctx: TenantContext, invoice_id: uuid.UUID) -> Invoice:
    invoice = locked(session, ctx, invoice_id)
    if invoice.status != "open":
        raise Conflict(f"The invoice is {invoice.status}: only an open invoice can be marked uncollectible.")
    subscription_dunning.uncollectible(session, ctx, invoice)  # its subscription is suspended
    return _close(session, ctx, invoice, "uncollectible", "invoice.uncollectible")


def _close(session: Session, ctx: TenantContext, invoice: Invoice, status: str, event: str) -> Invoice:
    before = audit.snapshot(invoice, FIELDS)
    invoice.status = status
    invoice.closed_at = datetime.now(UTC)
    invoice.revision += 1
    return _announced(session, ctx, invoice, event, before)


def send(
    session: Session, ctx: TenantContext, invoice_id: uuid.UUID, *, secret: str, base_url: str
) -> Invoice:
    """Email the invoice to its customer with a link to its PDF (each call sends one email)."""
    invoice = locked(session, ctx, invoice_id)
    if invoice.status in ("draft", "void"):
        raise Conflict(
            f"The invoice is {invoice.status}: finalize it first."
            if invoice.status == "draft"
            else "The invoice is void."
        )
    notify.invoice_email(session, ctx, invoice, f"sent:{uuid.uuid4()}", secret=secret, base_url=base_url)
    before = audit.snapshot(invoice, FIELDS)
    invoice.sent_at = datetime.now(UTC)
    return _announced(session, ctx, invoice, "invoice.sent", before)


def delete_draft(session: Session, ctx: TenantContext, invoice_id: uuid.UUID) -> Invoice:
    """A draft is deleted (soft: gone from reads and lists); a finalized invoice is voided or credited."""
    invoice = locked(session, ctx, invoice_id)
    priced.delete_draft(session, ctx, invoice, "invoice", instead="void or credit it")
    return invoice

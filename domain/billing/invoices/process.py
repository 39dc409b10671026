"""The invoice workflow's steps past rendering. Each re-reads the invoice under its row lock and acts
on what it finds, so a retried activity or a late timer never acts twice:

- ``overdue``: at the due date an invoice still open emits ``invoice.overdue`` once and answers the
  tenant's dunning policy for the workflow to schedule.
- ``charge`` (in ``stripe/charges.py``): an automatic charge of the saved payment method, with the
  retry schedule (``charge_retries``, after the first try).
- ``remind``: reminder ``round`` (1..n) emailed once; round 0 is the final notice, then the policy's
  final action (``mark_uncollectible``, or ``notify``: the notice only).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from db.models.invoices import Invoice
from domain.billing.catalog import taxes
from domain.billing.invoices import notify
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import InvoiceStep
from domain.billing.invoices.views import event_payload
from domain.billing.subscription_states import service as subscription_dunning
from domain.context import TenantContext
from domain.durations import parse_duration
from domain.events import service as events
from domain.queries import get_or_404

MAX_REMINDERS = 10
# Automatic charges retried after the first try (Stripe's smart retries take a week or two likewise).
DEFAULT_RETRIES = ("P1D", "P3D", "P5D")


def policy(session: Session, ctx: TenantContext) -> dict[str, Any]:
    """The tenant's dunning policy in seconds after the due date (none when it never set one)."""
    seller = taxes.seller_settings(session, ctx)
    raw = (seller.dunning if seller else None) or {}
    try:
        reminders = [int(parse_duration(r).total_seconds()) for r in raw.get("reminders", [])][:MAX_REMINDERS]
        final = raw.get("final_notice")
        final_seconds = int(parse_duration(final).total_seconds()) if final else None
    except (ValueError, TypeError):
        return {}
    then = raw.get("then") if raw.get("then") in ("mark_uncollectible", "notify") else None
    try:
        retries = [int(parse_duration(r).total_seconds()) for r in raw.get("charge_retries", DEFAULT_RETRIES)]
    except (ValueError, TypeError):
        retries = []
    return {
        "reminders_seconds": sorted(reminders),
        "final_notice_seconds": final_seconds,
        "then": then,
        "retries_seconds": sorted(retries)[:MAX_REMINDERS],
    }


def _locked(session: Session, ctx: TenantContext, invoice_id: uuid.UUID) -> Invoice:
    return get_or_404(session, ctx, Invoice, invoice_id, "invoice", for_update=True)


def overdue(session: Session, ctx: TenantContext, invoice_id: uuid.UUID) -> InvoiceStep:
    invoice = _locked(session, ctx, invoice_id)
    if invoice.status != "open":
        return InvoiceStep(status=invoice.status)
    events.emit(
        session, ctx, "invoice.overdue", event_payload(invoice), dedup_key=f"invoice:{invoice.id}:overdue"
    )
    subscription_dunning.overdue(session, ctx, invoice)  # its subscription is past_due
    return InvoiceStep(status=invoice.status, **policy(session, ctx))


def remind(
    session: Session,
    ctx: TenantContext,
    invoice_id: uuid.UUID,
    round_: int,
    then: str | None,
    *,
    secret: str,
    base_url: str,
) -> InvoiceStep:
    invoice = _locked(session, ctx, invoice_id)
    if invoice.status != "open":
        return InvoiceStep(status=invoice.status)
    if notify.reminder(session, ctx, invoice, round_, secret=secret, base_url=base_url):
        invoice.reminders_sent += 1
        session.flush()
    if round_ == 0 and then == "mark_uncollectible":
        invoices.mark_uncollectible(session, ctx, invoice.id)
    return InvoiceStep(status=invoice.status)

"""What an invoice's dunning does to the subscription it bills (called by the invoice's own steps):

- overdue: an active subscription becomes ``past_due`` (invoicing goes on);
- paid: a past_due subscription with no other overdue invoice is ``active`` again;
- uncollectible (dunning ended with ``mark_uncollectible``): an active or past_due subscription is
  ``suspended``: no invoice is made until it is resumed (``POST .../resume``) or canceled.

Each moves the subscription under its row lock, in the invoice's transaction, with its audit row and
event; an invoice of no subscription, or a subscription already moved on, changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.invoices import Invoice
from db.models.subscriptions import Subscription
from domain.audit import service as audit
from domain.billing.subscriptions.record import FIELDS, changed
from domain.context import TenantContext
from domain.queries import live, mine


def _move(session: Session, ctx: TenantContext, invoice: Invoice, moves: dict[str, str]) -> None:
    if invoice.subscription_id is None:
        return
    stmt = live(ctx, Subscription).where(Subscription.id == invoice.subscription_id)
    sub = session.scalar(stmt.with_for_update(key_share=True))
    if sub is None or sub.status not in moves:
        return
    to = moves[sub.status]
    if to == "active" and _other_overdue(session, ctx, sub, invoice):
        return
    before = audit.snapshot(sub, FIELDS)
    sub.status = to
    changed(session, ctx, sub, f"subscription.{to}", before, to if to != "active" else "updated")


def _other_overdue(session: Session, ctx: TenantContext, sub: Subscription, paid: Invoice) -> bool:
    today = datetime.now(UTC).date()
    found = session.scalar(
        select(Invoice.id)
        .where(
            *mine(ctx, Invoice),
            Invoice.subscription_id == sub.id,
            Invoice.id != paid.id,
            Invoice.status == "open",
            Invoice.due_on < today,
        )
        .limit(1)
    )
    return found is not None


def overdue(session: Session, ctx: TenantContext, invoice: Invoice) -> None:
    _move(session, ctx, invoice, {"active": "past_due"})


def paid(session: Session, ctx: TenantContext, invoice: Invoice) -> None:
    _move(session, ctx, invoice, {"past_due": "active"})


def uncollectible(session: Session, ctx: TenantContext, invoice: Invoice) -> None:
    _move(session, ctx, invoice, {"active": "suspended", "past_due": "suspended"})

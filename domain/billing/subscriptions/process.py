"""The subscription workflow's step: bring the subscription up to ``at`` (the workflow's clock).

One call does what is due and says when to wake next, re-reading the subscription under its row lock,
so a retried activity or a late timer never acts twice (the invoices are keyed, see ``billing.py``):

- trialing, trial over: ``trial_ended``, status active, the first period starts (period 0 is anchored
  at the trial's end);
- active or past_due: the current period's licensed invoice (in advance) if not made yet; once the
  period is over, either ``canceled`` (cancel at period end) or the next period (``renewed``) with
  its licensed invoice. One period per call: a worker that was down catches up period by period;
- the usage of the period that ended last is invoiced (in arrears) once the usage grace period has
  passed after its end (``usage_grace_days``: events that arrive late but within it land in their
  period); a subscription canceled at its period's end keeps its workflow until then;
- paused, suspended, canceled: nothing to invoice (what a pause or a cancel cut short was invoiced
  when it was asked); paused and suspended wait for a signal, canceled ends the workflow.

Invoices made since the last step (by this step or by a request) are handed back once, for the
workflow to start their own workflows (PDF, due date, dunning).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models.subscriptions import Subscription, SubscriptionInvoice
from domain.audit import service as audit
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import InvoiceRun
from domain.billing.subscriptions import billing, periods
from domain.billing.subscriptions import service as subscriptions
from domain.billing.subscriptions.schemas import PeriodStep
from domain.context import TenantContext
from domain.queries import live, mine

BILLING = ("active", "past_due")


def _start_period(sub: Subscription, n: int) -> None:
    sub.period_index = n
    sub.current_period_start, sub.current_period_end = periods.period(
        sub.anchor_at, sub.interval, sub.interval_count, n
    )


def _handed(session: Session, ctx: TenantContext, sub: Subscription) -> list[InvoiceRun]:
    links = list(
        session.scalars(
            live(ctx, SubscriptionInvoice).where(
                SubscriptionInvoice.subscription_id == sub.id, SubscriptionInvoice.handed.is_(False)
            )
        )
    )
    if not links:
        return []
    session.execute(
        update(SubscriptionInvoice)
        .where(*mine(ctx, SubscriptionInvoice), SubscriptionInvoice.id.in_([link.id for link in links]))
        .values(handed=True)
    )
    found = [invoices.get(session, ctx, link.invoice_id) for link in links]
    return [invoices.run_of(invoice) for invoice in found if invoice.status == "open"]


def _cancel_at(
    session: Session, ctx: TenantContext, sub: Subscription, at: datetime, before: dict[str, Any]
) -> None:
    """End a subscription set to cancel at period end, at the period's (or trial's) end."""
    sub.status, sub.canceled_at = "canceled", at
    subscriptions.changed(session, ctx, sub, "subscription.canceled", before, "canceled")


def _due(session: Session, ctx: TenantContext, sub: Subscription, at: datetime) -> bool:
    """One step of work due at ``at``; True when the subscription moved to a new period or ended."""
    if sub.status == "trialing":
        if sub.trial_end is None or at < sub.trial_end:
            return False
        before = audit.snapshot(sub, subscriptions.FIELDS)
        if sub.cancel_at_period_end:
            _cancel_at(session, ctx, sub, sub.trial_end, before)
            return True
        sub.status = "active"
        _start_period(sub, 0)
        subscriptions.changed(session, ctx, sub, "subscription.trial_ended", before, "trial_ended")
        billing.invoice_licensed(session, ctx, sub, sub.current_period_start, sub.current_period_end)
        return True
    if sub.status not in BILLING:
        return False
    billing.invoice_licensed(session, ctx, sub, sub.current_period_start, sub.current_period_end)
    if at < sub.current_period_end:
        return False
    before = audit.snapshot(sub, subscriptions.FIELDS)
    if sub.cancel_at_period_end:
        _cancel_at(session, ctx, sub, sub.current_period_end, before)
        return True
    _start_period(sub, sub.period_index + 1)
    subscriptions.changed(session, ctx, sub, "subscription.renewed", before, "renewed")
    billing.invoice_licensed(session, ctx, sub, sub.current_period_start, sub.current_period_end)
    return True


def _last_closed(sub: Subscription) -> tuple[datetime, datetime] | None:
    """The period that ended last and whose usage is billed after the grace period, if any."""
    if sub.status == "canceled":
        in_trial = sub.trial_end is not None and sub.current_period_end == sub.trial_end
        ended_at_end = sub.canceled_at == sub.current_period_end
        return None if in_trial or not ended_at_end else (sub.current_period_start, sub.current_period_end)
    if sub.status in BILLING and sub.period_index >= 1:
        return periods.period(sub.anchor_at, sub.interval, sub.interval_count, sub.period_index - 1)
    return None


def _usage(
    session: Session, ctx: TenantContext, sub: Subscription, at: datetime, grace: timedelta
) -> datetime | None:
    """Invoice the last closed period's usage once its grace has passed (late events land in their
    period until then); otherwise when that will be, or None when nothing is pending."""
    closed = _last_closed(sub)
    if closed is None or billing.already(session, ctx, sub, billing.key_of("usage", closed[0])):
        return None
    if at >= closed[1] + grace:
        billing.invoice_usage(session, ctx, sub, *closed)
        return None
    return closed[1] + grace


def advance(
    session: Session,
    ctx: TenantContext,
    subscription_id: uuid.UUID,
    at: datetime,
    grace: timedelta,
) -> tuple[PeriodStep, list[InvoiceRun]]:
    sub = subscriptions.locked(session, ctx, subscription_id)
    moved = _due(session, ctx, sub, at)
    pending = _usage(session, ctx, sub, at, grace)
    wake: datetime | None = None
    if sub.status == "trialing":
        wake = sub.trial_end
    elif sub.status in BILLING:
        wake = sub.current_period_end
    if pending is not None:
        wake = min(wake, pending) if wake is not None else pending
    step = PeriodStep(status=sub.status, wake_at=wake, period_index=sub.period_index, moved=moved)
    return step, _handed(session, ctx, sub)


def status_of(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> str | None:
    """The subscription's status (None when it is gone)."""
    return session.scalar(
        select(Subscription.status).where(*mine(ctx, Subscription), Subscription.id == subscription_id)
    )

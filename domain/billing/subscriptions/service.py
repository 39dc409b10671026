"""Subscriptions: create, read, list, and the changes a person asks for (cancel, pause, resume;
items in ``changes.py``). Each change locks the subscription row, checks its state (a change the
state forbids is a 409 and nothing changes), and leaves its audit row and event in the caller's
transaction; the API then signals the subscription's workflow, which invoices what became due.

States: ``trialing`` (no invoice until the trial ends), ``active``, ``past_due`` (an invoice is
overdue; invoicing goes on), ``suspended`` (dunning failed; no invoices until resumed),
``paused`` (no invoices until resumed), ``canceled`` (final).

Pause is immediate: the period is cut short at the pause, its usage so far invoiced at once; the
licensed part already invoiced for the period is not refunded. Resume starts a new period at the
moment of resuming (the anchor moves there), invoiced in advance like any period start.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Unpack

from sqlalchemy.orm import Session

from db.base import utcnow
from db.models.billing import BillingCustomer
from db.models.subscriptions import Subscription
from domain.audit import service as audit
from domain.billing.catalog import rows
from domain.billing.subscription_states.service import FIELDS, changed
from domain.billing.subscriptions import billing, items, periods
from domain.billing.subscriptions.errors import Conflict, ValidationFailed
from domain.billing.subscriptions.schemas import CancelIn, SubscriptionIn
from domain.context import TenantContext
from domain.queries import find, get_or_404

READ = "billing:read"
WRITE = "billing:write"
__all__ = ["FIELDS", "changed"]  # for the workflow's steps and the item changes


def now() -> datetime:
    """Whole seconds: periods and prorations count seconds."""
    return utcnow().replace(microsecond=0)


def workflow_id(ctx: TenantContext, subscription_id: uuid.UUID) -> str:
    return f"{ctx.tenant_domain}:subscription:{subscription_id}"


def get(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> Subscription:
    ctx.require(READ)
    return get_or_404(session, ctx, Subscription, subscription_id, "subscription")


def locked(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> Subscription:
    """The subscription under its row lock. NO KEY UPDATE, not UPDATE: usage events being stored take
    a KEY SHARE lock on the subscription they name (their foreign key), which must not wait on it
    while this transaction then waits on the customer they also name (that would deadlock)."""
    return get_or_404(
        session, ctx, Subscription, subscription_id, "subscription", for_update=True, key_share=True
    )


def list_subscriptions(
    session: Session, ctx: TenantContext, **query: Unpack[rows.StatusListQuery]
) -> tuple[list[Subscription], str | None]:
    """Newest first."""
    return rows.page_by_status(session, ctx, Subscription, query)


def create(session: Session, ctx: TenantContext, body: SubscriptionIn) -> Subscription:
    """Validate everything, store the subscription and its items (the workflow invoices the first
    period once started)."""
    ctx.require(WRITE)
    customer = find(session, ctx, BillingCustomer, body.customer)
    if customer is None:
        raise ValidationFailed.one("customer", "is not a customer of this tenant")
    checked = items.check(session, ctx, customer, body.items)
    start = now()
    trial_end = start + timedelta(days=body.trial_days) if body.trial_days else None
    anchor = trial_end or start
    first = periods.period(anchor, checked.interval, checked.interval_count, 0)
    sub_id = uuid.uuid4()
    sub = Subscription.new(
        ctx,
        id=sub_id,
        customer_id=customer.id,
        status="trialing" if trial_end else "active",
        collection=body.collection,
        currency=customer.currency,
        interval=checked.interval,
        interval_count=checked.interval_count,
        started_at=start,
        trial_end=trial_end,
        anchor_at=anchor,
        period_index=0,
        current_period_start=start if trial_end else first[0],
        current_period_end=trial_end or first[1],
        cancel_at_period_end=False,
        workflow_id=workflow_id(ctx, sub_id),
        version=0,
        created_by=ctx.actor_id,
    )
    session.add(sub)
    session.flush()
    session.add_all(items.build(ctx, sub.id, checked.items, start))
    changed(session, ctx, sub, "subscription.created", None, "created")
    return sub


def _forbid(sub: Subscription, allowed: tuple[str, ...], what: str) -> None:
    if sub.status not in allowed:
        raise Conflict(f"The subscription is {sub.status}: it cannot be {what}.", {"status": sub.status})


def _locked_in(
    session: Session,
    ctx: TenantContext,
    subscription_id: uuid.UUID,
    allowed: tuple[str, ...],
    what: str,
) -> tuple[Subscription, dict[str, Any]]:
    """The subscription locked for a change allowed only from ``allowed``, and its audit snapshot."""
    ctx.require(WRITE)
    sub = locked(session, ctx, subscription_id)
    _forbid(sub, allowed, what)
    return sub, audit.snapshot(sub, FIELDS)


def cancel(session: Session, ctx: TenantContext, subscription_id: uuid.UUID, body: CancelIn) -> Subscription:
    """At the period's end (the workflow ends it then, after invoicing the period's usage), or now:
    canceled at once, the usage to date invoiced in this transaction. A paused or suspended
    subscription has no running period: it is canceled now either way."""
    sub, before = _locked_in(
        session, ctx, subscription_id, ("trialing", "active", "past_due", "paused", "suspended"), "canceled"
    )
    if body.at_period_end and sub.status in ("trialing", "active", "past_due"):
        if sub.cancel_at_period_end:
            raise Conflict("The subscription is already set to end at the end of its period.")
        sub.cancel_at_period_end = True
        changed(session, ctx, sub, "subscription.cancel_scheduled", before, "updated")
        return sub
    at = now()
    if sub.status in ("active", "past_due"):
        _invoice_usage_so_far(session, ctx, sub)
    sub.status = "canceled"
    sub.canceled_at = at
    changed(session, ctx, sub, "subscription.canceled", before, "canceled")
    return sub


def _invoice_usage_so_far(session: Session, ctx: TenantContext, sub: Subscription) -> None:
    """Invoice the current period's usage up to now, as the period is cut short."""
    billing.invoice_usage(
        session, ctx, sub, sub.current_period_start, max(utcnow(), sub.current_period_start)
    )


def pause(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> Subscription:
    sub, before = _locked_in(session, ctx, subscription_id, ("active", "past_due"), "paused")
    at = now()
    _invoice_usage_so_far(session, ctx, sub)
    sub.status = "paused"
    sub.paused_at = at
    changed(session, ctx, sub, "subscription.paused", before, "paused")
    return sub


def resume(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> Subscription:
    """A new period starts now (the anchor moves here); the workflow invoices it in advance."""
    sub, before = _locked_in(session, ctx, subscription_id, ("paused", "suspended"), "resumed")
    at = now()
    sub.anchor_at = at
    sub.period_index = 0
    sub.current_period_start, sub.current_period_end = periods.period(at, sub.interval, sub.interval_count, 0)
    sub.status = "active"
    sub.paused_at = None
    sub.cancel_at_period_end = False
    changed(session, ctx, sub, "subscription.resumed", before, "resumed")
    return sub


def discard(session: Session, ctx: TenantContext, subscription_id: uuid.UUID) -> None:
    """Its workflow could not be started: the subscription is canceled and deleted (soft), with its
    ``canceled`` event, so that what announced it also announces its end; nothing was invoiced."""
    sub = locked(session, ctx, subscription_id)
    before = audit.snapshot(sub, FIELDS)
    sub.status, sub.canceled_at, sub.deleted_at = "canceled", now(), utcnow()
    changed(session, ctx, sub, "subscription.start_failed", before, "canceled")

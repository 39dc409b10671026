"""Usage events in: a batch of 1 to 1,000 is checked whole, then stored in one statement.

The dedup rule: an event is stored once per (tenant, ``transaction_id``). A retried batch, or an event
sent again in a later batch, is counted as a duplicate and changes nothing, even if its other fields
differ: the first one stored wins. Duplicates inside one batch are refused (422), since the sender
cannot mean both.

Usage events are high volume: no audit row nor outbox event per event, one audit row per batch.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, bindparam, cast, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import BillingCustomer
from db.models.subscriptions import Subscription
from db.models.usage import BillableMetric
from domain.audit import service as audit
from domain.billing.usage.errors import FieldError, ValidationFailed
from domain.billing.usage.schemas import NUMERIC_FIELD, UsageBatchIn, UsageEventIn, is_number
from domain.context import TenantContext
from domain.queries import mine

FUTURE_LEEWAY = timedelta(minutes=5)  # clocks of event sources drift
MAX_REPORTED = 100  # field errors in one answer: enough to fix a batch, bounded for a bad one

# One statement and one round trip for the whole batch: the checked batch travels as one JSON
# document (serialised by pydantic's compiled encoder) and PostgreSQL unpacks it into rows. Rows are
# inserted in transaction id order, so concurrent batches that overlap take their key locks in the
# same order and cannot deadlock.
_INSERT = text(
    """
    INSERT INTO usage_events
        (tenant_id, transaction_id, customer_id, subscription_id, metric_code, occurred_at, properties)
    SELECT CAST(:tenant AS uuid), e.transaction_id, e.customer, e.subscription, e.metric, e.timestamp,
           COALESCE(e.properties, '{}'::jsonb)
    FROM jsonb_to_recordset(CAST(:batch AS jsonb) -> 'events') AS e(
        transaction_id text, customer uuid, subscription uuid, metric text, "timestamp" timestamptz,
        properties jsonb
    )
    ORDER BY e.transaction_id
    ON CONFLICT (tenant_id, transaction_id) DO NOTHING
    """
)


@dataclass(frozen=True)
class Ingested:
    accepted: int
    duplicates: int


@dataclass(frozen=True)
class _Rule:
    """What a metric asks of an event's properties."""

    code: str
    field: str | None
    numeric: bool

    def property_ok(self, properties: dict[str, object]) -> bool:
        if self.field is None:
            return True
        value = properties.get(self.field)
        return is_number(value) if self.numeric else value is not None


def _event_errors(
    i: int,
    event: UsageEventIn,
    rule: _Rule | None,
    unknown: set[uuid.UUID],
    window: tuple[datetime, datetime],
) -> list[FieldError]:
    """Why event ``i`` is refused (only called for one that is)."""
    where = f"events.{i}"
    bad: list[FieldError] = []
    if rule is None:
        bad.append(FieldError(f"{where}.metric", f"is not a billable metric of this tenant: {event.metric}"))
    elif not rule.property_ok(event.properties):
        what = "present and a number" if rule.numeric else "present and not null"
        bad.append(FieldError(f"{where}.properties.{rule.field}", f"must be {what} for metric {rule.code}"))
    if event.customer in unknown:
        bad.append(FieldError(f"{where}.customer", "is not a customer of this tenant"))
    oldest, newest = window
    if event.timestamp > newest:
        bad.append(FieldError(f"{where}.timestamp", "is more than 5 minutes in the future"))
    elif event.timestamp < oldest:
        bad.append(
            FieldError(f"{where}.timestamp", f"is older than the grace period (before {oldest.isoformat()})")
        )
    return bad


def _rules(session: Session, ctx: TenantContext, codes: set[str]) -> dict[str, _Rule]:
    """The live metrics the batch names, by code."""
    found = session.execute(
        select(BillableMetric.code, BillableMetric.field, BillableMetric.aggregation).where(
            *mine(ctx, BillableMetric), BillableMetric.code.in_(codes)
        )
    )
    return {code: _Rule(code, field, aggregation in NUMERIC_FIELD) for code, field, aggregation in found}


def _unknown_customers(session: Session, ctx: TenantContext, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``ids`` that are not live customers of the tenant. The ids travel as one text array and
    only the unknown ones come back (usually none): cheaper than a thousand parameters or rows."""
    wanted = func.unnest(
        cast(bindparam("ids", [str(i) for i in ids], type_=ARRAY(String)), ARRAY(PgUUID))
    ).column_valued("wanted")
    known = select(BillingCustomer.id).where(*mine(ctx, BillingCustomer), BillingCustomer.id == wanted)
    return {
        uuid.UUID(found) for found in session.scalars(select(cast(wanted, String)).where(~known.exists()))
    }


def _subscriptions(session: Session, ctx: TenantContext, batch: UsageBatchIn) -> list[FieldError]:
    """The subscriptions the batch names must be the tenant's and belong to the event's customer; an
    event that names only its subscription gets the subscription's customer. One query."""
    ids = {e.subscription for e in batch.events if e.subscription is not None}
    owners: dict[uuid.UUID, uuid.UUID] = {}
    if ids:
        found = session.execute(
            select(Subscription.id, Subscription.customer_id).where(
                *mine(ctx, Subscription), Subscription.id.in_(ids)
            )
        )
        owners = {sub_id: customer_id for sub_id, customer_id in found}
    bad: list[FieldError] = []
    for i, event in enumerate(batch.events):
        if event.subscription is None:
            if event.customer is None:
                bad.append(FieldError(f"events.{i}.customer", "is required unless subscription is given"))
            continue
        owner = owners.get(event.subscription)
        if owner is None:
            bad.append(FieldError(f"events.{i}.subscription", "is not a subscription of this tenant"))
        elif event.customer is not None and event.customer != owner:
            bad.append(FieldError(f"events.{i}.subscription", "belongs to another customer than the event's"))
        else:
            event.customer = owner
    return bad


def check(session: Session, ctx: TenantContext, batch: UsageBatchIn, grace: timedelta) -> None:
    """Every event against the tenant's metrics, customers and subscriptions, the time window and the
    rest of the batch (three queries at most); any fault is a 422 naming ``events.N.field`` and nothing
    is stored."""
    events = batch.events
    owned = _subscriptions(session, ctx, batch)
    if owned:
        raise ValidationFailed(owned[:MAX_REPORTED], "The batch has bad events; nothing was stored.")
    rules = _rules(session, ctx, {e.metric for e in events})
    unknown = _unknown_customers(session, ctx, {e.customer for e in events if e.customer is not None})
    now = utcnow()
    oldest, newest = now - grace, now + FUTURE_LEEWAY
    bad: list[FieldError] = []
    first_at: dict[str, int] = {}
    for i, event in enumerate(events):
        seen = first_at.setdefault(event.transaction_id, i)
        if seen != i:
            bad.append(FieldError(f"events.{i}.transaction_id", f"repeats events.{seen}.transaction_id"))
        rule = rules.get(event.metric)
        if (
            rule is None
            or not rule.property_ok(event.properties)
            or event.customer in unknown
            or not oldest <= event.timestamp <= newest
        ):
            bad.extend(_event_errors(i, event, rule, unknown, (oldest, newest)))
        if len(bad) >= MAX_REPORTED:
            break
    if bad:
        shown = f" (the first {MAX_REPORTED} problems listed)" if len(bad) >= MAX_REPORTED else ""
        raise ValidationFailed(bad[:MAX_REPORTED], f"The batch has bad events{shown}; nothing was stored.")


def store(session: Session, ctx: TenantContext, batch: UsageBatchIn) -> Ingested:
    """Insert the (checked) batch; events already stored under their transaction id are skipped."""
    params = {"tenant": str(ctx.tenant_id), "batch": batch.model_dump_json()}
    accepted = session.execute(_INSERT, params).rowcount  # type: ignore[attr-defined]
    return Ingested(accepted=accepted, duplicates=len(batch.events) - accepted)


def ingest(session: Session, ctx: TenantContext, batch: UsageBatchIn, *, grace: timedelta) -> Ingested:
    """Check the whole batch, store it, and leave one audit row for the batch."""
    ctx.require("usage:write")
    check(session, ctx, batch, grace)
    result = store(session, ctx, batch)
    audit.record(
        session,
        ctx,
        "usage_events.ingested",
        "usage_batch",
        uuid.uuid4(),
        {"events": len(batch.events), "accepted": result.accepted, "duplicates": result.duplicates},
        flush=False,
    )
    return result

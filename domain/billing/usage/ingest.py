"""Usage events in: a batch of 1 to 1,000 is checked whole, then stored in one statement.

The dedup rule: an event is stored once per (tenant, ``transaction_id``). A retried batch, or an event
sent again in a later batch, is counted as a duplicate and changes nothing, even if its other fields
differ: the first one stored wins. Duplicates inside one batch are refused (422), since the sender
cannot mean both.

Usage events are high volume: no audit row nor outbox event per event, one audit row per batch.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import BillingCustomer
from db.models.usage import BillableMetric
from domain.audit import service as audit
from domain.billing.usage.errors import FieldError, ValidationFailed
from domain.billing.usage.schemas import NUMERIC_FIELD, UsageBatchIn, UsageEventIn, is_number
from domain.context import TenantContext
from domain.queries import mine

FUTURE_LEEWAY = timedelta(minutes=5)  # clocks of event sources drift
MAX_REPORTED = 100  # field errors in one answer: enough to fix a batch, bounded for a bad one

# One statement and one round trip for the whole batch: the columns travel as arrays and unnest
# into rows. Rows are sorted by transaction id, so concurrent batches that overlap take their key
# locks in the same order and cannot deadlock.
_INSERT = text(
    """
    INSERT INTO usage_events
        (tenant_id, transaction_id, customer_id, subscription_id, metric_code, occurred_at, properties)
    SELECT CAST(:tenant AS uuid), e.*
    FROM unnest(
        CAST(:transaction_ids AS text[]), CAST(:customers AS uuid[]), CAST(:subscriptions AS uuid[]),
        CAST(:metrics AS text[]), CAST(:timestamps AS timestamptz[]), CAST(:properties AS jsonb[])
    ) AS e
    ON CONFLICT (tenant_id, transaction_id) DO NOTHING
    """
)


@dataclass(frozen=True)
class Ingested:
    accepted: int
    duplicates: int


def _event_errors(
    i: int,
    event: UsageEventIn,
    metrics: dict[str, BillableMetric],
    customers: set[uuid.UUID],
    window: tuple[datetime, datetime],
) -> list[FieldError]:
    where = f"events.{i}"
    bad: list[FieldError] = []
    metric = metrics.get(event.metric)
    if metric is None:
        bad.append(FieldError(f"{where}.metric", f"is not a billable metric of this tenant: {event.metric}"))
    elif metric.field is not None and metric.aggregation in NUMERIC_FIELD:
        value = event.properties.get(metric.field)
        if metric.field not in event.properties:
            bad.append(
                FieldError(f"{where}.properties.{metric.field}", f"is required by metric {metric.code}")
            )
        elif not is_number(value):
            bad.append(
                FieldError(f"{where}.properties.{metric.field}", f"must be a number for {metric.code}")
            )
    elif metric.field is not None and event.properties.get(metric.field) is None:
        bad.append(FieldError(f"{where}.properties.{metric.field}", f"is required by metric {metric.code}"))
    if event.customer not in customers:
        bad.append(FieldError(f"{where}.customer", "is not a customer of this tenant"))
    oldest, newest = window
    if event.timestamp > newest:
        bad.append(FieldError(f"{where}.timestamp", "is more than 5 minutes in the future"))
    elif event.timestamp < oldest:
        bad.append(
            FieldError(f"{where}.timestamp", f"is older than the grace period (before {oldest.isoformat()})")
        )
    return bad


def check(session: Session, ctx: TenantContext, batch: UsageBatchIn, grace: timedelta) -> None:
    """Every event against the tenant's metrics and customers, the time window and the rest of the
    batch (two queries in all); any fault is a 422 naming ``events.N.field`` and nothing is stored."""
    events = batch.events
    codes = {e.metric for e in events}
    metrics = {
        m.code: m
        for m in session.scalars(
            select(BillableMetric).where(*mine(ctx, BillableMetric), BillableMetric.code.in_(codes))
        )
    }
    wanted = {e.customer for e in events}
    customers = set(
        session.scalars(
            select(BillingCustomer.id).where(*mine(ctx, BillingCustomer), BillingCustomer.id.in_(wanted))
        )
    )
    now = utcnow()
    window = (now - grace, now + FUTURE_LEEWAY)
    bad: list[FieldError] = []
    first_at: dict[str, int] = {}
    for i, event in enumerate(events):
        seen = first_at.setdefault(event.transaction_id, i)
        if seen != i:
            bad.append(FieldError(f"events.{i}.transaction_id", f"repeats events.{seen}.transaction_id"))
        bad.extend(_event_errors(i, event, metrics, customers, window))
        if len(bad) >= MAX_REPORTED:
            break
    if bad:
        raise ValidationFailed(bad[:MAX_REPORTED], f"{len(bad)} problem(s) in the batch; nothing was stored.")


def store(session: Session, ctx: TenantContext, batch: UsageBatchIn) -> Ingested:
    """Insert the (checked) batch; events already stored under their transaction id are skipped."""
    events = sorted(batch.events, key=lambda e: e.transaction_id)
    params = {
        "tenant": str(ctx.tenant_id),
        "transaction_ids": [e.transaction_id for e in events],
        "customers": [str(e.customer) for e in events],
        "subscriptions": [str(e.subscription) if e.subscription else None for e in events],
        "metrics": [e.metric for e in events],
        "timestamps": [e.timestamp for e in events],
        "properties": [json.dumps(e.properties, separators=(",", ":")) for e in events],
    }
    accepted = session.execute(_INSERT, params).rowcount  # type: ignore[attr-defined]
    return Ingested(accepted=accepted, duplicates=len(events) - accepted)


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

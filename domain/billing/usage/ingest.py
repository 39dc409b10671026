"""Usage events in: a batch of 1 to 1,000 is checked whole, then stored in one statement.

The dedup rule: an event is stored once per (tenant, ``transaction_id``). A retried batch, or an event
sent again in a later batch, is counted as a duplicate and changes nothing, even if its other fields
differ: the first one stored wins. Duplicates inside one batch are refused (422), since the sender
cannot mean both.

Usage events are high volume: no audit row nor outbox event per event, one audit row per batch. Events
travel as the plain dicts of ``wire.py`` (a thousand models would cost more than the checks).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic_core import to_json
from sqlalchemy import (
    ColumnElement,
    String,
    any_,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import BillingCustomer
from db.models.subscriptions import Subscription
from db.models.usage import BillableMetric
from domain.audit import service as audit
from domain.billing.usage.errors import FieldError, ValidationFailed
from domain.billing.usage.schemas import NUMERIC_FIELD, UsageBatchIn, UsageBatchOut, is_number
from domain.billing.usage.wire import EventIn, events_of
from domain.context import TenantContext
from domain.queries import mine

FUTURE_LEEWAY = timedelta(minutes=5)  # clocks of event sources drift
MAX_REPORTED = 100  # field errors in one answer: enough to fix a batch, bounded for a bad one
_NUMBER_TYPES = (int, float)  # exact types: a boolean is not a number

# One statement and one round trip for the whole batch: the checked events travel as one JSON array
# (serialised by pydantic's compiled encoder) and PostgreSQL unpacks it into rows. Rows are inserted
# in transaction id order, so concurrent batches that overlap take their key locks in the same order
# and cannot deadlock.
_INSERT = text(
    """
    INSERT INTO usage_events
        (tenant_id, transaction_id, customer_id, subscription_id, metric_code, occurred_at, properties)
    SELECT CAST(:tenant AS uuid), e.transaction_id, e.customer, e.subscription, e.metric, e.timestamp,
           COALESCE(e.properties, '{}'::jsonb)
    FROM jsonb_to_recordset(CAST(:events AS jsonb)) AS e(
        transaction_id text, customer uuid, subscription uuid, metric text, "timestamp" timestamptz,
        properties jsonb
    )
    ORDER BY e.transaction_id
    ON CONFLICT (tenant_id, transaction_id) DO NOTHING
    """
)


@dataclass(frozen=True)
class _Rule:
    """What a metric asks of an event's properties."""

    code: str
    field: str | None
    numeric: bool

    def property_ok(self, properties: dict[str, Any]) -> bool:
        if self.field is None:
            return True
        value = properties.get(self.field)
        return is_number(value) if self.numeric else value is not None

    def all_ok(self, events: Iterable[EventIn]) -> bool:
        """``property_ok`` for every one of ``events``, in one pass (a JSON number needs no call)."""
        if self.field is None:
            return True
        values = [(e.get("properties") or {}).get(self.field) for e in events]
        if self.numeric:
            return all(type(v) in _NUMBER_TYPES or is_number(v) for v in values)
        return None not in values


@dataclass(frozen=True)
class _Known:
    """What the database says of the names in a batch."""

    rules: dict[str, _Rule]  # the live metrics named, by code
    unknown: set[str]  # customers named that are not live customers of the tenant
    owners: dict[str, str]  # the tenant's subscriptions named, and their customers


def _uuids(ids: Collection[str], name: str) -> ColumnElement[Any]:
    """A set of ids (their text) as one ``uuid[]`` parameter, sent as the text of an array: cheaper
    than a thousand parameters, or a list the driver adapts item by item."""
    return cast(bindparam(name, "{" + ",".join(ids) + "}", type_=String), ARRAY(PgUUID))


def _lookups(session: Session, ctx: TenantContext, events: list[EventIn]) -> _Known:
    """The metrics, customers and subscriptions the batch names, in one query. Only the unknown
    customers come back (usually none); a subscription comes back with whether its customer is live."""
    customers = {c for e in events if (c := e.get("customer")) is not None}
    subscriptions = {s for e in events if (s := e.get("subscription")) is not None}
    metrics = select(
        literal("metric"), BillableMetric.code, BillableMetric.field, BillableMetric.aggregation
    ).where(*mine(ctx, BillableMetric), BillableMetric.code.in_({e["metric"] for e in events}))
    wanted = func.unnest(_uuids(customers, "customers")).column_valued("wanted")
    known = select(BillingCustomer.id).where(*mine(ctx, BillingCustomer), BillingCustomer.id == wanted)
    unknown = select(literal("unknown"), cast(wanted, String), null(), null()).where(~known.exists())
    owner_live = select(BillingCustomer.id).where(
        *mine(ctx, BillingCustomer), BillingCustomer.id == Subscription.customer_id
    )
    owned = select(
        literal("subscription"),
        cast(Subscription.id, String),
        cast(Subscription.customer_id, String),
        cast(owner_live.exists(), String),
    ).where(*mine(ctx, Subscription), Subscription.id == any_(_uuids(subscriptions, "subscriptions")))
    found = _Known({}, set(), {})
    kind: str
    key: str
    first: str | None
    second: str | None
    for kind, key, first, second in session.execute(union_all(metrics, unknown, owned)):
        if kind == "metric":
            found.rules[key] = _Rule(key, first, second in NUMERIC_FIELD)
        elif kind == "unknown":
            found.unknown.add(key)
        else:
            found.owners[key] = owner = str(first)
            if second != "true":
                found.unknown.add(owner)
    return found


def _event_errors(
    i: int,
    event: EventIn,
    rule: _Rule | None,
    unknown: set[str],
    window: tuple[datetime, datetime],
) -> list[FieldError]:
    """Why event ``i`` is refused (only called for one that is)."""
    where = f"events.{i}"
    bad: list[FieldError] = []
    if rule is None:
        bad.append(
            FieldError(f"{where}.metric", f"is not a billable metric of this tenant: {event['metric']}")
        )
    elif not rule.property_ok(event.get("properties") or {}):
        what = "present and a number" if rule.numeric else "present and not null"
        bad.append(FieldError(f"{where}.properties.{rule.field}", f"must be {what} for metric {rule.code}"))
    if event.get("customer") in unknown:
        bad.append(FieldError(f"{where}.customer", "is not a customer of this tenant"))
    oldest, newest = window
    if event["timestamp"] > newest:
        bad.append(FieldError(f"{where}.timestamp", "is more than 5 minutes in the future"))
    elif event["timestamp"] < oldest:
        bad.append(
            FieldError(f"{where}.timestamp", f"is older than the grace period (before {oldest.isoformat()})")
        )
    return bad


def _owners(events: list[EventIn], owners: dict[str, str]) -> list[FieldError]:
    """The subscriptions the batch names must be the tenant's and belong to the event's customer; an
    event that names only its subscription gets the subscription's customer."""
    bad: list[FieldError] = []
    for i, event in enumerate(events):
        subscription = event.get("subscription")
        customer = event.get("customer")
        if subscription is None:
            if customer is None:
                bad.append(FieldError(f"events.{i}.customer", "is required unless subscription is given"))
            continue
        owner = owners.get(subscription)
        if owner is None:
            bad.append(FieldError(f"events.{i}.subscription", "is not a subscription of this tenant"))
        elif customer is not None and customer != owner:
            bad.append(FieldError(f"events.{i}.subscription", "belongs to another customer than the event's"))
        else:
            event["customer"] = owner
    return bad


def _clean(events: list[EventIn], known: _Known, window: tuple[datetime, datetime]) -> bool:
    """Whether no event is at fault, by tests over the whole batch at once: cheaper than the loop that
    names each fault, which runs only when this says no."""
    oldest, newest = window
    times = [e["timestamp"] for e in events]
    if min(times) < oldest or max(times) > newest:
        return False
    if len({e["transaction_id"] for e in events}) != len(events):
        return False
    if known.unknown and not known.unknown.isdisjoint(e.get("customer") for e in events):
        return False
    codes = {e["metric"] for e in events}
    for code in codes:
        rule = known.rules.get(code)
        if rule is None:
            return False
        if not rule.all_ok(events if len(codes) == 1 else (e for e in events if e["metric"] == code)):
            return False
    return True


def check(session: Session, ctx: TenantContext, events: list[EventIn], grace: timedelta) -> None:
    """Every event against the tenant's metrics, customers and subscriptions (one query), the time
    window and the rest of the batch; any fault is a 422 naming ``events.N.field`` and nothing is
    stored. Subscription faults are answered first, alone."""
    known = _lookups(session, ctx, events)
    owned = _owners(events, known.owners)
    if owned:
        raise ValidationFailed(owned[:MAX_REPORTED], "The batch has bad events; nothing was stored.")
    now = utcnow()
    window = (now - grace, now + FUTURE_LEEWAY)
    if not _clean(events, known, window):
        _refuse(events, known, window)


def _refuse(events: list[EventIn], known: _Known, window: tuple[datetime, datetime]) -> None:
    """The 422 naming the faults of a batch that has some, in event order."""
    rules, unknown = known.rules, known.unknown
    oldest, newest = window
    bad: list[FieldError] = []
    first_at: dict[str, int] = {}
    for i, event in enumerate(events):
        seen = first_at.setdefault(event["transaction_id"], i)
        if seen != i:
            bad.append(FieldError(f"events.{i}.transaction_id", f"repeats events.{seen}.transaction_id"))
        rule = rules.get(event["metric"])
        if (
            rule is None
            or not rule.property_ok(event.get("properties") or {})
            or event.get("customer") in unknown
            or not oldest <= event["timestamp"] <= newest
        ):
            bad.extend(_event_errors(i, event, rule, unknown, window))
        if len(bad) >= MAX_REPORTED:
            break
    if bad:
        shown = f" (the first {MAX_REPORTED} problems listed)" if len(bad) >= MAX_REPORTED else ""
        raise ValidationFailed(bad[:MAX_REPORTED], f"The batch has bad events{shown}; nothing was stored.")


def store(session: Session, ctx: TenantContext, events: list[EventIn]) -> UsageBatchOut:
    """Insert the (checked) events; those already stored under their transaction id are skipped."""
    params = {"tenant": str(ctx.tenant_id), "events": to_json(events).decode()}
    accepted = session.execute(_INSERT, params).rowcount  # type: ignore[attr-defined]
    return UsageBatchOut(accepted=accepted, duplicates=len(events) - accepted)


def ingest(
    session: Session, ctx: TenantContext, batch: UsageBatchIn | list[EventIn], *, grace: timedelta
) -> UsageBatchOut:
    """Check the whole batch, store it, and leave one audit row for the batch."""
    ctx.require("usage:write")
    events = events_of(batch) if isinstance(batch, UsageBatchIn) else batch
    check(session, ctx, events, grace)
    result = store(session, ctx, events)
    audit.record(
        session,
        ctx,
        "usage_events.ingested",
        "usage_batch",
        uuid.uuid4(),
        {"events": len(events), "accepted": result.accepted, "duplicates": result.duplicates},
        flush=False,
    )
    return result

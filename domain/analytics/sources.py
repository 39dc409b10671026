"""The facts a metric may measure: each source names its tables, the time a fact happened, what can be
measured (durations in seconds, amounts as exact decimals) and what it can be sliced by.

A fact belongs to the 15-minute bucket of its ``time``. Sources pick a time that does not move once
the row is a fact (a process's end, a task's completion, a booking's creation): a row that changes
later (a booking marked as a no-show) is folded again through its ``updated_at`` (``changed``).

A *level* (``live``: the tasks open now, what invoices still owe now) is not an event: its facts are
the rows in that state now, measured now (a task's ``age``), so it is never folded into rollups and
every answer reads the rows. Its series counts, per bucket, the facts created then and still in that
state.

Entity records are a source per entity type (``entity_source``): their fields and dimensions are the
type's attributes, ``attribute:<name>``, checked against the type's schema when a metric is published.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from babel.numbers import get_currency_precision, list_currencies
from sqlalchemy import (
    ColumnElement,
    FromClause,
    Numeric,
    Select,
    String,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    or_,
    select,
)

from db.models import (
    Allocation,
    BillableMetric,
    Booking,
    DeliveryMessage,
    Entity,
    EntityType,
    Invoice,
    InvoicePayment,
    Price,
    Process,
    Resource,
    SlaBreach,
    Subscription,
    SubscriptionItem,
    Task,
    UsageEvent,
    WebhookDelivery,
    WebhookDeliveryAttempt,
)
from domain.billing.invoices.payments import PAYABLE
from domain.context import TenantContext
from domain.queries import mine
from domain.scheduling.utilisation.service import BOOKED_STATUSES

Kind = Literal["duration", "amount", "number"]


@dataclass(frozen=True)
class Measured:
    """A numeric column of a source: a duration in seconds, an amount, or a plain number."""

    expr: ColumnElement[Any]
    kind: Kind
    description: str


@dataclass(frozen=True)
class Source:
    name: str
    description: str
    tables: tuple[Any, ...]  # every model read; the first is the fact's own row
    joined: FromClause
    time: Any  # a timestamptz column or expression
    where: tuple[ColumnElement[bool], ...]
    fields: Mapping[str, Measured]
    dimensions: Mapping[str, Any] = field(default_factory=dict)  # name: column or expression
    live: bool = False  # a level measured now, never folded (see the module's doc)
    changed_column: Any = None  # when a fact's row last changed; default the first table's updated_at
    key_column: Any = None  # what identifies a fact; default the first table's id
    # A source no table holds (resource utilisation): its figures computed for each answer, as
    # ``compute(session, ctx, metric, span, asked, bucket_starts) -> (per group, per bucket)``.
    compute: Callable[..., tuple[dict[Any, Any], dict[Any, Any]]] | None = None

    @property
    def main(self) -> Any:
        return self.tables[0]

    @property
    def changed(self) -> Any:
        return self.main.updated_at if self.changed_column is None else self.changed_column

    @property
    def key(self) -> Any:
        return self.main.id if self.key_column is None else self.key_column

    def scope(self, ctx: TenantContext) -> list[ColumnElement[bool]]:
        """The caller's tenant on every table, and what makes a row a fact."""
        return [clause for model in self.tables for clause in mine(ctx, model)] + list(self.where)

    def dimension(self, name: str) -> ColumnElement[Any]:
        return cast(self.dimensions[name], String)


_SAME_TENANT = Price.tenant_id == SubscriptionItem.tenant_id  # tenant: the item's own price


def _join(fact: Any, *others: tuple[Any, ColumnElement[bool]]) -> FromClause:
    """The fact's table joined (inner) to each other model's on its condition, in order."""
    joined: FromClause = fact.__table__
    for model, on in others:
        joined = joined.join(model.__table__, on)
    return joined


def _seconds(end: Any, start: Any) -> ColumnElement[Any]:
    return cast(extract("epoch", end - start), Numeric)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return case((condition, literal(1)), else_=literal(0))


# A task with an SLA breach recorded: one is written when its due date passes while it is open.
_BREACHED = (
    select(SlaBreach.id)
    .where(SlaBreach.task_id == Task.id, SlaBreach.tenant_id == Task.tenant_id)  # tenant: the task's own
    .exists()
)

# Minor units per unit of each currency whose precision is not two places (JPY: 1, BHD: 1000).
_SCALES = {code: 10 ** get_currency_precision(code) for code in list_currencies()}
_UNUSUAL = {code: scale for code, scale in _SCALES.items() if scale != 100}


def _amount(minor: Any, currency: Any) -> ColumnElement[Any]:
    """Integer minor units as an exact decimal amount of ``currency``."""
    return cast(minor, Numeric) / case(_UNUSUAL, value=currency, else_=100)


_STEP = func.split_part(Task.step_key, "#", 1)  # the YAML step id, without loop iteration or assignee


def _joined(values: Select[Any]) -> ColumnElement[Any]:
    """Several values of one fact as one, sorted and comma-joined: a fact is never counted twice."""
    return func.nullif(func.array_to_string(func.array(values.scalar_subquery()), ","), "")


_TAG = func.jsonb_array_elements_text(Resource.tags).table_valued("value")
_TAGS = _joined(select(_TAG.c.value).order_by(_TAG.c.value))
_HELD = cast(Allocation.resource_id, String)
_BOOKING_RESOURCES = _joined(
    select(_HELD)
    .where(Allocation.booking_id == Booking.id)
    .where(Allocation.tenant_id == Booking.tenant_id)  # tenant: the booking's own allocations
    .group_by(_HELD)
    .order_by(_HELD)
)
_LENGTH = _seconds(Booking.end_at, Booking.start_at)
_NO_SHOW = Measured(_flag(Booking.status == "no_show"), "number", "1 for a no-show, else 0")
_OPEN_INVOICE = Invoice.status.in_(PAYABLE)
_DUE = Invoice.total_minor - Invoice.amount_paid_minor - Invoice.credited_minor
_DAYS_LATE = func.current_date() - func.coalesce(Invoice.due_on, Invoice.issued_on)
# A licensed item's price brought to a month (as the MRR report does: a year / 12, a week x 52 / 12, a
# day x 365 / 12, each over the interval count), rounded to whole minor units.
_PER_MONTH = {"month": (1, 1), "year": (1, 12), "week": (52, 12), "day": (365, 12)}
_MONTHLY_MINOR = func.round(
    cast(SubscriptionItem.quantity, Numeric)
    * Price.unit_amount_minor
    * case(*((Subscription.interval == k, n) for k, (n, _) in _PER_MONTH.items()), else_=0)
    / (
        case(*((Subscription.interval == k, d) for k, (_, d) in _PER_MONTH.items()), else_=1)
        * func.greatest(Subscription.interval_count, 1)
    )
)
_BILLING_NOW = (
    SubscriptionItem.kind == "licensed",
    Price.unit_amount_minor.is_not(None),
    Subscription.started_at <= func.now(),
    or_(Subscription.trial_end.is_(None), Subscription.trial_end < func.now()),
    or_(Subscription.canceled_at.is_(None), Subscription.canceled_at >= func.now()),
    or_(Subscription.status != "canceled", Subscription.canceled_at.is_not(None)),
    or_(
        Subscription.status != "paused",
        Subscription.paused_at.is_(None),
        Subscription.paused_at >= func.now(),
    ),
)
_USAGE_VALUE = case(
    (BillableMetric.field.is_(None), literal(1)),
    else_=case(
        (
            func.jsonb_typeof(UsageEvent.properties[BillableMetric.field]) == "number",
            cast(UsageEvent.properties[BillableMetric.field].astext, Numeric),
        ),
        else_=literal(None),
    ),
)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "processes",
            "processes that ended, at the time they ended",
            (Process,),
            Process.__table__,
            Process.ended_at,
            (Process.ended_at.is_not(None),),
            {
                "duration": Measured(
                    _seconds(Process.ended_at, Process.created_at), "duration", "start to end"
                )
            },
            {
                "definition": Process.definition,
                "status": Process.status,
                "version": Process.definition_version,
            },
        ),
        Source(
            "tasks",
            "human tasks completed, at the time they were decided",
            (Task, Process),
            _join(Task, (Process, Task.process_id == Process.id)),
            Task.completed_at,
            (Task.status == "completed", Task.completed_at.is_not(None)),
            {
                "decision_time": Measured(
                    _seconds(Task.completed_at, Task.created_at), "duration", "created to decided"
                ),
                "breached": Measured(_flag(_BREACHED), "number", "1 when it missed its due date, else 0"),
            },
            {
                "assignee": Task.assignee,
                "outcome": Task.outcome,
                "step": _STEP,
                "definition": Process.definition,
            },
        ),
        Source(
            "sla_breaches",
            "missed due dates of human tasks, at the time they were missed",
            (SlaBreach, Task, Process),
            _join(
                SlaBreach, (Task, SlaBreach.task_id == Task.id), (Process, SlaBreach.process_id == Process.id)
            ),
            SlaBreach.breached_at,
            (),
            {
                "overdue": Measured(
                    _seconds(SlaBreach.breached_at, SlaBreach.due_at), "duration", "due to noticed"
                )
            },
            {
                "action": SlaBreach.action,
                "assignee": Task.assignee,
                "step": _STEP,
                "definition": Process.definition,
            },
        ),
        Source(
            "bookings",
            "bookings, at the time they were made",
            (Booking,),
            Booking.__table__,
            Booking.created_at,
            (),
            {
                "lead_time": Measured(
                    _seconds(Booking.start_at, Booking.created_at), "duration", "made to start"
                ),
                "length": Measured(_LENGTH, "duration", "start to end"),
                "no_show": _NO_SHOW,
            },
            {"status": Booking.status, "resource": _BOOKING_RESOURCES},
        ),
        Source(
            "allocations",
            "each resource a booking holds (held, confirmed, completed, no-show), at the booking's start",
            (Allocation, Booking, Resource),
            _join(
                Allocation,
                (Booking, Allocation.booking_id == Booking.id),
                (Resource, Allocation.resource_id == Resource.id),
            ),
            Booking.start_at,
            (Booking.status.in_(BOOKED_STATUSES),),
            {
                "booked": Measured(_LENGTH, "duration", "start to end, buffers aside"),
                "no_show": _NO_SHOW,
            },
            {
                "resource": Allocation.resource_id,
                "resource_name": Resource.name,
                "kind": Resource.kind,
                "tag": _TAGS,
                "status": Booking.status,
            },
            changed_column=Booking.updated_at,  # a booking's status and times change, not its allocation
        ),
        Source(
            "tasks_open",
            "human tasks open now, at the time they were created (a level: never folded, read live)",
            (Task, Process),
            _join(Task, (Process, Task.process_id == Process.id)),
            Task.created_at,
            (Task.status == "open",),
            {
                "age": Measured(_seconds(func.now(), Task.created_at), "duration", "created to now"),
                "overdue": Measured(
                    _flag(Task.due_at < func.now()), "number", "1 when its due date has passed"
                ),
            },
            {
                "assignee": Task.assignee,
                "role": func.nullif(func.substring(Task.assignee, "^role:(.*)$"), ""),
                "step": _STEP,
                "definition": Process.definition,
            },
            live=True,
        ),
        Source(
            "deliveries",
            "notification messages (one per channel), at the time they were queued",
            (DeliveryMessage,),
            DeliveryMessage.__table__,
            DeliveryMessage.created_at,
            (),
            {
                "success": Measured(
                    _flag(DeliveryMessage.status.in_(("sent", "delivered"))),
                    "number",
                    "1 if sent or delivered",
                ),
                "time_to_send": Measured(
                    _seconds(DeliveryMessage.sent_at, DeliveryMessage.created_at),
                    "duration",
                    "queued to sent",
                ),
            },
            {"channel": DeliveryMessage.channel, "status": DeliveryMessage.status},
        ),
        Source(
            "webhook_deliveries",
            "attempts to deliver a webhook, at the time they started",
            (WebhookDeliveryAttempt, WebhookDelivery),
            _join(
                WebhookDeliveryAttempt,
                (WebhookDelivery, WebhookDeliveryAttempt.delivery_id == WebhookDelivery.id),
            ),
            WebhookDeliveryAttempt.started_at,
            (),
            {
                "latency": Measured(
                    cast(WebhookDeliveryAttempt.latency_ms, Numeric) / 1000, "duration", "request to response"
                ),
                "success": Measured(
                    _flag(WebhookDeliveryAttempt.response_status.between(200, 299)),
                    "number",
                    "1 for a 2xx answer",
                ),
            },
            {
                "event_type": WebhookDelivery.event_type,
                "webhook": WebhookDelivery.webhook_id,
                "outcome": case(
                    (WebhookDeliveryAttempt.response_status.between(200, 299), literal("success")),
                    else_=literal("failure"),
                ),
            },
        ),
        Source(
            "invoices",
            "invoices paid in full, at the time they were paid",
            (Invoice,),
            Invoice.__table__,
            Invoice.paid_at,
            (Invoice.status == "paid", Invoice.paid_at.is_not(None)),
            {
                "amount": Measured(
                    _amount(Invoice.total_minor, Invoice.currency), "amount", "the invoice total"
                ),
                "days_to_pay": Measured(
                    _seconds(Invoice.paid_at, Invoice.finalized_at), "duration", "finalized to paid"
                ),
            },
            {"currency": Invoice.currency, "collection": Invoice.collection},
        ),
        Source(
            "payments",
            "payments received, at the time they were received",
            (InvoicePayment,),
            InvoicePayment.__table__,
            InvoicePayment.received_at,
            (InvoicePayment.status == "succeeded",),
            {
                "amount": Measured(
                    _amount(InvoicePayment.amount_minor, InvoicePayment.currency), "amount", "received"
                )
            },
            {"currency": InvoicePayment.currency, "method": InvoicePayment.method},
        ),
        Source(
            "receivables",
            "invoices still owed now (open or uncollectible), at the time they were finalized "
            "(a level: never folded, read live)",
            (Invoice,),
            Invoice.__table__,
            Invoice.finalized_at,
            (_OPEN_INVOICE, Invoice.finalized_at.is_not(None), _DUE > 0),
            {
                "amount_due": Measured(_amount(_DUE, Invoice.currency), "amount", "what is still owed"),
                "days_late": Measured(
                    cast(func.greatest(_DAYS_LATE, 0), Numeric), "number", "days past the due date, 0 before"
                ),
            },
            {
                "currency": Invoice.currency,
                "collection": Invoice.collection,
                "status": Invoice.status,
                "customer": Invoice.customer_id,
                "due": case(
                    (_DAYS_LATE < 0, literal("current")),
                    (_DAYS_LATE <= 30, literal("days_0_30")),
                    (_DAYS_LATE <= 60, literal("days_31_60")),
                    (_DAYS_LATE <= 90, literal("days_61_90")),
                    else_=literal("days_over_90"),
                ),
            },
            live=True,
        ),
        Source(
            "recurring_revenue",
            "licensed subscription items billing now (started, trial over, not canceled nor paused), "
            "each brought to a month, at the time their subscription started (a level: never folded, "
            "read live)",
            (SubscriptionItem, Subscription),
            _join(
                SubscriptionItem,
                (Subscription, SubscriptionItem.subscription_id == Subscription.id),
                # An archived price still bills the subscriptions that hold it.
                (Price, and_(Price.id == SubscriptionItem.price_id, _SAME_TENANT)),
            ),
            Subscription.started_at,
            _BILLING_NOW,
            {
                "mrr": Measured(
                    _amount(_MONTHLY_MINOR, Subscription.currency), "amount", "the item's price per month"
                )
            },
            {
                "currency": Subscription.currency,
                "interval": Subscription.interval,
                "status": Subscription.status,
                "collection": Subscription.collection,
                "customer": Subscription.customer_id,
                "price": SubscriptionItem.price_id,
            },
            live=True,
        ),
        Source(
            "usage_events",
            "usage events reported for billing, at the time they occurred",
            (UsageEvent,),
            UsageEvent.__table__.outerjoin(
                BillableMetric.__table__,
                and_(
                    BillableMetric.tenant_id == UsageEvent.tenant_id,  # tenant: the event's own metric
                    BillableMetric.code == UsageEvent.metric_code,
                    BillableMetric.deleted_at.is_(None),
                ),
            ),
            UsageEvent.occurred_at,
            (),
            {
                "quantity": Measured(
                    _USAGE_VALUE,
                    "number",
                    "the billable metric's field (1 per event for a count metric; none without a metric)",
                )
            },
            {"metric": UsageEvent.metric_code, "customer": UsageEvent.customer_id},
            changed_column=UsageEvent.received_at,  # events are never changed, but may arrive late
            key_column=UsageEvent.transaction_id,
        ),
    )
}


ENTITY_RECORDS = "entity_records"
ATTRIBUTE = "attribute:"


def _attribute_number(name: str) -> ColumnElement[Any]:
    """A numeric attribute; a value of another JSON type (the schema changed since) counts as none."""
    value = Entity.attributes[name]
    return case((func.jsonb_typeof(value) == "number", cast(value.astext, Numeric)), else_=literal(None))


@functools.lru_cache(maxsize=256)
def entity_source(entity_type: str, attributes: tuple[str, ...]) -> Source:
    """The records of ``entity_type`` (live ones), at the time they were created; each of
    ``attributes`` (the names a metric uses) as a field (``attribute:<name>``, numeric values only) and
    as a dimension (its text). Which is which the type's schema decides, at publish time."""
    return Source(
        ENTITY_RECORDS,
        f"records of the entity type '{entity_type}', at the time they were created",
        (Entity, EntityType),
        _join(Entity, (EntityType, Entity.type_id == EntityType.id)),
        Entity.created_at,
        (EntityType.name == entity_type,),
        {ATTRIBUTE + a: Measured(_attribute_number(a), "number", f"the attribute {a}") for a in attributes},
        {"status": Entity.status} | {ATTRIBUTE + a: Entity.attributes[a].astext for a in attributes},
    )

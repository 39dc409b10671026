"""The facts a metric may measure: each source names its tables, the time a fact happened, what can be
measured (durations in seconds, amounts as exact decimals) and what it can be sliced by.

A fact belongs to the 15-minute bucket of its ``time``. Sources pick a time that does not move once
the row is a fact (a process's end, a task's completion, a booking's creation): a row that changes
later (a booking marked as a no-show) is folded again through its ``updated_at``.

Not yet sources: entity records, allocations and usage events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from babel.numbers import get_currency_precision, list_currencies
from sqlalchemy import ColumnElement, FromClause, Numeric, String, case, cast, extract, func, literal

from db.models import (
    Booking,
    DeliveryMessage,
    Invoice,
    InvoicePayment,
    Process,
    SlaBreach,
    Task,
    WebhookDelivery,
    WebhookDeliveryAttempt,
)
from domain.context import TenantContext
from domain.queries import mine

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

    @property
    def main(self) -> Any:
        return self.tables[0]

    def scope(self, ctx: TenantContext) -> list[ColumnElement[bool]]:
        """The caller's tenant on every table, and what makes a row a fact."""
        return [clause for model in self.tables for clause in mine(ctx, model)] + list(self.where)

    def dimension(self, name: str) -> ColumnElement[Any]:
        return cast(self.dimensions[name], String)


def _seconds(end: Any, start: Any) -> ColumnElement[Any]:
    return cast(extract("epoch", end - start), Numeric)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return case((condition, literal(1)), else_=literal(0))


# Minor units per unit of each currency whose precision is not two places (JPY: 1, BHD: 1000).
_SCALES = {code: 10 ** get_currency_precision(code) for code in list_currencies()}
_UNUSUAL = {code: scale for code, scale in _SCALES.items() if scale != 100}


def _amount(minor: Any, currency: Any) -> ColumnElement[Any]:
    """Integer minor units as an exact decimal amount of ``currency``."""
    return cast(minor, Numeric) / case(_UNUSUAL, value=currency, else_=100)


_STEP = func.split_part(Task.step_key, "#", 1)  # the YAML step id, without loop iteration or assignee

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
            Task.__table__.join(Process.__table__, Task.process_id == Process.id),
            Task.completed_at,
            (Task.status == "completed", Task.completed_at.is_not(None)),
            {
                "decision_time": Measured(
                    _seconds(Task.completed_at, Task.created_at), "duration", "created to decided"
                )
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
            SlaBreach.__table__.join(Task.__table__, SlaBreach.task_id == Task.id).join(
                Process.__table__, SlaBreach.process_id == Process.id
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
                "length": Measured(_seconds(Booking.end_at, Booking.start_at), "duration", "start to end"),
                "no_show": Measured(_flag(Booking.status == "no_show"), "number", "1 for a no-show, else 0"),
            },
            {"status": Booking.status},
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
            WebhookDeliveryAttempt.__table__.join(
                WebhookDelivery.__table__, WebhookDeliveryAttempt.delivery_id == WebhookDelivery.id
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
    )
}


def catalogue() -> list[dict[str, Any]]:
    """The catalogue as the API lists it."""
    return [
        {
            "name": s.name,
            "description": s.description,
            "fields": {name: {"kind": f.kind, "description": f.description} for name, f in s.fields.items()},
            "dimensions": sorted(s.dimensions),
        }
        for s in SOURCES.values()
    ]

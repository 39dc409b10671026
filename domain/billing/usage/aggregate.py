"""A metric's quantity for a customer over a window, computed in SQL.

The window is ``[start, end)``: an event at ``start`` counts, one at ``end`` belongs to the next period.
Aggregations: ``count`` (events), ``sum`` and ``max`` of the field as a number, ``unique_count`` (distinct
values of the field), ``latest`` (the field of the newest event; ties broken by arrival). Only events of
the caller's tenant whose properties match every filter count. No event counts: 0.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, ParamSpec

from sqlalchemy import ColumnElement, Numeric, case, cast, distinct, func, select
from sqlalchemy.orm import Session

from db.models import BillingCustomer
from db.models.usage import BillableMetric, UsageEvent
from domain.billing.usage.errors import NotFound, ValidationFailed
from domain.billing.usage.metrics import find_live
from domain.context import TenantContext
from domain.queries import mine

# Numbers are checked when events arrive; the guard keeps a value stored under another metric's rules
# (a code deleted and created again) from failing the whole query: it just does not count.
_SQL_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"
ZERO = Decimal(0)
P = ParamSpec("P")


def _conditions(
    ctx: TenantContext,
    metric: BillableMetric,
    start: datetime,
    end: datetime,
    subscription_id: uuid.UUID | None,
) -> list[ColumnElement[bool]]:
    where = [
        *mine(ctx, UsageEvent),
        UsageEvent.metric_code == metric.code,
        UsageEvent.occurred_at >= start,
        UsageEvent.occurred_at < end,
    ]
    if subscription_id is not None:
        where.append(UsageEvent.subscription_id == subscription_id)
    for prop, values in (metric.filters or {}).items():
        where.append(UsageEvent.properties[prop].astext.in_(values))
    return where


def _number(field: str) -> ColumnElement[Any]:
    raw = UsageEvent.properties[field].astext
    return case((raw.regexp_match(_SQL_NUMBER), cast(raw, Numeric)), else_=None)


def _value(metric: BillableMetric) -> ColumnElement[Any]:
    """The aggregate expression (all but ``latest``, which orders instead)."""
    if metric.aggregation == "count":
        return func.count()
    assert metric.field is not None  # the table's check constraint: only count has none
    if metric.aggregation == "sum":
        return func.sum(_number(metric.field))
    if metric.aggregation == "max":
        return func.max(_number(metric.field))
    return func.count(distinct(UsageEvent.properties[metric.field].astext))


def _check_window(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationFailed.one("from", "times need an offset (RFC 3339)")
    if end <= start:
        raise ValidationFailed.one("to", "must be after from")


def quantity(
    session: Session,
    ctx: TenantContext,
    metric: BillableMetric,
    customer_id: uuid.UUID,
    start: datetime,
    end: datetime,
    subscription_id: uuid.UUID | None = None,
) -> Decimal:
    """The metric's value for one customer over ``[start, end)``, in one query."""
    _check_window(start, end)
    where = [*_conditions(ctx, metric, start, end, subscription_id), UsageEvent.customer_id == customer_id]
    if metric.aggregation == "latest":
        assert metric.field is not None
        number = _number(metric.field)
        stmt = (
            select(number)
            .where(*where, number.is_not(None))
            .order_by(
                UsageEvent.occurred_at.desc(), UsageEvent.received_at.desc(), UsageEvent.transaction_id.desc()
            )
            .limit(1)
        )
    else:
        stmt = select(_value(metric)).where(*where)
    found = session.scalar(stmt)
    return Decimal(found) if found is not None else ZERO


def usage_of(
    session: Session,
    ctx: TenantContext,
    metric_code: str,
    customer_id: uuid.UUID,
    start: datetime,
    end: datetime,
    subscription_id: uuid.UUID | None = None,
) -> tuple[BillableMetric, Decimal]:
    """The live metric and its value for the customer over ``[start, end)``; an unknown metric or
    customer (or another tenant's) is a 404. Metric and customer are found in one query."""
    ctx.require("billing:read")
    _check_window(start, end)
    customer = select(BillingCustomer.id).where(
        *mine(ctx, BillingCustomer), BillingCustomer.id == customer_id
    )
    found = session.execute(
        select(BillableMetric, customer.exists()).where(
            *mine(ctx, BillableMetric), BillableMetric.code == metric_code
        )
    ).first()
    if found is None:
        raise NotFound("billable metric", metric_code)
    if not found[1]:
        raise NotFound("customer", customer_id)
    metric: BillableMetric = found[0]
    return metric, quantity(session, ctx, metric, customer_id, start, end, subscription_id)


def _value_alone(usage: Callable[P, tuple[BillableMetric, Decimal]]) -> Callable[P, Decimal]:
    """``usage`` answering only the value, with the same parameters (so the two cannot drift apart)."""

    def value(*args: P.args, **kwargs: P.kwargs) -> Decimal:
        return usage(*args, **kwargs)[1]

    return value


aggregate = _value_alone(usage_of)
"""The live metric ``metric_code``'s value for the customer over ``[start, end)`` (``usage_of``)."""


def aggregate_all(
    session: Session, ctx: TenantContext, metric_code: str, start: datetime, end: datetime
) -> dict[uuid.UUID, Decimal]:
    """Every customer's value over ``[start, end)`` in one grouped query (an invoicing run's read);
    customers without a counted event are absent."""
    ctx.require("billing:read")
    metric = find_live(session, ctx, metric_code)
    _check_window(start, end)
    where = _conditions(ctx, metric, start, end, None)
    if metric.aggregation == "latest":
        assert metric.field is not None
        number = _number(metric.field)
        stmt = (
            select(UsageEvent.customer_id, number)
            .where(*where, number.is_not(None))
            .distinct(UsageEvent.customer_id)
            .order_by(
                UsageEvent.customer_id,
                UsageEvent.occurred_at.desc(),
                UsageEvent.received_at.desc(),
                UsageEvent.transaction_id.desc(),
            )
        )
    else:
        stmt = select(UsageEvent.customer_id, _value(metric)).where(*where).group_by(UsageEvent.customer_id)
    return {row[0]: Decimal(row[1]) if row[1] is not None else ZERO for row in session.execute(stmt)}

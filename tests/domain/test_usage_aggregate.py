"""Aggregation in SQL, on a real PostgreSQL: each aggregation, filters, the window's edges (start
counts, end does not), subscriptions, dedup across batches, the grouped read of every customer, and
tenant isolation (another tenant's events never count)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.models import BillingCustomer
from db.models.usage import UsageEvent
from db.session import tenant_session
from domain.billing.usage import service as usage
from domain.billing.usage.schemas import MetricIn, UsageBatchIn, UsageBatchOut
from domain.context import TenantContext
from domain.errors import NotFound, ValidationFailed
from tests.conftest import TenantFixture
from tests.subscription_rows import subscription_row

T0 = datetime(2026, 3, 1, tzinfo=UTC)
T1 = datetime(2026, 4, 1, tzinfo=UTC)
EVER = timedelta(days=100_000)  # a grace period that lets these tests write a fixed past month


@pytest.fixture
def session(engine: Engine, tenant: TenantFixture) -> Iterator[Session]:
    with tenant_session(engine, tenant.id) as s:
        yield s


@pytest.fixture
def ctx(tenant: TenantFixture) -> TenantContext:
    return TenantContext.system(tenant.id, tenant.domain)


def new_customer(session: Session, ctx: TenantContext) -> uuid.UUID:
    customer = BillingCustomer(
        tenant_id=ctx.tenant_id, name="Ada Ltd", email="a@ada.example", currency="EUR", country="FR"
    )
    session.add(customer)
    session.flush()
    return customer.id


def new_subscription(session: Session, ctx: TenantContext, customer: uuid.UUID) -> uuid.UUID:
    row = subscription_row(ctx.tenant_id, customer, T0, T1)
    session.add(row)
    session.flush()
    return row.id


def metric(
    session: Session, ctx: TenantContext, code: str, aggregation: str, field: str | None = None, **kw: Any
) -> None:
    usage.create(session, ctx, MetricIn(code=code, name=code, aggregation=aggregation, field=field, **kw))


@pytest.fixture
def send(session: Session, ctx: TenantContext) -> Callable[..., UsageBatchOut]:
    """Ingest events given as (customer, metric, time, properties[, transaction id[, subscription]])."""

    def send_(*rows: tuple[Any, ...]) -> UsageBatchOut:
        events = []
        for row in rows:
            customer, code, at, props, *rest = row
            tx = rest[0] if rest else uuid.uuid4().hex
            sub = str(rest[1]) if len(rest) > 1 else None
            events.append(
                {
                    "transaction_id": tx,
                    "customer": str(customer),
                    "metric": code,
                    "timestamp": at.isoformat(),
                    "properties": props,
                    "subscription": sub,
                }
            )
        return usage.ingest(session, ctx, UsageBatchIn.model_validate({"events": events}), grace=EVER)

    return send_


def value(
    session: Session,
    ctx: TenantContext,
    code: str,
    customer: uuid.UUID,
    start: datetime = T0,
    end: datetime = T1,
    sub: uuid.UUID | None = None,
) -> Decimal:
    return usage.aggregate(session, ctx, code, customer, start, end, sub)


def test_each_aggregation(session: Session, ctx: TenantContext, send: Callable[..., Any]) -> None:
    c = new_customer(session, ctx)
    metric(session, ctx, "calls", "count")
    metric(session, ctx, "gb", "sum", "gb")
    metric(session, ctx, "peak", "max", "n")
    metric(session, ctx, "users", "unique_count", "user")
    metric(session, ctx, "seats", "latest", "seats")
    day = timedelta(days=1)
    send(
        (c, "calls", T0, {}),
        (c, "calls", T0 + day, {"x": 1}),
        (c, "gb", T0, {"gb": "0.1"}),
        (c, "gb", T0 + day, {"gb": 0.2}),
        (c, "gb", T0 + 2 * day, {"gb": "1000000000000.000000000001"}),
        (c, "peak", T0, {"n": -5}),
        (c, "peak", T0 + day, {"n": "-2.5"}),
        (c, "users", T0, {"user": "ann"}),
        (c, "users", T0 + day, {"user": "bob"}),
        (c, "users", T0 + 2 * day, {"user": "ann"}),
        (c, "users", T0 + 3 * day, {"user": 7}),
        (c, "seats", T0 + 3 * day, {"seats": 12}),
        (c, "seats", T0 + 5 * day, {"seats": "4"}),  # the newest, sent first or not
        (c, "seats", T0 + 4 * day, {"seats": 30}),
    )
    assert value(session, ctx, "calls", c) == 2
    assert value(session, ctx, "gb", c) == Decimal("1000000000000.300000000001")  # exact, no float
    assert value(session, ctx, "peak", c) == Decimal("-2.5")
    assert value(session, ctx, "users", c) == 3
    assert value(session, ctx, "seats", c) == 4
    other = new_customer(session, ctx)
    assert [value(session, ctx, code, other) for code in ("calls", "gb", "peak", "users", "seats")] == [0] * 5


def test_filters_match_every_property_against_any_of_its_values(
    session: Session, ctx: TenantContext, send: Callable[..., Any]
) -> None:
    c = new_customer(session, ctx)
    metric(
        session,
        ctx,
        "eu_gpu",
        "sum",
        "minutes",
        filters={"region": ["eu-west", "eu-central"], "gpu": ["true", "1"]},
    )
    send(
        (c, "eu_gpu", T0, {"minutes": 1, "region": "eu-west", "gpu": "true"}),
        (c, "eu_gpu", T0, {"minutes": 2, "region": "eu-central", "gpu": 1}),  # a number matches its text
        (c, "eu_gpu", T0, {"minutes": 4, "region": "us-east", "gpu": "true"}),
        (c, "eu_gpu", T0, {"minutes": 8, "region": "eu-west"}),
        (c, "eu_gpu", T0, {"minutes": 16, "region": "eu-west", "gpu": "false"}),
    )
    assert value(session, ctx, "eu_gpu", c) == 3


def test_the_window_counts_its_start_not_its_end(
    session: Session, ctx: TenantContext, send: Callable[..., Any]
) -> None:
    c = new_customer(session, ctx)
    metric(session, ctx, "calls", "count")
    tick = timedelta(microseconds=1)
    send(
        (c, "calls", T0 - tick, {}),
        (c, "calls", T0, {}),
        (c, "calls", T1 - tick, {}),
        (c, "calls", T1, {}),
        (c, "calls", T1.astimezone(timezone(timedelta(hours=-5))), {}),  # the same instant, other offset
    )
    assert value(session, ctx, "calls", c) == 2
    assert value(session, ctx, "calls", c, T1, T1 + timedelta(days=1)) == 2
    assert value(session, ctx, "calls", c, T0 - timedelta(days=1), T0) == 1
    with pytest.raises(ValidationFailed):
        value(session, ctx, "calls", c, T1, T0)


def test_subscription_narrows_the_events(
    session: Session, ctx: TenantContext, send: Callable[..., Any]
) -> None:
    c = new_customer(session, ctx)
    metric(session, ctx, "calls", "count")
    a, b = new_subscription(session, ctx, c), new_subscription(session, ctx, c)
    other = new_subscription(session, ctx, new_customer(session, ctx))
    with pytest.raises(ValidationFailed) as refused:
        send((c, "calls", T0, {}, "0", uuid.uuid4()), (c, "calls", T0, {}, "00", other))
    assert [f.field for f in refused.value.fields] == ["events.0.subscription", "events.1.subscription"]
    send(
        (c, "calls", T0, {}, "1", a),
        (c, "calls", T0, {}, "2", a),
        (c, "calls", T0, {}, "3", b),
        (c, "calls", T0, {}, "4"),
    )
    assert value(session, ctx, "calls", c) == 4
    assert value(session, ctx, "calls", c, sub=a) == 2
    assert value(session, ctx, "calls", c, sub=b) == 1


def test_an_event_counts_once_across_batches(
    session: Session, ctx: TenantContext, send: Callable[..., Any]
) -> None:
    c = new_customer(session, ctx)
    metric(session, ctx, "gb", "sum", "gb")
    assert send((c, "gb", T0, {"gb": 5}, "tx-1"), (c, "gb", T0, {"gb": 1}, "tx-2")) == UsageBatchOut(
        accepted=2, duplicates=0
    )
    # A retry with another value (a buggy sender) is ignored: the first one stored wins.
    assert send((c, "gb", T0, {"gb": 500}, "tx-1"), (c, "gb", T0, {"gb": 3}, "tx-3")) == UsageBatchOut(
        accepted=1, duplicates=1
    )
    assert value(session, ctx, "gb", c) == 9


def test_every_customer_at_once_matches_one_by_one(
    session: Session, ctx: TenantContext, send: Callable[..., Any]
) -> None:
    customers = [new_customer(session, ctx) for _ in range(4)]
    for code, aggregation, field in (
        ("calls", "count", None),
        ("gb", "sum", "gb"),
        ("peak", "max", "gb"),
        ("last", "latest", "gb"),
        ("u", "unique_count", "gb"),
    ):
        metric(session, ctx, code, aggregation, field)
        send(
            *(
                (c, code, T0 + timedelta(hours=h), {"gb": h % 3})
                for i, c in enumerate(customers[:3])
                for h in range(i + 1)
            )
        )
        everyone = usage.aggregate_all(session, ctx, code, T0, T1)
        assert set(everyone) == set(customers[:3])
        assert everyone == {c: value(session, ctx, code, c) for c in customers[:3]}, code
        assert value(session, ctx, code, customers[3]) == 0


def test_a_value_stored_under_an_earlier_metric_does_not_break_the_sum(
    session: Session, ctx: TenantContext, send: Callable[..., Any]
) -> None:
    c = new_customer(session, ctx)
    metric(session, ctx, "m", "unique_count", "v")
    send((c, "m", T0, {"v": "abc"}), (c, "m", T0, {"v": "2"}))
    usage.delete(session, ctx, "m")
    metric(session, ctx, "m", "sum", "v")  # the code again, now summing the same property
    send((c, "m", T0, {"v": 3}))
    assert value(session, ctx, "m", c) == 5


def test_another_tenants_events_never_count(
    engine: Engine,
    make_tenant: Callable[..., TenantFixture],
    session: Session,
    ctx: TenantContext,
    send: Callable[..., Any],
) -> None:
    mine = new_customer(session, ctx)
    metric(session, ctx, "calls", "count")
    send((mine, "calls", T0, {}, "shared-tx"))
    other = make_tenant("Other")
    theirs = TenantContext.system(other.id, other.domain)
    with tenant_session(engine, other.id) as s:
        their_customer = new_customer(s, theirs)
        usage.create(s, theirs, MetricIn(code="calls", name="Calls", aggregation="count"))
        batch = {
            "events": [
                {
                    "transaction_id": f"t{i}",
                    "customer": str(their_customer),
                    "metric": "calls",
                    "timestamp": T0.isoformat(),
                }
                for i in range(3)
            ]
        }
        batch["events"].append(
            {
                "transaction_id": "shared-tx",
                "customer": str(their_customer),
                "metric": "calls",
                "timestamp": T0.isoformat(),
            }
        )
        assert usage.ingest(s, theirs, UsageBatchIn.model_validate(batch), grace=EVER) == UsageBatchOut(
            accepted=4, duplicates=0
        )
        assert usage.aggregate(s, theirs, "calls", their_customer, T0, T1) == 4
        with pytest.raises(NotFound):
            usage.aggregate(s, theirs, "calls", mine, T0, T1)
    assert value(session, ctx, "calls", mine) == 1
    assert usage.aggregate_all(session, ctx, "calls", T0, T1) == {mine: 1}
    with pytest.raises(NotFound):
        value(session, ctx, "calls", their_customer)
    # Row-level security holds underneath, even without the query helpers' filter.
    assert session.scalar(select(func.count()).select_from(UsageEvent)) == 1


def test_unknown_metric_or_customer_is_not_found(session: Session, ctx: TenantContext) -> None:
    c = new_customer(session, ctx)
    metric(session, ctx, "calls", "count")
    with pytest.raises(NotFound):
        value(session, ctx, "nope", c)
    with pytest.raises(NotFound):
        value(session, ctx, "calls", uuid.uuid4())


def test_latest_breaks_a_tie_in_time_by_arrival_then_transaction_id(
    session: Session, ctx: TenantContext, send: Callable[..., Any]
) -> None:
    c = new_customer(session, ctx)
    metric(session, ctx, "seats", "latest", "seats")
    send(
        (c, "seats", T0, {"seats": 7}, "b"),
        (c, "seats", T0, {"seats": 9}, "a"),
        (c, "seats", T0, {"seats": 8}, "c"),
    )
    assert value(session, ctx, "seats", c) == 8  # one batch, one arrival time: the highest transaction id
    assert usage.aggregate_all(session, ctx, "seats", T0, T1) == {c: 8}

"""Ingestion rules below the API: the batch bounds (the API's body limit stops a large test body first),
the time window and its grace period, the bounded error list, and concurrent overlapping batches
(each event stored once, no deadlock)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, func, select

from db.models import BillingCustomer
from db.models.usage import UsageEvent
from db.session import tenant_session
from domain.billing.usage import service as usage
from domain.billing.usage.ingest import MAX_REPORTED
from domain.billing.usage.schemas import MetricIn, UsageBatchIn, UsageBatchOut, decimal_text
from domain.context import TenantContext
from domain.errors import PermissionDenied, ValidationFailed
from tests.conftest import TenantFixture

WEEK = timedelta(days=7)


def setup(engine: Engine, tenant: TenantFixture) -> tuple[TenantContext, uuid.UUID]:
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        customer = BillingCustomer(
            tenant_id=tenant.id, name="Ada", email="a@ada.example", currency="EUR", country="FR"
        )
        session.add(customer)
        usage.create(session, ctx, MetricIn(code="calls", name="Calls", aggregation="count"))
        session.flush()
        return ctx, customer.id


def batch(customer: uuid.UUID, txs: list[str], at: datetime | None = None) -> UsageBatchIn:
    when = (at or datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    events = [
        {"transaction_id": tx, "customer": str(customer), "metric": "calls", "timestamp": when} for tx in txs
    ]
    return UsageBatchIn.model_validate({"events": events})


def locations(exc: ValidationError) -> list[str]:
    return [".".join(str(p) for p in e["loc"]) for e in exc.errors()]


def test_a_batch_holds_one_to_a_thousand_events() -> None:
    customer = uuid.uuid4()
    assert len(batch(customer, [str(i) for i in range(1000)]).events) == 1000
    for size in (0, 1001):
        with pytest.raises(ValidationError) as caught:
            batch(customer, [str(i) for i in range(size)])
        assert locations(caught.value) == ["events"]


def stored(engine: Engine, tenant: TenantFixture) -> int:
    with tenant_session(engine, tenant.id) as session:
        return session.scalar(select(func.count()).select_from(UsageEvent)) or 0


def test_the_time_window_and_its_grace_period(engine: Engine, tenant: TenantFixture) -> None:
    ctx, customer = setup(engine, tenant)
    now = datetime.now(UTC)
    cases: list[tuple[datetime, timedelta, bool]] = [
        (now + timedelta(minutes=4), WEEK, True),
        (now + timedelta(minutes=6), WEEK, False),
        (now - timedelta(days=6, hours=23), WEEK, True),
        (now - timedelta(days=7, minutes=1), WEEK, False),
        (now - timedelta(days=2), timedelta(days=1), False),  # a shorter grace period set
        (now - timedelta(days=20), timedelta(days=30), True),
    ]
    for i, (at, grace, ok) in enumerate(cases):
        with tenant_session(engine, tenant.id) as session:
            if ok:
                assert usage.ingest(session, ctx, batch(customer, [f"t{i}"], at), grace=grace).accepted == 1
            else:
                with pytest.raises(ValidationFailed) as caught:
                    usage.ingest(session, ctx, batch(customer, [f"t{i}"], at), grace=grace)
                assert [f.field for f in caught.value.fields] == ["events.0.timestamp"]
    assert stored(engine, tenant) == 3


def test_a_thousand_bad_events_answer_a_bounded_list(engine: Engine, tenant: TenantFixture) -> None:
    ctx, _ = setup(engine, tenant)
    with tenant_session(engine, tenant.id) as session, pytest.raises(ValidationFailed) as caught:
        usage.ingest(session, ctx, batch(uuid.uuid4(), [str(i) for i in range(1000)]), grace=WEEK)
    assert len(caught.value.fields) == MAX_REPORTED
    assert caught.value.fields[0].field == "events.0.customer"
    assert stored(engine, tenant) == 0


def test_usage_write_is_needed(engine: Engine, tenant: TenantFixture) -> None:
    _, customer = setup(engine, tenant)
    reader = TenantContext(
        tenant_id=tenant.id, tenant_domain=tenant.domain, permissions=frozenset({"billing:read"})
    )
    with tenant_session(engine, tenant.id) as session, pytest.raises(PermissionDenied):
        usage.ingest(session, reader, batch(customer, ["x"]), grace=WEEK)


def test_concurrent_overlapping_batches_store_each_event_once(engine: Engine, tenant: TenantFixture) -> None:
    ctx, customer = setup(engine, tenant)
    ids = [f"tx-{i:04d}" for i in range(600)]
    # Four senders, each with a different overlapping slice in a different order.
    slices = [ids[0:400], list(reversed(ids[200:600])), ids[100:500][::2] + ids[101:500][::2], ids[::-3]]
    results: list[Any] = []
    start = threading.Barrier(len(slices))

    def send(txs: list[str]) -> None:
        start.wait()
        try:
            with tenant_session(engine, tenant.id) as session:
                results.append(usage.ingest(session, ctx, batch(customer, txs), grace=WEEK))
        except Exception as exc:  # recorded for the assertion below
            results.append(exc)

    threads = [threading.Thread(target=send, args=(s,)) for s in slices]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(isinstance(r, UsageBatchOut) for r in results), results
    assert sum(r.accepted for r in results) == len(ids)
    assert sum(r.accepted + r.duplicates for r in results) == sum(len(s) for s in slices)
    assert stored(engine, tenant) == len(ids)


@pytest.mark.parametrize(
    ("value", "text"),
    [("1E+3", "1000"), ("3.250", "3.25"), ("0E-12", "0"), ("-0.0", "0"), ("100", "100"), ("-2.5", "-2.5")],
)
def test_quantities_are_answered_as_plain_decimal_text(value: str, text: str) -> None:
    assert decimal_text(Decimal(value)) == text

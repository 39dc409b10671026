"""Usage events through the live API: a batch is stored once per transaction id (a retried batch counts
once), every bad event is a 422 naming events.N.field with nothing stored, one audit row per batch,
the usage:write permission, and another tenant's customers refused."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from db.models import AuditLog, BillingCustomer
from db.models.usage import UsageEvent
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of
from tests.api.subscription_helpers import bare_subscription
from tests.api.test_billable_metrics import fields, make_customer, with_role
from tests.conftest import TenantFixture

EVENTS = "/api/v1/usage-events"
METRICS = "/api/v1/billable-metrics"


@pytest.fixture
def customer(admin: Api, engine: Engine, tenant: TenantFixture) -> uuid.UUID:
    """A customer of the tenant, with the metrics the events name."""
    data(admin.post(METRICS, json={"code": "api_calls", "name": "API calls", "aggregation": "count"}), 201)
    data(admin.post(METRICS, json={"code": "gb", "name": "GB", "aggregation": "sum", "field": "gb"}), 201)
    data(
        admin.post(
            METRICS, json={"code": "users", "name": "Users", "aggregation": "unique_count", "field": "user"}
        ),
        201,
    )
    return make_customer(engine, tenant.id)


def event(customer: uuid.UUID, tx: str, **extra: Any) -> dict[str, Any]:
    return {
        "transaction_id": tx,
        "customer": str(customer),
        "metric": "api_calls",
        "timestamp": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "properties": {"region": "eu", "user": "u1"},
    } | extra


def stored(engine: Engine, tenant_id: uuid.UUID) -> int:
    with tenant_session(engine, tenant_id) as session:
        return session.scalar(select(func.count()).select_from(UsageEvent)) or 0


def test_a_retried_batch_counts_once(
    admin: Api, engine: Engine, tenant: TenantFixture, customer: uuid.UUID
) -> None:
    sub = bare_subscription(engine, tenant.id, customer)
    batch = [event(customer, f"tx-{i}", subscription=str(sub)) for i in range(5)]
    assert data(admin.post(EVENTS, json={"events": batch})) == {"accepted": 5, "duplicates": 0}
    assert data(admin.post(EVENTS, json={"events": batch})) == {"accepted": 0, "duplicates": 5}
    # Overlapping a later batch: only the new ones are stored; the first stored version wins.
    changed = [event(customer, "tx-4", metric="gb", properties={"gb": 9}), event(customer, "tx-5")]
    assert data(admin.post(EVENTS, json={"events": changed})) == {"accepted": 1, "duplicates": 1}
    assert stored(engine, tenant.id) == 6
    with tenant_session(engine, tenant.id) as session:
        first = session.scalars(select(UsageEvent).where(UsageEvent.transaction_id == "tx-4")).one()
        assert (first.metric_code, first.subscription_id, first.properties) == (
            "api_calls",
            sub,
            {"region": "eu", "user": "u1"},
        )
        audited = session.scalars(
            select(AuditLog.changes)
            .where(AuditLog.action == "usage_events.ingested")
            .order_by(AuditLog.created_at)
        ).all()
    assert [(a["accepted"], a["duplicates"]) for a in audited] == [(5, 0), (0, 5), (1, 1)]


def test_the_same_transaction_id_is_free_in_another_tenant(
    admin: Api,
    api: Callable[[str | None], Api],
    make_tenant: Callable[..., TenantFixture],
    engine: Engine,
    customer: uuid.UUID,
) -> None:
    other = make_tenant("Other")
    theirs = api(other.api_key)
    data(theirs.post(METRICS, json={"code": "api_calls", "name": "API calls", "aggregation": "count"}), 201)
    their_customer = make_customer(engine, other.id)
    assert data(admin.post(EVENTS, json={"events": [event(customer, "same")]}))["accepted"] == 1
    assert data(theirs.post(EVENTS, json={"events": [event(their_customer, "same")]}))["accepted"] == 1
    # Naming the other tenant's customer is refused like an unknown one.
    err = error_of(
        admin.post(EVENTS, json={"events": [event(their_customer, "x")]}), 422, "validation_failed"
    )
    assert fields(err) == ["events.0.customer"]


NOW = datetime.now(UTC)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"metric": "unknown"}, "events.0.metric"),
        ({"metric": "Bad Code"}, "events.0.metric"),
        ({"customer": str(uuid.uuid4())}, "events.0.customer"),
        ({"customer": "not-a-uuid"}, "events.0.customer"),
        ({"subscription": "nope"}, "events.0.subscription"),
        ({"timestamp": (NOW + timedelta(hours=6)).isoformat()}, "events.0.timestamp"),  # NOW is import time
        ({"timestamp": (NOW - timedelta(days=8)).isoformat()}, "events.0.timestamp"),
        ({"timestamp": "2026-01-01T00:00:00"}, "events.0.timestamp"),
        ({"timestamp": "yesterday"}, "events.0.timestamp"),
        ({"timestamp": 1700000000}, "events.0.timestamp"),
        ({"transaction_id": ""}, "events.0.transaction_id"),
        ({"transaction_id": "t" * 256}, "events.0.transaction_id"),
        ({"transaction_id": "tab\there"}, "events.0.transaction_id"),
        ({"transaction_id": 12}, "events.0.transaction_id"),
        ({"properties": {"nested": {"a": 1}}}, "events.0.properties"),
        ({"properties": {"list": [1]}}, "events.0.properties"),
        ({"properties": {"long": "x" * 256}}, "events.0.properties"),
        ({"properties": {"big": 10**22}}, "events.0.properties"),
        ({"properties": {f"k{i}": i for i in range(51)}}, "events.0.properties"),
        (
            {"properties": {"k" * 65: 1}},
            "events.0.properties." + "k" * 65 + ".[key]",
        ),
        ({"properties": "flat"}, "events.0.properties"),
        ({"metric": "gb", "properties": {}}, "events.0.properties.gb"),
        ({"metric": "gb", "properties": {"gb": "many"}}, "events.0.properties.gb"),
        ({"metric": "gb", "properties": {"gb": True}}, "events.0.properties.gb"),
        ({"metric": "gb", "properties": {"gb": "1e5"}}, "events.0.properties.gb"),
        ({"metric": "users", "properties": {"user": None}}, "events.0.properties.user"),
        ({"unexpected": 1}, "events.0.unexpected"),
    ],
)
def test_a_bad_event_is_a_422_naming_it_and_nothing_is_stored(
    admin: Api, engine: Engine, tenant: TenantFixture, customer: uuid.UUID, extra: dict[str, Any], field: str
) -> None:
    good = [event(customer, "good-1"), event(customer, "good-2", metric="gb", properties={"gb": "1.5"})]
    bad = event(customer, "bad") | extra
    err = error_of(admin.post(EVENTS, json={"events": [bad, *good]}), 422, "validation_failed")
    assert field in fields(err), err
    assert stored(engine, tenant.id) == 0


def test_every_bad_event_of_a_batch_is_named(
    admin: Api, engine: Engine, tenant: TenantFixture, customer: uuid.UUID
) -> None:
    batch = [
        event(customer, "a"),
        event(customer, "b", metric="nope"),
        event(customer, "a"),
        event(uuid.uuid4(), "c", metric="gb", properties={"gb": "x"}),
    ]
    err = error_of(admin.post(EVENTS, json={"events": batch}), 422, "validation_failed")
    assert fields(err) == [
        "events.1.metric",
        "events.2.transaction_id",
        "events.3.properties.gb",
        "events.3.customer",
    ]
    assert "events.0.transaction_id" in err["details"]["fields"][1]["message"]
    assert stored(engine, tenant.id) == 0


def test_a_deleted_metric_takes_no_new_events(
    admin: Api, engine: Engine, tenant: TenantFixture, customer: uuid.UUID
) -> None:
    assert data(admin.post(EVENTS, json={"events": [event(customer, "before")]}))["accepted"] == 1
    data(admin.delete(f"{METRICS}/api_calls"))
    err = error_of(admin.post(EVENTS, json={"events": [event(customer, "after")]}), 422, "validation_failed")
    assert fields(err) == ["events.0.metric"]
    with tenant_session(engine, tenant.id) as session:
        assert session.scalars(select(UsageEvent.metric_code)).all() == ["api_calls"]  # kept as it was


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": []}, "events"),
        ({}, "events"),
        ({"events": {}}, "events"),
        ({"events": [1]}, "events.0"),
        ([], "body"),
    ],
)
def test_a_malformed_batch_is_a_422(admin: Api, customer: uuid.UUID, body: Any, field: str) -> None:
    err = error_of(admin.post(EVENTS, json=body), 422, "validation_failed")
    assert fields(err) == [field], err


def test_a_body_that_is_not_json_is_refused(admin: Api, customer: uuid.UUID) -> None:
    error_of(
        admin.post(EVENTS, content=b'{"events": [', headers={"content-type": "application/json"}),
        400,
        "bad_request",
    )
    error_of(
        admin.post(EVENTS, content=b"", headers={"content-type": "application/json"}), 400, "bad_request"
    )
    error_of(
        admin.post(EVENTS, content=b"events=1", headers={"content-type": "text/plain"}),
        415,
        "unsupported_media_type",
    )


def test_usage_write_is_needed(
    admin: Api,
    api: Callable[[str | None], Api],
    anonymous: Api,
    tenant: TenantFixture,
    customer: uuid.UUID,
    engine: Engine,
) -> None:
    batch = {"events": [event(customer, "p")]}
    reader = with_role(admin, api, tenant, "billing:read", "billing:settings")
    error_of(reader.post(EVENTS, json=batch), 403, "forbidden")
    error_of(reader.post(EVENTS, json={"events": []}), 403, "forbidden")  # before the body is read
    error_of(anonymous.post(EVENTS, json=batch), 401, "unauthenticated")
    writer = with_role(admin, api, tenant, "usage:write")
    assert data(writer.post(EVENTS, json=batch))["accepted"] == 1
    assert stored(engine, tenant.id) == 1


def test_a_deleted_customer_takes_no_new_events(
    admin: Api, engine: Engine, tenant: TenantFixture, customer: uuid.UUID
) -> None:
    with tenant_session(engine, tenant.id) as session:
        row = session.get(BillingCustomer, customer)
        assert row is not None
        row.deleted_at = datetime.now(UTC)
    err = error_of(admin.post(EVENTS, json={"events": [event(customer, "late")]}), 422, "validation_failed")
    assert fields(err) == ["events.0.customer"]
    assert stored(engine, tenant.id) == 0


def test_a_customers_events_read_back_newest_first(
    admin: Api,
    api: Callable[[str | None], Api],
    engine: Engine,
    tenant: TenantFixture,
    customer: uuid.UUID,
    make_tenant: Callable[..., TenantFixture],
) -> None:
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    sub = bare_subscription(engine, tenant.id, customer)
    batch = [
        event(customer, f"tx-{i}", timestamp=(base + timedelta(minutes=i)).isoformat(), subscription=str(sub))
        for i in range(5)
    ]
    batch.append(event(customer, "gb-1", metric="gb", properties={"gb": 2}, timestamp=base.isoformat()))
    someone_else = make_customer(engine, tenant.id, "Other Ltd")
    batch.append(event(someone_else, "theirs", timestamp=base.isoformat()))
    data(admin.post(EVENTS, json={"events": batch}))

    first = admin.get(EVENTS, params={"customer": str(customer), "limit": 2})
    assert [e["transaction_id"] for e in data(first)] == ["tx-4", "tx-3"]
    one = data(first)[0]
    assert (one["customer"], one["subscription"], one["metric"]) == (str(customer), str(sub), "api_calls")
    assert one["properties"] == {"region": "eu", "user": "u1"} and one["received_at"]
    assert datetime.fromisoformat(one["timestamp"]) == base + timedelta(minutes=4)
    seen = [e["transaction_id"] for e in data(first)]
    cursor = first.json()["meta"]["next_cursor"]
    while cursor:
        more = admin.get(EVENTS, params={"customer": str(customer), "limit": 2, "cursor": cursor})
        seen += [e["transaction_id"] for e in data(more)]
        cursor = more.json()["meta"]["next_cursor"]
    assert seen == ["tx-4", "tx-3", "tx-2", "tx-1", "tx-0", "gb-1"]  # same time: by transaction id, desc

    window = {"customer": str(customer), "from": (base + timedelta(minutes=1)).isoformat()}
    window["to"] = (base + timedelta(minutes=3)).isoformat()
    assert [e["transaction_id"] for e in data(admin.get(EVENTS, params=window))] == ["tx-2", "tx-1"]
    only_gb = data(admin.get(EVENTS, params={"customer": str(customer), "metric": "gb"}))
    assert [e["transaction_id"] for e in only_gb] == ["gb-1"]

    error_of(admin.get(EVENTS, params={"customer": str(uuid.uuid4())}), 404, "not_found")
    err = error_of(
        admin.get(EVENTS, params={"customer": str(customer), "cursor": "x"}), 422, "validation_failed"
    )
    assert fields(err) == ["cursor"]
    assert fields(error_of(admin.get(EVENTS), 422, "validation_failed")) == ["customer"]
    other = make_tenant("Other")
    error_of(api(other.api_key).get(EVENTS, params={"customer": str(customer)}), 404, "not_found")
    writer = with_role(admin, api, tenant, "usage:write")
    error_of(writer.get(EVENTS, params={"customer": str(customer)}), 403, "forbidden")


def test_a_batch_of_bad_events_answers_a_bounded_list(
    admin: Api, engine: Engine, tenant: TenantFixture, customer: uuid.UUID
) -> None:
    batch = [{"transaction_id": str(i), "customer": str(customer), "metric": "api_calls"} for i in range(300)]
    err = error_of(admin.post(EVENTS, json={"events": batch}), 422, "validation_failed")
    assert fields(err) == [f"events.{i}.timestamp" for i in range(100)]
    assert "300 problems" in err["message"]
    assert stored(engine, tenant.id) == 0

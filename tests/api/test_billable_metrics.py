"""Billable metrics through the live API: create, read, list, soft delete, the code's uniqueness, every
bad input (422 naming the field, nothing stored), permissions, tenant isolation, and the usage read
(GET /billable-metrics/{code}/usage) over a window whose start counts and whose end does not."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from db.models import AuditLog, BillingCustomer
from db.models.usage import BillableMetric
from db.session import tenant_session
from tests.api.conftest import Api, data, error_of
from tests.conftest import TenantFixture

BASE = "/api/v1/billable-metrics"
STORAGE: dict[str, Any] = {"code": "storage_gb", "name": "Storage", "aggregation": "max", "field": "gb"}


def make_customer(engine: Engine, tenant_id: uuid.UUID, name: str = "Ada Ltd") -> uuid.UUID:
    """A billing customer written through the ORM (its REST routes are another resource's)."""
    with tenant_session(engine, tenant_id) as session:
        customer = BillingCustomer(
            tenant_id=tenant_id, name=name, email="billing@ada.example", currency="EUR", country="FR"
        )
        session.add(customer)
        session.flush()
        return customer.id


def fields(error: dict[str, Any]) -> list[str]:
    return [f["field"] for f in error["details"]["fields"]]


def count_metrics(engine: Engine, tenant_id: uuid.UUID) -> int:
    with tenant_session(engine, tenant_id) as session:
        return session.scalar(select(func.count()).select_from(BillableMetric)) or 0


def with_role(admin: Api, api: Callable[[str | None], Api], tenant: TenantFixture, *permissions: str) -> Api:
    """A user of the tenant whose only role grants ``permissions``."""
    role = f"r{uuid.uuid4().hex[:8]}"
    data(admin.post("/api/v1/roles", json={"name": role, "permissions": list(permissions)}), 201)
    email = f"{role}@{tenant.domain}"
    body = {"email": email, "password": "a-long-password", "roles": [role]}
    data(admin.post("/api/v1/users", json=body), 201)
    return api(None).login(email, "a-long-password")


def test_create_read_list_delete(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    r = admin.post(BASE, json=STORAGE | {"filters": {"region": ["eu", "us"]}})
    metric = data(r, 201)
    assert r.headers["location"] == f"{BASE}/storage_gb"
    assert metric["code"] == "storage_gb" and metric["aggregation"] == "max" and metric["field"] == "gb"
    assert metric["filters"] == {"region": ["eu", "us"]} and metric["deleted_at"] is None
    assert data(admin.get(f"{BASE}/storage_gb")) == metric
    calls = data(
        admin.post(BASE, json={"code": "api_calls", "name": "API calls", "aggregation": "count"}), 201
    )
    assert calls["field"] is None and calls["filters"] == {}
    listed = admin.get(BASE, params={"limit": 1})
    assert [m["code"] for m in data(listed)] == ["api_calls"]  # newest first
    second = admin.get(BASE, params={"limit": 1, "cursor": listed.json()["meta"]["next_cursor"]})
    assert [m["code"] for m in data(second)] == ["storage_gb"]

    gone = data(admin.delete(f"{BASE}/storage_gb"))
    assert gone["deleted_at"] is not None
    error_of(admin.get(f"{BASE}/storage_gb"), 404, "not_found")
    error_of(admin.delete(f"{BASE}/storage_gb"), 404, "not_found")
    assert [m["code"] for m in data(admin.get(BASE))] == ["api_calls"]
    # A deleted metric frees its code.
    again = data(admin.post(BASE, json=STORAGE), 201)
    assert again["id"] != metric["id"]
    with tenant_session(engine, tenant.id) as session:
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.entity_id == metric["id"]).order_by(AuditLog.created_at)
        ).all()
    assert actions == ["billable_metric.created", "billable_metric.deleted"]


def test_a_second_live_metric_with_the_code_is_a_conflict(
    admin: Api, engine: Engine, tenant: TenantFixture
) -> None:
    data(admin.post(BASE, json=STORAGE), 201)
    err = error_of(admin.post(BASE, json=STORAGE | {"name": "Other"}), 409, "conflict")
    assert err["details"]["code"] == "storage_gb"
    assert count_metrics(engine, tenant.id) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"aggregation": "sum", "field": None}, "field"),
        ({"aggregation": "unique_count", "field": None}, "field"),
        ({"aggregation": "latest", "field": None}, "field"),
        ({"aggregation": "count", "field": "gb"}, "field"),
        ({"aggregation": "median"}, "aggregation"),
        ({"code": "Storage"}, "code"),
        ({"code": "a" * 65}, "code"),
        ({"code": ""}, "code"),
        ({"code": "storage-gb"}, "code"),
        ({"name": ""}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"field": "g" * 65}, "field"),
        ({"filters": {"region": []}}, "filters.region"),
        ({"filters": {"region": "eu"}}, "filters.region"),
        ({"filters": {"region": ["x" * 256]}}, "filters.region.0"),
        ({"filters": {"region": ["v"] * 51}}, "filters.region"),
        ({"filters": {f"k{i}": ["v"] for i in range(11)}}, "filters"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    admin: Api, engine: Engine, tenant: TenantFixture, body: dict[str, Any], field: str
) -> None:
    err = error_of(admin.post(BASE, json=STORAGE | body), 422, "validation_failed")
    assert field in fields(err), err
    assert count_metrics(engine, tenant.id) == 0


def test_permissions(admin: Api, api: Callable[[str | None], Api], tenant: TenantFixture) -> None:
    data(admin.post(BASE, json=STORAGE), 201)
    reader = with_role(admin, api, tenant, "billing:read")
    assert data(reader.get(f"{BASE}/storage_gb"))["code"] == "storage_gb"
    assert len(data(reader.get(BASE))) == 1
    error_of(reader.post(BASE, json=STORAGE | {"code": "other"}), 403, "forbidden")
    error_of(reader.delete(f"{BASE}/storage_gb"), 403, "forbidden")
    stranger = with_role(admin, api, tenant, "resources:read")
    error_of(stranger.get(BASE), 403, "forbidden")
    error_of(stranger.get(f"{BASE}/storage_gb"), 403, "forbidden")


def test_another_tenants_metric_is_not_found(
    admin: Api, api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture], engine: Engine
) -> None:
    data(admin.post(BASE, json=STORAGE), 201)
    other = make_tenant("Other")
    theirs = api(other.api_key)
    error_of(theirs.get(f"{BASE}/storage_gb"), 404, "not_found")
    error_of(theirs.delete(f"{BASE}/storage_gb"), 404, "not_found")
    assert data(theirs.get(BASE)) == []
    # The same code is free in another tenant.
    data(theirs.post(BASE, json=STORAGE), 201)
    customer = make_customer(engine, other.id)
    window = {"customer": str(customer), "from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}
    error_of(admin.get(f"{BASE}/storage_gb/usage", params=window), 404, "not_found")


def _send(admin: Api, customer: uuid.UUID, metric: str, at: datetime, n: int, **props: Any) -> None:
    events = [
        {
            "transaction_id": f"{metric}-{at.isoformat()}-{i}-{uuid.uuid4().hex[:6]}",
            "customer": str(customer),
            "metric": metric,
            "timestamp": at.isoformat(),
            "properties": props,
        }
        for i in range(n)
    ]
    assert data(admin.post("/api/v1/usage-events", json={"events": events}))["accepted"] == n


def test_usage_over_a_window(admin: Api, engine: Engine, tenant: TenantFixture) -> None:
    data(admin.post(BASE, json={"code": "api_calls", "name": "API calls", "aggregation": "count"}), 201)
    data(admin.post(BASE, json={"code": "gb", "name": "GB", "aggregation": "sum", "field": "gb"}), 201)
    customer = make_customer(engine, tenant.id)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    end = start + timedelta(days=1)
    _send(admin, customer, "api_calls", start, 3)  # at the start: counted
    _send(admin, customer, "api_calls", end - timedelta(seconds=1), 2)
    _send(admin, customer, "api_calls", end, 4)  # at the end: the next window's
    _send(admin, customer, "gb", start + timedelta(hours=1), 1, gb="1.25")
    _send(admin, customer, "gb", start + timedelta(hours=2), 1, gb=2)
    window = {"customer": str(customer), "from": start.isoformat(), "to": end.isoformat()}
    got = data(admin.get(f"{BASE}/api_calls/usage", params=window))
    assert got["value"] == "5" and got["aggregation"] == "count" and got["customer"] == str(customer)
    assert data(admin.get(f"{BASE}/gb/usage", params=window))["value"] == "3.25"
    later = window | {"from": end.isoformat(), "to": (end + timedelta(days=1)).isoformat()}
    assert data(admin.get(f"{BASE}/api_calls/usage", params=later))["value"] == "4"
    assert data(admin.get(f"{BASE}/gb/usage", params=later))["value"] == "0"

    err = error_of(
        admin.get(f"{BASE}/api_calls/usage", params=window | {"to": window["from"]}), 422, "validation_failed"
    )
    assert fields(err) == ["to"]
    err = error_of(
        admin.get(f"{BASE}/api_calls/usage", params=window | {"from": "2026-01-01T00:00:00"}),
        422,
        "validation_failed",
    )
    assert fields(err) == ["from"]
    err = error_of(
        admin.get(f"{BASE}/api_calls/usage", params={"customer": "nope"}), 422, "validation_failed"
    )
    assert set(fields(err)) == {"customer", "from", "to"}
    error_of(
        admin.get(f"{BASE}/api_calls/usage", params=window | {"customer": str(uuid.uuid4())}),
        404,
        "not_found",
    )
    error_of(admin.get(f"{BASE}/nothing/usage", params=window), 404, "not_found")

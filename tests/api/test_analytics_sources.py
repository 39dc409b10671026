"""The analytics sources beyond processes and payments, through REST with known facts: resource
allocations (resource, tag), bookings per resource, open tasks (a live level), receivables, usage events
and the records of an entity type (their attributes checked against the type's schema when published),
each answering the exact figure, and only the caller's tenant's facts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.dialects.postgresql import Range

from db.models import Allocation, Booking, Resource, Task, UsageEvent
from db.models.usage import BillableMetric
from db.session import tenant_session
from domain.analytics import service as analytics
from domain.context import TenantContext
from tests.api.conftest import Api, data, error_of
from tests.api.invoice_helpers import customer
from tests.api.test_analytics_metrics import YAML, publish, refused
from tests.api.test_billing_reports_helpers import invoice, tax_line
from tests.conftest import TenantFixture
from tests.domain.analytics.rows import process_row

OCTOBER = {"from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z", "timezone": "UTC"}
HOUR = 3600


def groups(api: Api, metric: str, by: str, **params: Any) -> dict[str | None, Any]:
    """The metric's figure per value of ``by`` over the whole asked range (one bucket per month)."""
    query = OCTOBER | {"grain": "month", "group_by": by} | params
    series = data(api.get(f"/api/v1/metrics/{metric}/series", params=query))
    out: dict[str | None, Any] = {}
    for bucket in series["buckets"]:
        for group in bucket["groups"] or []:
            out[group["key"][by]] = group["value"]
    return out


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=UTC)


def book(
    engine: Engine,
    tenant: TenantFixture,
    resources: list[uuid.UUID],
    start: datetime,
    hours: float,
    status: str,
) -> None:
    with tenant_session(engine, tenant.id) as session:
        booking = Booking(
            tenant_id=tenant.id,
            status=status,
            start_at=start,
            end_at=start + timedelta(hours=hours),
            created_at=start - timedelta(days=2),
        )
        session.add(booking)
        session.flush()
        for resource in resources:
            span = Range(start - timedelta(minutes=15), start + timedelta(hours=hours, minutes=15))
            active = status != "cancelled"
            session.add(
                Allocation(
                    tenant_id=tenant.id, booking_id=booking.id, resource_id=resource, span=span, active=active
                )
            )


def rooms(engine: Engine, tenant: TenantFixture) -> tuple[uuid.UUID, uuid.UUID]:
    with tenant_session(engine, tenant.id) as session:
        a = Resource(
            tenant_id=tenant.id, name="Room A", kind="room", timezone="UTC", tags=["or-room", "large"]
        )
        b = Resource(tenant_id=tenant.id, name="Room B", kind="room", timezone="UTC", tags=[])
        session.add_all([a, b])
        session.flush()
        return a.id, b.id


def test_allocations_answer_booked_time_per_resource_and_tag_and_bookings_per_resource(
    admin: Api, api: Any, make_tenant: Any, engine: Engine, tenant: TenantFixture
):
    a, b = rooms(engine, tenant)
    book(engine, tenant, [a], at(21), 2, "confirmed")
    book(engine, tenant, [a, b], at(22), 1, "completed")
    book(engine, tenant, [b], at(23), 0.5, "cancelled")  # holds nothing
    book(engine, tenant, [a], at(24), 4, "no_show")
    book(engine, tenant, [b], datetime(2026, 9, 30, 9, tzinfo=UTC), 8, "confirmed")  # before the range
    assert groups(admin, "resource-booked-time", "resource") == {str(a): 7 * HOUR, str(b): 1 * HOUR}
    assert groups(admin, "resource-booked-time", "tag") == {"large,or-room": 7 * HOUR, None: 1 * HOUR}
    assert groups(admin, "resource-booked-time", "resource_name", **{"filter[tag]": "large,or-room"}) == {
        "Room A": 7 * HOUR
    }
    no_shows = """
name: no-shows-per-room
version: 1
title: No-shows per room
source: allocations
measure: {agg: sum, field: no_show}
dimensions: [resource, status]
"""
    publish(admin, no_shows)
    assert groups(admin, "no-shows-per-room", "resource") == {str(a): 1, str(b): 0}
    per_resource = """
name: bookings-per-resource
version: 1
title: Bookings per resource
source: bookings
measure: {agg: count}
dimensions: [resource, status]
filters: [{dimension: status, op: ne, value: cancelled}]
"""
    publish(admin, per_resource)
    both = ",".join(sorted([str(a), str(b)]))
    assert groups(admin, "bookings-per-resource", "resource", **{"from": "2026-09-01T00:00:00Z"}) == {
        str(a): 2,
        both: 1,
        str(b): 1,
    }
    other = api(make_tenant("Other").api_key)
    assert groups(other, "resource-booked-time", "resource") == {}


def open_tasks(engine: Engine, tenant: TenantFixture, now: datetime) -> None:
    """Three open tasks (2 h, 4 h and 6 h old) and a completed one."""
    with tenant_session(engine, tenant.id) as session:
        process = process_row(tenant.id, definition="approval")
        session.add(process)
        session.flush()
        tasks = [
            ("role:finance", "open", 2),
            ("role:finance", "open", 4),
            ("user:ana@x.example", "open", 6),
            ("role:finance", "completed", 8),
        ]
        for i, (assignee, status, hours) in enumerate(tasks):
            session.add(
                Task(
                    tenant_id=tenant.id,
                    process_id=process.id,
                    step=i,
                    step_key=f"review#{i}",
                    title="Review",
                    assignee=assignee,
                    status=status,
                    created_at=now - timedelta(hours=hours),
                    due_at=now - timedelta(hours=1) if i == 2 else None,
                )
            )


def test_the_open_task_backlog_is_a_live_level_per_role_assignee_and_step(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    now = datetime.now(UTC)
    open_tasks(engine, tenant, now)
    window = {"from": (now - timedelta(days=1)).isoformat(), "to": (now + timedelta(hours=1)).isoformat()}
    backlog = data(admin.get("/api/v1/metrics/task-backlog/value", params=window))
    assert backlog["value"] == 3 and backlog["unit"] == "count"
    assert groups(admin, "task-backlog", "role", **window) == {"finance": 2, None: 1}
    assert groups(admin, "task-backlog", "step", **window) == {"review": 3}
    ages = groups(admin, "task-backlog-age", "assignee", **window)
    assert abs(ages["role:finance"] - 3 * HOUR) < 120 and abs(ages["user:ana@x.example"] - 6 * HOUR) < 120
    # A level is never folded: a fold writes nothing and the answer stays live.
    with tenant_session(engine, tenant.id) as session:
        assert analytics.fold(session, TenantContext.system(tenant.id, tenant.domain), "task-backlog") == 0
    with tenant_session(engine, tenant.id) as session:
        session.query(Task).filter(Task.assignee == "user:ana@x.example").update({"status": "completed"})
    assert data(admin.get("/api/v1/metrics/task-backlog/value", params=window))["value"] == 2


def test_receivables_answer_what_is_still_owed_per_currency_and_due_bucket(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    who = customer(engine, tenant.id)
    today = datetime.now(UTC).date()
    invoice(
        engine, tenant.id, who, date(2026, 10, 3), [tax_line(10000, 2000)], due_on=today + timedelta(days=5)
    )
    invoice(engine, tenant.id, who, date(2026, 10, 4), [tax_line(5000, 0)], due_on=today - timedelta(days=45))
    invoice(engine, tenant.id, who, date(2026, 10, 5), [tax_line(700, 0)], currency="JPY", due_on=today)
    invoice(engine, tenant.id, who, date(2026, 10, 6), [tax_line(9999, 0)], status="paid")
    invoice(engine, tenant.id, who, date(2026, 10, 7), [tax_line(9999, 0)], status="void")
    invoice(engine, tenant.id, who, date(2026, 10, 8), [tax_line(300, 0)], credit_applied=300)  # settled
    assert groups(admin, "receivables", "currency") == {"EUR": "170", "JPY": "700"}
    assert groups(admin, "receivables", "due", **{"filter[currency]": "EUR"}) == {
        "current": "120",
        "days_31_60": "50",
    }


def test_usage_events_sum_the_billable_metric_field_per_customer(
    admin: Api, api: Any, make_tenant: Any, engine: Engine, tenant: TenantFixture
):
    ada, bob = customer(engine, tenant.id), customer(engine, tenant.id, name="Bob")
    with tenant_session(engine, tenant.id) as session:
        session.add(
            BillableMetric(tenant_id=tenant.id, code="storage", name="GB", aggregation="sum", field="gb")
        )
        session.add(BillableMetric(tenant_id=tenant.id, code="calls", name="API", aggregation="count"))
        events = [
            ("storage", ada, {"gb": 1.5}),
            ("storage", ada, {"gb": 2}),
            ("storage", bob, {"gb": 4}),
            ("storage", bob, {"gb": "lots"}),  # not a number: no quantity
            ("calls", ada, {}),
            ("calls", ada, {}),
        ]
        for i, (code, who, props) in enumerate(events):
            session.add(
                UsageEvent(
                    tenant_id=tenant.id,
                    transaction_id=f"t{i}",
                    customer_id=who,
                    metric_code=code,
                    occurred_at=at(10 + i),
                    properties=props,
                )
            )
    storage = {"filter[metric]": "storage"}
    assert groups(admin, "usage-quantity", "customer", **storage) == {str(ada): 3.5, str(bob): 4.0}
    assert groups(admin, "usage-quantity", "metric") == {"storage": 7.5, "calls": 2.0}
    other = api(make_tenant("Other").api_key)
    assert groups(other, "usage-quantity", "metric") == {}


DEALS = """
name: deal-value
version: 1
title: Deal value
source: entity_records
entity_type: deal
measure: {agg: sum, field: "attribute:amount"}
dimensions: ["attribute:stage", "attribute:won", status]
"""


def deal_type(api: Api) -> None:
    schema = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "amount": {"type": "number"},
            "stage": {"enum": ["lead", "proposal", "closed"]},
            "won": {"type": "boolean"},
        },
        "required": ["title"],
    }
    data(api.post("/api/v1/entity-types", json={"name": "deal", "schema": schema}), 201)


def test_entity_records_of_a_type_are_measured_by_their_attributes(admin: Api, api: Any, make_tenant: Any):
    deal_type(admin)
    for title, amount, stage, won in [
        ("a", 100, "lead", False),
        ("b", 250.5, "proposal", False),
        ("c", 1000, "closed", True),
        ("d", None, "lead", False),
    ]:
        attributes: dict[str, Any] = {"title": title, "stage": stage, "won": won}
        if amount is not None:
            attributes["amount"] = amount
        data(admin.post("/api/v1/entities/deal", json={"attributes": attributes}), 201)
    publish(admin, DEALS)
    now = datetime.now(UTC)
    window = {"from": (now - timedelta(hours=1)).isoformat(), "to": (now + timedelta(hours=1)).isoformat()}
    assert groups(admin, "deal-value", "attribute:stage", **window) == {
        "lead": 100.0,
        "proposal": 250.5,
        "closed": 1000.0,
    }
    assert groups(admin, "deal-value", "attribute:won", **window) == {"false": 350.5, "true": 1000.0}
    total = data(admin.get("/api/v1/metrics/deal-value/value", params=window))
    assert total["value"] == 1350.5 and total["unit"] == "number"
    other = api(make_tenant("Other").api_key)
    deal_type(other)
    publish(other, DEALS)
    assert data(other.get("/api/v1/metrics/deal-value/value", params=window))["value"] == 0


def test_an_entity_metric_over_an_unknown_type_or_attribute_is_refused_with_line_and_column(admin: Api):
    deal_type(admin)
    cases = {
        "entity_type: deal\n": ("entity_type: invoice_x\n", "/entity_type", 6),
        '"attribute:stage"': ('"attribute:stag"', "/dimensions/0", 8),
        'field: "attribute:amount"': ('field: "attribute:title"', "/measure/field", 7),
        ', "attribute:won"': (', "attribute:amount"', "/dimensions/1", 8),
    }
    for old, (new, pointer, line) in cases.items():
        fields = refused(admin, DEALS.replace(old, new))
        assert [(f["field"], f["line"]) for f in fields] == [(pointer, line)], fields
    fields = refused(admin, DEALS.replace("entity_type: deal\n", ""))
    assert fields[0]["field"] == "/source" and "entity_type" in fields[0]["message"]
    fields = refused(admin, DEALS.replace("source: entity_records", "source: processes"))
    assert fields[0]["field"] == "/entity_type"
    error_of(admin.get("/api/v1/metrics/deal-value"), 404, "not_found")
    assert "deal-value" not in {m["name"] for m in data(admin.get("/api/v1/metrics?limit=200"))}
    assert admin.post("/api/v1/metrics", content=DEALS, headers=YAML).status_code == 201

"""Subscriptions through the API: creation, reads, lists, and every bad input a 422 naming the field
with nothing stored; another tenant's ids are 404s; reading needs billing:read, changing billing:write."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from types import SimpleNamespace

import pytest

from domain.billing.subscriptions import service
from keel.temporal import connect
from tests.api.conftest import data, error_of
from tests.api.subscription_helpers import customer, recurring, setup, subscribe, wait_until


@pytest.fixture
def shop(engine, tenant):
    return setup(engine, tenant.id)


def test_create_invoices_the_first_period_in_advance(admin, shop):
    sub = subscribe(admin, shop, [{"price": str(shop["plan"]), "quantity": 3}, {"price": str(shop["usage"])}])
    assert sub["status"] == "active" and sub["collection"] == "send_invoice"
    assert sub["interval"] == "month" and sub["trial_end"] is None
    start = datetime.fromisoformat(sub["current_period_start"])
    end = datetime.fromisoformat(sub["current_period_end"])
    assert end.day == start.day or end.month != start.month
    kinds = {i["kind"]: i for i in sub["items"]}
    assert kinds["licensed"]["quantity"] == 3 and kinds["licensed"]["unit_amount"] == "10.00"
    assert kinds["usage"]["metric"] == shop["metric"]
    assert data(admin.get(f"/api/v1/subscriptions/{sub['id']}"))["id"] == sub["id"]
    assert [s["id"] for s in data(admin.get("/api/v1/subscriptions"))] == [sub["id"]]
    assert data(admin.get("/api/v1/subscriptions", params={"status": "paused"})) == []

    done = wait_until(admin, sub["id"], lambda s: s["latest_invoices"])
    (invoice,) = done["latest_invoices"]
    assert invoice["kind"] == "licensed" and invoice["status"] == "open"
    assert invoice["total"] == "36.00"  # 3 x 10.00 + 20 % VAT
    full = data(admin.get(f"/api/v1/invoices/{invoice['id']}"))
    assert full["number"].startswith("INV-") and full["customer"] == str(shop["customer"])


def test_a_trial_invoices_nothing(admin, shop):
    sub = subscribe(
        admin, shop, [{"price": str(shop["plan"])}], trial_days=14, collection="charge_automatically"
    )
    assert sub["status"] == "trialing" and sub["collection"] == "charge_automatically"
    assert sub["trial_end"] == sub["current_period_end"]
    assert (datetime.fromisoformat(sub["trial_end"]) - datetime.fromisoformat(sub["started_at"])).days == 14
    assert data(admin.get("/api/v1/invoices")) == []


@pytest.mark.parametrize(
    ("items", "extra", "field"),
    [
        ([], {}, "items"),
        ([{"price": "P", "quantity": 0}], {}, "items.0.quantity"),
        ([{"price": "P", "quantity": 1.5}], {}, "items.0.quantity"),
        ([{"price": "P", "quantity": "2"}], {}, "items.0.quantity"),
        ([{"price": "P", "quantity": 1_000_001}], {}, "items.0.quantity"),
        ([{"price": "P"}] * 21, {}, "items"),
        ([{"price": "P"}], {"trial_days": 731}, "trial_days"),
        ([{"price": "P"}], {"trial_days": -1}, "trial_days"),
        ([{"price": "P"}], {"collection": "cash"}, "collection"),
        ([{"price": "P", "extra": 1}], {}, "items.0.extra"),
        ([{"price": "not-a-uuid"}], {}, "items.0.price"),
    ],
)
def test_malformed_input_is_422_naming_the_field(admin, shop, items, extra, field):
    body_items = [{**i, "price": str(shop["plan"]) if i["price"] == "P" else i["price"]} for i in items]
    r = admin.post(
        "/api/v1/subscriptions", json={"customer": str(shop["customer"]), "items": body_items, **extra}
    )
    fields = [f["field"] for f in error_of(r, 422, "validation_failed")["details"]["fields"]]
    assert field in fields, fields
    assert data(admin.get("/api/v1/subscriptions")) == []


def test_catalogue_rules_are_422_and_store_nothing(admin, engine, tenant, shop, make_tenant):
    one_time = recurring(engine, tenant.id, 500, type_="one_time")
    dollars = recurring(engine, tenant.id, 500, currency="USD")
    yearly = recurring(engine, tenant.id, 500, interval="year")
    huge = recurring(engine, tenant.id, 10**13)  # 100 billion EUR a unit
    other = make_tenant("Other")
    foreign = recurring(engine, other.id, 500)
    plan, usage = str(shop["plan"]), str(shop["usage"])
    cases = [
        ([{"price": str(one_time)}], "items.0.price", "one-time"),
        ([{"price": plan}, {"price": str(dollars)}], "items.1.price", "USD"),
        ([{"price": plan}, {"price": str(yearly)}], "items.1.price", "interval"),
        ([{"price": str(foreign)}], "items.0.price", "not a price of this tenant"),
        ([{"price": plan}, {"price": plan}], "items.1.price", "repeats"),
        ([{"price": usage, "quantity": 3}], "items.0.quantity", "usage"),
        ([{"price": str(huge), "quantity": 1000}], "items.0.quantity", "too large"),
    ]
    for items, field, words in cases:
        r = admin.post("/api/v1/subscriptions", json={"customer": str(shop["customer"]), "items": items})
        (found,) = [
            f for f in error_of(r, 422, "validation_failed")["details"]["fields"] if f["field"] == field
        ]
        assert words in found["message"], found
    stranger = customer(engine, other.id)
    r = admin.post("/api/v1/subscriptions", json={"customer": str(stranger), "items": [{"price": plan}]})
    assert error_of(r, 422, "validation_failed")["details"]["fields"][0]["field"] == "customer"
    assert data(admin.get("/api/v1/subscriptions")) == []
    assert data(admin.get("/api/v1/invoices")) == []


def test_idempotency_key_makes_one_subscription(admin, shop):
    body = {"customer": str(shop["customer"]), "items": [{"price": str(shop["plan"])}]}
    headers = {"Idempotency-Key": "sub-1"}
    first = data(admin.post("/api/v1/subscriptions", json=body, headers=headers), 201)
    again = data(admin.post("/api/v1/subscriptions", json=body, headers=headers), 201)
    assert first["id"] == again["id"]
    assert len(data(admin.get("/api/v1/subscriptions"))) == 1


def test_another_tenant_gets_404_and_permissions_hold(admin, api, shop, make_tenant, tenant):
    sub = subscribe(admin, shop, [{"price": str(shop["plan"])}])
    other = api(make_tenant("Other").api_key)
    base = f"/api/v1/subscriptions/{sub['id']}"
    error_of(other.get(base), 404, "not_found")
    error_of(other.get(base + "/usage"), 404, "not_found")
    for action in ("cancel", "pause", "resume"):
        error_of(other.post(f"{base}/{action}"), 404, "not_found")
    error_of(other.patch(base, json={"items": [{"price": str(shop["plan"])}]}), 404, "not_found")
    assert data(other.get("/api/v1/subscriptions")) == []

    data(admin.post("/api/v1/roles", json={"name": "reader", "permissions": ["billing:read"]}), 201)
    email = f"reader@{tenant.domain}"
    body = {"email": email, "password": "a-long-password", "roles": ["reader"]}
    data(admin.post("/api/v1/users", json=body), 201)
    reader = api(None).login(email, "a-long-password")
    assert data(reader.get(base))["id"] == sub["id"]
    new = {"customer": str(shop["customer"]), "items": [{"price": str(shop["plan"])}]}
    error_of(reader.post("/api/v1/subscriptions", json=new), 403, "forbidden")
    error_of(reader.post(base + "/cancel", json={"at_period_end": False}), 403, "forbidden")
    assert data(admin.get(base))["status"] == "active"


def test_a_subscription_temporal_refuses_answers_503_and_is_not_kept(admin, shop, tenant, live, monkeypatch):
    fixed = uuid.uuid4()
    monkeypatch.setattr(service, "uuid", SimpleNamespace(uuid4=lambda: fixed, UUID=uuid.UUID))
    workflow_id = f"{tenant.domain}:subscription:{fixed}"

    async def block() -> None:  # a run of a type no worker polls, holding the subscription's workflow id
        client = await connect(live.settings)
        await client.start_workflow("blocker", id=workflow_id, task_queue=f"nobody-{fixed}")

    async def unblock() -> None:
        client = await connect(live.settings)
        await client.get_workflow_handle(workflow_id).terminate()

    asyncio.run(block())
    try:
        body = {"customer": str(shop["customer"]), "items": [{"price": str(shop["plan"])}]}
        error_of(admin.post("/api/v1/subscriptions", json=body), 503, "service_unavailable")
    finally:
        asyncio.run(unblock())
    assert data(admin.get("/api/v1/subscriptions")) == []
    error_of(admin.get(f"/api/v1/subscriptions/{fixed}"), 404, "not_found")
    events = data(admin.get("/api/v1/events", params={"type": "subscription.*"}))
    assert sorted(e["type"] for e in events) == ["subscription.canceled", "subscription.created"]
    assert data(admin.get("/api/v1/invoices")) == []


def test_list_pages_filters_and_carries_items(admin, shop, engine, tenant):
    other = customer(engine, tenant.id, email="other@example.com")
    made = [subscribe(admin, shop, [{"price": str(shop["plan"]), "quantity": q}]) for q in (1, 2)]
    body = {"customer": str(other), "items": [{"price": str(shop["seat"])}], "trial_days": 3}
    made.append(data(admin.post("/api/v1/subscriptions", json=body), 201))
    first = admin.get("/api/v1/subscriptions", params={"limit": 2}).json()
    assert [s["id"] for s in first["data"]] == [made[2]["id"], made[1]["id"]]
    rest = data(
        admin.get("/api/v1/subscriptions", params={"limit": 2, "cursor": first["meta"]["next_cursor"]})
    )
    assert [s["id"] for s in rest] == [made[0]["id"]] and rest[0]["items"][0]["quantity"] == 1
    trialing = data(admin.get("/api/v1/subscriptions", params={"status": "trialing"}))
    assert [s["id"] for s in trialing] == [made[2]["id"]] and trialing[0]["items"][0]["unit_amount"] == "5.00"
    mine = data(admin.get("/api/v1/subscriptions", params={"customer": str(shop["customer"])}))
    assert {s["id"] for s in mine} == {made[0]["id"], made[1]["id"]}
    error_of(admin.get("/api/v1/subscriptions", params={"status": "lost"}), 422, "validation_failed")

"""Usage events on a subscription: checked on ingest (the tenant's subscription, of the event's
customer, else a 422 naming events.N.subscription and nothing stored), and the current period's
usage per item with its amount so far."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from db.models.usage import UsageEvent
from db.session import tenant_session
from tests.api.conftest import data, error_of
from tests.api.subscription_helpers import customer, recurring, setup, subscribe

EVENTS = "/api/v1/usage-events"


@pytest.fixture
def shop(engine, tenant):
    return setup(engine, tenant.id)


def event(shop, tx, **extra):
    at = datetime.now(UTC).isoformat()
    return {"transaction_id": tx, "metric": shop["metric"], "timestamp": at} | extra


def stored(engine, tenant_id):
    with tenant_session(engine, tenant_id) as s:
        return s.scalar(select(func.count()).select_from(UsageEvent))


def test_usage_so_far_is_counted_per_subscription(admin, engine, tenant, shop):
    items = [{"price": str(shop["plan"])}, {"price": str(shop["usage"])}]
    sub = subscribe(admin, shop, items)
    twin = subscribe(admin, shop, items)
    mine = [event(shop, f"a{i}", subscription=sub["id"]) for i in range(3)]
    mine.append(event(shop, "a9", subscription=sub["id"], customer=str(shop["customer"])))
    theirs = [event(shop, "b1", subscription=twin["id"])]
    loose = [event(shop, "c1", customer=str(shop["customer"]))]  # no subscription: billed on none
    assert data(admin.post(EVENTS, json={"events": mine + theirs + loose}))["accepted"] == 6

    usage = data(admin.get(f"/api/v1/subscriptions/{sub['id']}/usage"))
    assert usage["period_start"] == sub["current_period_start"] and usage["currency"] == "EUR"
    (line,) = usage["lines"]
    assert (line["metric"], line["quantity"], line["amount"]) == (shop["metric"], "4", "0.20")
    assert usage["total"] == "0.20"
    assert data(admin.get(f"/api/v1/subscriptions/{twin['id']}/usage"))["total"] == "0.05"
    listed = data(admin.get(EVENTS, params={"customer": str(shop["customer"]), "limit": 10}))
    assert {e["transaction_id"]: e["customer"] for e in listed}["a0"] == str(shop["customer"])


def test_graduated_tiers_price_the_usage(admin, engine, tenant, shop):
    tiers = [
        {"up_to": 2, "unit_amount_minor": 100, "flat_amount_minor": None},
        {"up_to": None, "unit_amount_minor": 50, "flat_amount_minor": 1000},
    ]
    usage = {"metric": shop["metric"], "model": "graduated", "tiers": tiers, "package_size": None}
    tiered = recurring(engine, tenant.id, None, usage=usage, name="Tiered calls")
    sub = subscribe(admin, shop, [{"price": str(tiered)}])
    data(
        admin.post(EVENTS, json={"events": [event(shop, f"t{i}", subscription=sub["id"]) for i in range(5)]})
    )
    got = data(admin.get(f"/api/v1/subscriptions/{sub['id']}/usage"))
    assert got["lines"][0]["quantity"] == "5"
    assert got["total"] == "13.50"  # 2 x 1.00, then 3 x 0.50 + 10.00 flat


def test_another_tenants_or_customers_subscription_is_refused(admin, engine, tenant, shop, make_tenant):
    sub = subscribe(admin, shop, [{"price": str(shop["usage"])}])
    other = make_tenant("Other")
    theirs = setup(engine, other.id)
    from tests.api.conftest import Api

    their_api = Api(str(admin.http.base_url), other.api_key)
    foreign = subscribe(their_api, theirs, [{"price": str(theirs["usage"])}])
    someone = customer(engine, tenant.id, email="else@example.com")
    cases = [
        ([event(shop, "x1", subscription=foreign["id"])], "events.0.subscription"),
        ([event(shop, "x1", subscription=str(uuid.uuid4()))], "events.0.subscription"),
        ([event(shop, "ok"), event(shop, "x2", subscription=sub["id"], customer=str(someone))], None),
        ([event(shop, "x3")], "events.0.customer"),
    ]
    for batch, field in cases:
        if field is None:  # the first event lacks both; the second names another customer
            batch[0]["customer"] = str(shop["customer"])
            field = "events.1.subscription"
        r = admin.post(EVENTS, json={"events": batch})
        fields = [f["field"] for f in error_of(r, 422, "validation_failed")["details"]["fields"]]
        assert fields == [field]
    assert stored(engine, tenant.id) == 0

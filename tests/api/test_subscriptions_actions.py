"""Cancel, pause and resume through the API: each moves the subscription and tells its workflow;
an action its state forbids is a 409 and changes nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.api.conftest import data, error_of
from tests.api.subscription_helpers import setup, subscribe, wait_until


@pytest.fixture
def shop(engine, tenant):
    return setup(engine, tenant.id)


def usage(admin, shop, sub_id, n):
    at = datetime.now(UTC).isoformat()
    events = [
        {"transaction_id": f"{sub_id}-{i}", "subscription": sub_id, "metric": shop["metric"], "timestamp": at}
        for i in range(n)
    ]
    assert data(admin.post("/api/v1/usage-events", json={"events": events}))["accepted"] == n


def test_cancel_at_period_end_then_now(admin, shop):
    sub = subscribe(admin, shop, [{"price": str(shop["plan"])}, {"price": str(shop["usage"])}])
    base = f"/api/v1/subscriptions/{sub['id']}"
    wait_until(admin, sub["id"], lambda s: s["latest_invoices"])
    later = data(admin.post(base + "/cancel", json={"at_period_end": True}))
    assert later["status"] == "active" and later["cancel_at_period_end"] is True
    error_of(admin.post(base + "/cancel", json={"at_period_end": True}), 409, "conflict")
    r = admin.post(base + "/cancel", json={"at_period_end": "soon"})
    assert error_of(r, 422, "validation_failed")["details"]["fields"][0]["field"] == "at_period_end"

    usage(admin, shop, sub["id"], 3)
    now = data(admin.post(base + "/cancel", json={"at_period_end": False}))
    assert now["status"] == "canceled" and now["canceled_at"] is not None
    kinds = [i["kind"] for i in now["latest_invoices"]]
    assert kinds == ["usage", "licensed"]  # the usage to date, invoiced at once
    assert now["latest_invoices"][0]["total"] == "0.18"  # 3 x 0.05 + 20 % VAT
    for action, body in (("cancel", {"at_period_end": False}), ("pause", None), ("resume", None)):
        error_of(admin.post(f"{base}/{action}", json=body), 409, "conflict")
    patch = admin.patch(base, json={"items": [{"price": str(shop["plan"])}]})
    error_of(patch, 409, "conflict")
    assert data(admin.get(base))["status"] == "canceled"


def test_pause_then_resume_starts_a_new_period(admin, shop):
    sub = subscribe(admin, shop, [{"price": str(shop["plan"]), "quantity": 2}])
    base = f"/api/v1/subscriptions/{sub['id']}"
    wait_until(admin, sub["id"], lambda s: len(s["latest_invoices"]) == 1)
    error_of(admin.post(base + "/resume"), 409, "conflict")
    paused = data(admin.post(base + "/pause"))
    assert paused["status"] == "paused" and paused["paused_at"] is not None
    error_of(admin.post(base + "/pause"), 409, "conflict")
    error_of(admin.patch(base, json={"items": [{"price": str(shop["plan"])}]}), 409, "conflict")

    time.sleep(1.1)  # periods count whole seconds: a resume in the same second is the same period
    resumed = data(admin.post(base + "/resume"))
    assert resumed["status"] == "active" and resumed["paused_at"] is None
    assert resumed["current_period_start"] >= paused["paused_at"]  # re-anchored at the resume
    assert resumed["current_period_start"] > sub["current_period_start"]
    done = wait_until(admin, sub["id"], lambda s: len(s["latest_invoices"]) == 2)
    newest = done["latest_invoices"][0]
    assert newest["kind"] == "licensed" and newest["period_start"] == resumed["current_period_start"]
    assert newest["total"] == "24.00"


def test_a_trial_cannot_be_paused_but_can_be_canceled(admin, shop):
    sub = subscribe(admin, shop, [{"price": str(shop["plan"])}], trial_days=30)
    base = f"/api/v1/subscriptions/{sub['id']}"
    error_of(admin.post(base + "/pause"), 409, "conflict")
    ended = data(admin.post(base + "/cancel", json={"at_period_end": False}))
    assert ended["status"] == "canceled" and ended["latest_invoices"] == []
    assert data(admin.get("/api/v1/invoices")) == []


def test_events_for_each_change(admin, shop):
    sub = subscribe(admin, shop, [{"price": str(shop["plan"])}])
    base = f"/api/v1/subscriptions/{sub['id']}"
    data(admin.post(base + "/pause"))
    data(admin.post(base + "/resume"))
    data(admin.post(base + "/cancel", json={"at_period_end": False}))
    listed = data(admin.get("/api/v1/events", params={"type": "subscription.*", "limit": 50}))
    kinds = sorted(e["type"] for e in listed)
    assert kinds == sorted(
        ["subscription.created", "subscription.paused", "subscription.resumed", "subscription.canceled"]
    )
    payload = next(e for e in listed if e["type"] == "subscription.canceled")["payload"]
    assert payload["subscription_id"] == sub["id"] and payload["status"] == "canceled"

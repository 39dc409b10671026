"""A refund made at Stripe (its dashboard or API), not through Keel: Stripe's signed charge.refunded
event is traced to its tenant by the PaymentIntent and what exceeds Keel's own refunds is recorded
once (the invoice's amount paid falls, payment.refunded is emitted); the same event again, or one
for a refund Keel made, changes nothing."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import data, error_of
from tests.api.invoice_helpers import finalized
from tests.api.stripe_helpers import (
    LINES,
    card_customer,
    client,
    intent_event,
    pay_with_card,
    post_event,
    signature,
    wait_until,
)


@pytest.fixture
def client_id(engine, tenant, live, localstripe):
    return card_customer(engine, tenant.id, live, localstripe)


def charge_refunded(localstripe, anonymous, intent_id: str) -> dict:
    """Stripe's charge.refunded for the intent's charge as it stands now, signed; its outcome."""
    stripe = client(localstripe)
    [charge] = [
        c.to_dict()
        # Every page: the suite's other tests have made many charges on the same peer.
        for c in stripe.v1.charges.list(params={"limit": 100}).auto_paging_iter()
        if c.to_dict()["payment_intent"] == intent_id
    ]
    listed = stripe.v1.refunds.list(params={"payment_intent": intent_id}).data
    charge["refunds"] = {"object": "list", "data": [r.to_dict() for r in reversed(listed)]}
    raw = intent_event(f"evt_{uuid.uuid4().hex[:12]}", "charge.refunded", charge)
    return data(post_event(anonymous, raw, signature(localstripe.webhook_secret, raw)))


def test_a_refund_made_at_stripe_is_recorded_once(admin, anonymous, client_id, localstripe):
    inv = finalized(admin, client_id, LINES)
    intent_id = data(admin.post(f"/api/v1/invoices/{inv['id']}/payment-link"), 201)["payment_intent_id"]
    assert pay_with_card(localstripe, intent_id) == "succeeded"
    assert wait_until(lambda: data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "paid")
    [payment] = data(admin.get("/api/v1/payments", params={"invoice": inv["id"]}))

    at_stripe = client(localstripe).v1.refunds.create(params={"payment_intent": intent_id, "amount": 5000})
    assert charge_refunded(localstripe, anonymous, intent_id) == {"outcome": "applied"}
    invoice = data(admin.get(f"/api/v1/invoices/{inv['id']}"))
    assert (invoice["status"], invoice["amount_paid"], invoice["amount_due"]) == ("open", "70.00", "50.00")
    [refund] = data(admin.get(f"/api/v1/payments/{payment['id']}/refunds"))
    assert (refund["amount"], refund["reason"], refund["stripe_refund_id"]) == (
        "50.00",
        "refunded at Stripe",
        at_stripe["id"],
    )
    assert refund["payment_status"] == "partially_refunded"

    # Stripe sends it again (another event id, the same total): nothing more.
    assert charge_refunded(localstripe, anonymous, intent_id) == {"outcome": "duplicate"}
    # A refund through Keel is at Stripe too: its event finds it recorded.
    data(admin.post(f"/api/v1/payments/{payment['id']}/refund", json={"amount": "20.00"}), 201)
    assert charge_refunded(localstripe, anonymous, intent_id) == {"outcome": "duplicate"}
    assert len(data(admin.get(f"/api/v1/payments/{payment['id']}/refunds"))) == 2
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["amount_paid"] == "50.00"
    refunded = data(admin.get("/api/v1/events", params={"type": "payment.refunded", "limit": 200}))
    assert sorted(e["payload"]["amount"] for e in refunded) == ["20.00", "50.00"]


def test_charge_events_keel_does_not_know_or_cannot_trust_change_nothing(anonymous, localstripe, client_id):
    unknown = {"id": "ch_x", "object": "charge", "payment_intent": "pi_unknown", "amount_refunded": 100}
    raw = intent_event("evt_unknown_charge", "charge.refunded", unknown)
    assert data(post_event(anonymous, raw, signature(localstripe.webhook_secret, raw))) == {
        "outcome": "ignored"
    }
    error_of(post_event(anonymous, raw, signature("whsec_wrong", raw)), 400, "bad_request")
    error_of(post_event(anonymous, raw, None), 400, "bad_request")

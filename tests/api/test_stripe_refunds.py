"""Refunds through the live API: a card payment is refunded at Stripe (localstripe), a manual one is
recorded as refunded; never more than paid minus refunded (422); the invoice's amount paid falls and
a paid invoice is open again; payment.refunded is emitted and every refund is audited."""

from __future__ import annotations

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
from tests.api.test_billing_catalog_helpers import fields, user_with


@pytest.fixture
def client_id(engine, tenant, live, localstripe):
    return card_customer(engine, tenant.id, live, localstripe)


def refund(admin, payment_id, **body):
    return admin.post(f"/api/v1/payments/{payment_id}/refund", json=body)


def invoice_of(admin, invoice_id):
    return data(admin.get(f"/api/v1/invoices/{invoice_id}"))


def pay_manually(admin, invoice_id, amount):
    body = {"amount": amount, "method": "bank_transfer"}
    return data(admin.post(f"/api/v1/invoices/{invoice_id}/payments", json=body), 201)


def test_a_card_payment_is_refunded_at_stripe(admin, client_id, localstripe):
    inv = finalized(admin, client_id, LINES)
    intent_id = data(admin.post(f"/api/v1/invoices/{inv['id']}/payment-link"), 201)["payment_intent_id"]
    assert pay_with_card(localstripe, intent_id) == "succeeded"
    assert wait_until(lambda: invoice_of(admin, inv["id"])["status"] == "paid")
    [payment] = data(admin.get("/api/v1/payments", params={"invoice": inv["id"]}))

    part = data(refund(admin, payment["id"], amount="20.00", reason="one hour less"), 201)
    assert (part["amount"], part["from_invoice"], part["from_credit"]) == ("20.00", "20.00", "0.00")
    assert part["payment_status"] == "partially_refunded" and part["stripe_refund_id"].startswith("re_")
    at_stripe = client(localstripe).v1.refunds.retrieve(part["stripe_refund_id"]).to_dict()
    assert (at_stripe["amount"], at_stripe["payment_intent"]) == (2000, intent_id)
    reopened = invoice_of(admin, inv["id"])
    assert (reopened["status"], reopened["amount_paid"], reopened["amount_due"]) == (
        "open",
        "100.00",
        "20.00",
    )

    err = error_of(refund(admin, payment["id"], amount="100.01"), 422, "validation_failed")
    assert fields(err) == ["amount"] and "100.00" in err["details"]["fields"][0]["message"]
    rest = data(refund(admin, payment["id"]), 201)  # all that is left
    assert (rest["amount"], rest["payment_status"]) == ("100.00", "refunded")
    error_of(refund(admin, payment["id"]), 409, "conflict")
    error_of(refund(admin, payment["id"], amount="0.01"), 422, "validation_failed")
    assert invoice_of(admin, inv["id"])["amount_due"] == "120.00"
    listed = data(admin.get(f"/api/v1/payments/{payment['id']}/refunds"))
    assert [r["amount"] for r in listed] == ["20.00", "100.00"]
    assert data(admin.get(f"/api/v1/payments/{payment['id']}"))["status"] == "refunded"
    refunded = data(admin.get("/api/v1/events", params={"type": "payment.refunded"}))
    assert sorted(e["payload"]["amount"] for e in refunded) == ["100.00", "20.00"]


def test_a_manual_payment_is_recorded_as_refunded_credit_last(admin, client_id):
    inv = finalized(admin, client_id, LINES)
    payment = pay_manually(admin, inv["id"], "150.00")  # 30.00 becomes the customer's credit
    assert payment["to_credit"] == "30.00"
    first = data(refund(admin, payment["id"], amount="125.00"), 201)
    assert (first["from_invoice"], first["from_credit"], first["stripe_refund_id"]) == (
        "120.00",
        "5.00",
        None,
    )
    after = invoice_of(admin, inv["id"])
    assert (after["status"], after["amount_paid"], after["amount_due"]) == ("open", "0.00", "120.00")
    cust = data(admin.get(f"/api/v1/customers/{client_id}"))
    assert cust["credit"] == "25.00"
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "payment", "entity_id": payment["id"]}))
    assert "payment.refunded" in [a["action"] for a in audit]


def test_refusals_change_nothing(admin, client_id, api, make_tenant, tenant):
    inv = finalized(admin, client_id, LINES)
    payment = pay_manually(admin, inv["id"], "50.00")
    for amount in ("-1.00", "1.001", "1e3", "ten", "50.01"):
        err = error_of(refund(admin, payment["id"], amount=amount), 422, "validation_failed")
        assert fields(err) == ["amount"], amount
    err = error_of(refund(admin, payment["id"], amount="1.00", extra=True), 422, "validation_failed")
    assert fields(err) == ["extra"]
    error_of(refund(admin, payment["id"], amount="1.00", reason="x" * 501), 422, "validation_failed")
    error_of(refund(api(make_tenant("Other").api_key), payment["id"], amount="1.00"), 404, "not_found")
    clerk = user_with(admin, api, tenant, "billing:read", "billing:write")
    error_of(refund(clerk, payment["id"], amount="1.00"), 403, "forbidden")
    assert data(admin.get(f"/api/v1/payments/{payment['id']}/refunds")) == []
    after = invoice_of(admin, inv["id"])
    assert (after["amount_paid"], after["amount_due"]) == ("50.00", "70.00")
    assert data(admin.get(f"/api/v1/payments/{payment['id']}"))["status"] == "succeeded"


def test_after_a_credit_note_the_refund_takes_the_rest_from_the_credit(admin, client_id):
    inv = finalized(admin, client_id, LINES)
    payment = pay_manually(admin, inv["id"], "120.00")
    note = {"reason": "goodwill", "amount": "24.00"}  # paid beyond the new total: 24.00 to credit
    data(admin.post(f"/api/v1/invoices/{inv['id']}/credit-notes", json=note), 201)
    assert data(admin.get(f"/api/v1/customers/{client_id}"))["credit"] == "24.00"
    whole = data(refund(admin, payment["id"]), 201)
    assert (whole["amount"], whole["from_invoice"], whole["from_credit"]) == ("120.00", "96.00", "24.00")
    after = invoice_of(admin, inv["id"])
    assert (
        after["amount_paid"] == "0.00"
        and data(admin.get(f"/api/v1/customers/{client_id}"))["credit"] == "0.00"
    )


def test_a_refund_stripe_refuses_changes_nothing(admin, client_id, localstripe, anonymous, tenant):
    inv = finalized(admin, client_id, LINES)
    unknown = {  # signed by the endpoint secret, for an intent localstripe never made
        "id": "pi_unknown_at_stripe",
        "amount": 12000,
        "currency": "eur",
        "status": "succeeded",
        "metadata": {"tenant_id": str(tenant.id), "invoice_id": inv["id"]},
    }
    raw = intent_event("evt_unknown_intent", "payment_intent.succeeded", unknown)
    assert (
        data(post_event(anonymous, raw, signature(localstripe.webhook_secret, raw)))["outcome"] == "applied"
    )
    [payment] = data(admin.get("/api/v1/payments", params={"invoice": inv["id"]}))
    error_of(refund(admin, payment["id"], amount="10.00"), 503, "service_unavailable")
    assert data(admin.get(f"/api/v1/payments/{payment['id']}/refunds")) == []
    after = invoice_of(admin, inv["id"])
    assert (after["status"], after["amount_paid"]) == ("paid", "120.00")
    assert data(admin.get(f"/api/v1/payments/{payment['id']}"))["status"] == "succeeded"

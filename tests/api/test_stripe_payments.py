"""Card payments through Stripe (localstripe) against the live API: a payment link is a PaymentIntent
for the invoice's amount due, the same one while that amount is unchanged; Stripe's signed
payment_intent.succeeded records the payment once, however often it is sent; a bad signature is a
400 that changes nothing."""

from __future__ import annotations

import time

import pytest
import stripe

from tests.api.conftest import data, error_of
from tests.api.invoice_helpers import draft, finalized, wait_for
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
from tests.api.test_billing_catalog_helpers import user_with


@pytest.fixture
def client_id(engine, tenant, live, localstripe):
    return card_customer(engine, tenant.id, live, localstripe)


def link(admin, invoice_id):
    return admin.post(f"/api/v1/invoices/{invoice_id}/payment-link")


def payments_of(admin, invoice_id):
    return data(admin.get("/api/v1/payments", params={"invoice": invoice_id}))


def events_of(admin, kind):
    return data(admin.get("/api/v1/events", params={"type": kind, "limit": 200}))


def test_a_card_payment_through_the_webhook_pays_the_invoice_once(
    admin, client_id, localstripe, anonymous, tenant
):
    inv = finalized(admin, client_id, LINES)
    first = data(link(admin, inv["id"]), 201)
    assert (first["amount"], first["currency"], first["status"]) == (
        "120.00",
        "EUR",
        "requires_payment_method",
    )
    assert first["payment_intent_id"].startswith("pi_") and first["client_secret"]
    again = data(link(admin, inv["id"]), 200)  # the same intent while the amount due is the same
    assert (again["payment_intent_id"], again["client_secret"]) == (
        first["payment_intent_id"],
        first["client_secret"],
    )
    intent = client(localstripe).v1.payment_intents.retrieve(first["payment_intent_id"]).to_dict()
    assert intent["metadata"] == {"tenant_id": str(tenant.id), "invoice_id": inv["id"]}
    assert intent["amount"] == 12000 and intent["customer"].startswith("cus_")

    assert pay_with_card(localstripe, first["payment_intent_id"]) == "succeeded"
    paid = wait_until(
        lambda: (i := data(admin.get(f"/api/v1/invoices/{inv['id']}")))["status"] == "paid" and i
    )
    assert paid and (paid["amount_paid"], paid["amount_due"]) == ("120.00", "0.00")
    [payment] = payments_of(admin, inv["id"])
    assert (payment["method"], payment["reference"], payment["amount"]) == (
        "stripe",
        first["payment_intent_id"],
        "120.00",
    )
    assert [e["payload"]["method"] for e in events_of(admin, "payment.succeeded")] == ["stripe"]
    error_of(link(admin, inv["id"]), 409, "conflict")  # paid: nothing to pay

    # Stripe sends again (same event id), and a second event for the same intent: still one payment.
    succeeded = {**intent, "status": "succeeded", "amount_received": 12000}
    for event_id in ("evt_replayed", "evt_replayed", "evt_other_for_same_intent"):
        raw = intent_event(event_id, "payment_intent.succeeded", succeeded)
        assert data(post_event(anonymous, raw, signature(localstripe.webhook_secret, raw)))["outcome"] in (
            "duplicate",
            "ignored",
        )
    assert len(payments_of(admin, inv["id"])) == 1
    assert len(events_of(admin, "invoice.paid")) == 1
    wait_for(admin, inv["id"], lambda i: i["pdf_document_id"] is not None)  # the workflow heard of it


def test_signed_events_are_verified_and_nothing_changes_otherwise(
    admin, client_id, localstripe, anonymous, tenant, make_tenant
):
    inv = finalized(admin, client_id, LINES)
    intent_id = data(link(admin, inv["id"]), 201)["payment_intent_id"]
    obj = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": 12000,
        "amount_received": 12000,
        "currency": "eur",
        "status": "succeeded",
        "metadata": {"tenant_id": str(tenant.id), "invoice_id": inv["id"]},
    }
    raw = intent_event("evt_signed", "payment_intent.succeeded", obj)
    secret = localstripe.webhook_secret
    for header in (
        None,
        "",
        "t=1,v1=00",
        signature("whsec_wrong", raw),
        signature(secret, raw, at=int(time.time()) - 301),  # stale
    ):
        error_of(post_event(anonymous, raw, header), 400, "bad_request")
    tampered = raw.replace(b"12000", b"99999")
    error_of(post_event(anonymous, tampered, signature(secret, raw)), 400, "bad_request")
    assert payments_of(admin, inv["id"]) == []
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "open"

    # Signed, but naming another tenant than the invoice's: nothing happens there or here.
    other = make_tenant("Other")
    foreign = intent_event(
        "evt_foreign",
        "payment_intent.succeeded",
        {**obj, "metadata": {**obj["metadata"], "tenant_id": str(other.id)}},
    )
    assert data(post_event(anonymous, foreign, signature(secret, foreign)))["outcome"] == "ignored"
    assert payments_of(admin, inv["id"]) == []

    assert data(post_event(anonymous, raw, signature(secret, raw)))["outcome"] == "applied"
    assert data(post_event(anonymous, raw, signature(secret, raw)))["outcome"] == "duplicate"
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "paid"
    assert len(payments_of(admin, inv["id"])) == 1


def test_a_declined_card_emits_payment_failed(admin, client_id, localstripe):
    inv = finalized(admin, client_id, LINES)
    intent_id = data(link(admin, inv["id"]), 201)["payment_intent_id"]
    assert pay_with_card(localstripe, intent_id, "pm_card_chargeCustomerFail") in (
        "declined",
        "requires_payment_method",
    )
    failed = wait_until(lambda: events_of(admin, "payment.failed"))
    assert (
        failed
        and failed[0]["payload"]["invoice_id"] == inv["id"]
        and failed[0]["payload"]["status"] == "failed"
    )
    assert (
        payments_of(admin, inv["id"]) == []
        and data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "open"
    )


def test_refusals(admin, client_id, api, make_tenant, tenant):
    drafted = draft(admin, client_id, LINES)
    error_of(link(admin, drafted["id"]), 409, "conflict")
    voided = finalized(admin, client_id, LINES)
    data(admin.post(f"/api/v1/invoices/{voided['id']}/void"))
    error_of(link(admin, voided["id"]), 409, "conflict")
    inv = finalized(admin, client_id, LINES)
    error_of(
        api(make_tenant("Other").api_key).post(f"/api/v1/invoices/{inv['id']}/payment-link"), 404, "not_found"
    )
    reader = user_with(admin, api, tenant, "billing:read")
    error_of(reader.post(f"/api/v1/invoices/{inv['id']}/payment-link"), 403, "forbidden")
    error_of(api(None).post(f"/api/v1/invoices/{inv['id']}/payment-link"), 401, "unauthenticated")


def test_a_card_payment_for_an_invoice_paid_meanwhile_is_audited_not_applied(admin, client_id, localstripe):
    inv = finalized(admin, client_id, LINES)
    intent_id = data(link(admin, inv["id"]), 201)["payment_intent_id"]
    body = {"amount": "120.00", "method": "bank_transfer"}
    data(admin.post(f"/api/v1/invoices/{inv['id']}/payments", json=body), 201)
    assert pay_with_card(localstripe, intent_id) == "succeeded"
    params = {"entity_type": "invoice", "entity_id": inv["id"]}

    def unapplied():
        rows = data(admin.get("/api/v1/audit", params=params))
        return [a for a in rows if a["action"] == "payment_intent.unapplied"]

    [row] = wait_until(unapplied)
    assert row["changes"]["payment_intent_id"] == intent_id and row["changes"]["amount"] == "120.00"
    assert [p["method"] for p in payments_of(admin, inv["id"])] == ["bank_transfer"]


def test_a_new_amount_due_cancels_the_link_made_for_the_old_one(admin, client_id, localstripe):
    inv = finalized(admin, client_id, LINES)
    old = data(link(admin, inv["id"]), 201)["payment_intent_id"]
    body = {"amount": "20.00", "method": "bank_transfer"}
    data(admin.post(f"/api/v1/invoices/{inv['id']}/payments", json=body), 201)
    new = data(link(admin, inv["id"]), 201)
    assert new["amount"] == "100.00" and new["payment_intent_id"] != old
    assert client(localstripe).v1.payment_intents.retrieve(old).to_dict()["status"] == "canceled"
    with pytest.raises(stripe.InvalidRequestError):  # the old link cannot take the old amount
        pay_with_card(localstripe, old)
    assert pay_with_card(localstripe, new["payment_intent_id"]) == "succeeded"
    paid = wait_until(
        lambda: (i := data(admin.get(f"/api/v1/invoices/{inv['id']}")))["status"] == "paid" and i
    )
    assert paid and paid["amount_paid"] == "120.00"

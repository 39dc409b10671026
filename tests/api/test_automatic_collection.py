"""Automatic collection against the live API, its worker and localstripe: a customer's saved card
(attached at Stripe, the default), a ``charge_automatically`` invoice charged when it is finalized,
a declined charge retried on the tenant's schedule until a new card pays it once, a customer with no
card told by ``payment.failed``; and every bad input a clear 4xx that changes nothing."""

from __future__ import annotations

import uuid

import pytest

from db.models.billing import BillingCustomer
from db.models.stripe import InvoiceCharge
from db.session import tenant_session
from tests.api.conftest import data, error_of
from tests.api.invoice_helpers import customer, draft, finalized, seller, tax_rate, wait_for
from tests.api.stripe_helpers import client, deliver_to, wait_until
from tests.api.test_billing_catalog_helpers import user_with

LINES = [{"description": "Subscription", "unit_amount": "100.00", "quantity": "1"}]  # 120.00 with VAT
RETRIES = {"charge_retries": ["PT3S", "PT6S"]}  # seconds: the API's shortest retry is PT1H


@pytest.fixture
def client_id(engine, tenant, live, localstripe):
    deliver_to(live, localstripe)
    seller(engine, tenant.id, dunning=RETRIES)
    tax_rate(engine, tenant.id, "20")
    return customer(engine, tenant.id, email=f"payer-{uuid.uuid4().hex[:6]}@auto.example")


def method_path(customer_id) -> str:
    return f"/api/v1/customers/{customer_id}/payment-method"


def save_card(admin, customer_id, card: str = "pm_card_visa") -> dict:
    return data(admin.put(method_path(customer_id), json={"payment_method": card}))


def failures(admin, invoice_id: str) -> list[dict]:
    found = data(admin.get("/api/v1/events", params={"type": "payment.failed", "limit": 200}))
    mine = [e["payload"] for e in found if e["payload"]["invoice_id"] == invoice_id]
    return sorted(mine, key=lambda p: p["attempt"])


def stripe_charges(localstripe, stripe_customer: str) -> list[dict]:
    found = client(localstripe).v1.charges.list(params={"customer": stripe_customer, "limit": 100})
    return [c.to_dict() for c in found.data]


def stripe_customer_of(engine, tenant, customer_id) -> str:
    """The customer's id at Stripe ("" while Stripe was never asked)."""
    with tenant_session(engine, tenant.id) as s:
        row = s.get(BillingCustomer, customer_id)
        assert row is not None
        return row.stripe_customer_id or ""


def test_a_saved_card_pays_an_automatic_invoice_when_it_is_finalized(
    admin, client_id, localstripe, engine, tenant
):
    card = save_card(admin, client_id)
    assert card["id"].startswith("pm_") and (card["brand"], card["last4"]) == ("visa", "4242")
    assert data(admin.get(method_path(client_id))) == card
    cus = stripe_customer_of(engine, tenant, client_id)
    at_stripe = client(localstripe).v1.customers.retrieve(cus).to_dict()
    assert at_stripe["invoice_settings"]["default_payment_method"] == card["id"]

    inv = finalized(admin, client_id, LINES, collection="charge_automatically")
    assert inv["collection"] == "charge_automatically"
    paid = wait_for(admin, inv["id"], lambda i: i["status"] == "paid")
    assert (paid["amount_paid"], paid["amount_due"]) == ("120.00", "0.00")
    [payment] = data(admin.get("/api/v1/payments", params={"invoice": inv["id"]}))
    assert (payment["method"], payment["amount"]) == ("stripe", "120.00")
    [charge] = stripe_charges(localstripe, cus)
    assert (charge["amount"], charge["payment_intent"]) == (12000, payment["reference"])
    intent = client(localstripe).v1.payment_intents.retrieve(payment["reference"]).to_dict()
    assert intent["metadata"]["keel_charge"] == f"keel-charge-{inv['id']}-0"
    assert intent["payment_method"] == card["id"]
    # Stripe's webhook for the same intent arrives too: still one payment, one payment.succeeded.
    wait_until(lambda: False, timeout=2)
    assert len(data(admin.get("/api/v1/payments", params={"invoice": inv["id"]}))) == 1
    succeeded = data(admin.get("/api/v1/events", params={"type": "payment.succeeded", "limit": 200}))
    assert [e["payload"]["payment_id"] for e in succeeded] == [payment["id"]]
    assert failures(admin, inv["id"]) == []


def test_a_declined_charge_is_retried_on_schedule_and_a_new_card_pays_it_once(
    admin, client_id, localstripe, engine, tenant
):
    declining = save_card(admin, client_id, "pm_card_chargeCustomerFail")  # attaches, then declines
    assert declining["last4"] == "0341"
    inv = finalized(admin, client_id, LINES, collection="charge_automatically")
    [first] = wait_until(lambda: failures(admin, inv["id"]))
    assert (first["attempt"], first["failure_code"], first["amount"]) == (0, "card_declined", "120.00")
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "open"

    good = save_card(admin, client_id)  # replaces the declining card, detached at Stripe
    assert good["id"] != declining["id"]
    old = client(localstripe).v1.payment_methods.retrieve(declining["id"]).to_dict()
    assert old["customer"] is None
    paid = wait_for(admin, inv["id"], lambda i: i["status"] == "paid", timeout=30)
    assert paid["amount_due"] == "0.00"
    [payment] = data(admin.get("/api/v1/payments", params={"invoice": inv["id"]}))
    cus = stripe_customer_of(engine, tenant, client_id)
    succeeded = [c for c in stripe_charges(localstripe, cus) if c["status"] == "succeeded"]
    assert [c["payment_intent"] for c in succeeded] == [payment["reference"]]
    assert [f["attempt"] for f in failures(admin, inv["id"])] == [0]  # the retry at 3 s paid it
    with tenant_session(engine, tenant.id) as s:
        rows = s.query(InvoiceCharge).filter_by(invoice_id=uuid.UUID(inv["id"])).order_by("attempt").all()
        assert [(r.attempt, r.status) for r in rows] == [(0, "failed"), (1, "succeeded")]


def test_without_a_saved_card_each_try_fails_and_the_invoice_stays_payable_by_hand(
    admin, client_id, localstripe, engine, tenant
):
    inv = finalized(admin, client_id, LINES, collection="charge_automatically")
    tries = wait_until(lambda: len(found := failures(admin, inv["id"])) >= 2 and found, timeout=20)
    assert [(f["attempt"], f["failure_code"]) for f in tries] == [
        (0, "no_payment_method"),
        (1, "no_payment_method"),
    ]
    body = {"amount": "120.00", "method": "bank_transfer", "reference": f"wire-{uuid.uuid4().hex[:8]}"}
    data(admin.post(f"/api/v1/invoices/{inv['id']}/payments", json=body), 201)
    assert wait_for(admin, inv["id"], lambda i: i["status"] == "paid")["amount_due"] == "0.00"
    assert stripe_customer_of(engine, tenant, client_id) == ""  # Stripe was never asked


def test_a_send_invoice_invoice_is_never_charged(admin, client_id, localstripe, engine, tenant):
    save_card(admin, client_id)
    inv = finalized(admin, client_id, LINES)
    assert inv["collection"] == "send_invoice"
    wait_until(lambda: False, timeout=2)
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "open"
    assert stripe_charges(localstripe, stripe_customer_of(engine, tenant, client_id)) == []


def test_removing_the_card_detaches_it_and_a_setup_intent_lets_a_page_save_another(
    admin, client_id, localstripe
):
    card = save_card(admin, client_id)
    r = admin.delete(method_path(client_id))
    assert r.status_code == 204
    error_of(admin.get(method_path(client_id)), 404, "not_found")
    assert client(localstripe).v1.payment_methods.retrieve(card["id"]).to_dict()["customer"] is None
    error_of(admin.delete(method_path(client_id)), 404, "not_found")
    setup = data(admin.post(f"/api/v1/customers/{client_id}/setup-intents"), 201)
    assert setup["setup_intent_id"].startswith("seti_") and setup["client_secret"]


def test_bad_payment_methods_are_refused_and_change_nothing(admin, api, tenant, client_id, localstripe):
    for bad in ("card_123", "pm_", "pm_" + "x" * 300, "pm_a b", 42, None):
        err = error_of(
            admin.put(method_path(client_id), json={"payment_method": bad}), 422, "validation_failed"
        )
        assert err["details"]["fields"][0]["field"].endswith("payment_method")
    error_of(admin.put(method_path(client_id), json={}), 422, "validation_failed")
    error_of(
        admin.put(method_path(client_id), json={"payment_method": "pm_card_visa", "x": 1}),
        422,
        "validation_failed",
    )
    declined = admin.put(method_path(client_id), json={"payment_method": "pm_card_visa_chargeDeclined"})
    err = error_of(declined, 422, "validation_failed")
    assert (
        err["details"]["fields"][0]["field"] == "payment_method"
        and "card_declined" in err["details"]["fields"][0]["message"]
    )
    unknown = admin.put(method_path(client_id), json={"payment_method": "pm_doesnotexist"})
    assert error_of(unknown, 422, "validation_failed")["details"]["fields"][0]["field"] == "payment_method"
    error_of(admin.get(method_path(client_id)), 404, "not_found")  # nothing was saved
    error_of(admin.put(method_path(uuid.uuid4()), json={"payment_method": "pm_card_visa"}), 404, "not_found")
    reader = user_with(admin, api, tenant, "billing:read")
    error_of(reader.put(method_path(client_id), json={"payment_method": "pm_card_visa"}), 403, "forbidden")
    error_of(reader.post(f"/api/v1/customers/{client_id}/setup-intents"), 403, "forbidden")
    error_of(admin.get(method_path(client_id)), 404, "not_found")


def test_collection_and_retry_schedules_are_validated(admin, client_id):
    body = {"customer": str(client_id), "lines": LINES}
    for bad in ("charge", "", None, 1):
        r = admin.post("/api/v1/invoices", json={**body, "collection": bad})
        assert error_of(r, 422, "validation_failed")["details"]["fields"][0]["field"].endswith("collection")
    inv = draft(admin, client_id, LINES)
    assert inv["collection"] == "send_invoice"
    error_of(
        admin.patch(f"/api/v1/invoices/{inv['id']}", json={"collection": None}), 422, "validation_failed"
    )
    changed = data(admin.patch(f"/api/v1/invoices/{inv['id']}", json={"collection": "charge_automatically"}))
    assert changed["collection"] == "charge_automatically"

    policy = data(admin.get("/api/v1/billing/dunning"))
    for retries in (["P3D", "P1D"], ["PT5M"], ["P400D"], ["soon"], ["P1D"] * 11):
        r = admin.put("/api/v1/billing/dunning", json={"charge_retries": retries})
        assert error_of(r, 422, "validation_failed")["details"]["fields"][0]["field"].startswith(
            "charge_retries"
        )
    assert data(admin.get("/api/v1/billing/dunning")) == policy
    saved = data(admin.put("/api/v1/billing/dunning", json={"charge_retries": ["P2D", "P4D"]}))
    assert saved["charge_retries"] == ["P2D", "P4D"]
    assert data(admin.put("/api/v1/billing/dunning", json={}))["charge_retries"] == ["P1D", "P3D", "P5D"]

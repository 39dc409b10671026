"""Payments against invoices through the live API: partial payments keep an invoice open, the last
one makes it paid (invoice.paid, payment.succeeded), an overpayment becomes the customer's credit and
is applied when their next invoice is finalized; paying a draft, void or paid invoice and reusing a
reference are 409s that change nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.conftest import data, error_of
from tests.api.invoice_helpers import assert_adds_up, customer, draft, finalized, seller, tax_rate, wait_for

LINES = [{"description": "Consulting", "unit_amount": "100.00", "quantity": "1"}]  # 120.00 with VAT


@pytest.fixture
def client_id(engine, tenant):
    seller(engine, tenant.id)
    tax_rate(engine, tenant.id, "20")
    return customer(engine, tenant.id)


def pay(admin, invoice_id, amount, status=201, **extra):
    return admin.post(
        f"/api/v1/invoices/{invoice_id}/payments", json={"amount": amount, "method": "bank_transfer", **extra}
    )


def events_of(admin, kind):
    return [e for e in data(admin.get("/api/v1/events", params={"type": kind, "limit": 200}))]


def test_partial_then_full_payment(admin, client_id):
    inv = finalized(admin, client_id, LINES)
    assert inv["total"] == "120.00" and inv["amount_due"] == "120.00"
    first = data(pay(admin, inv["id"], "20.50", reference="VIR-1"), 201)
    assert (first["amount"], first["applied"], first["to_credit"], first["status"]) == (
        "20.50",
        "20.50",
        "0.00",
        "succeeded",
    )
    open_ = data(admin.get(f"/api/v1/invoices/{inv['id']}"))
    assert (open_["status"], open_["amount_paid"], open_["amount_due"]) == ("open", "20.50", "99.50")
    data(pay(admin, inv["id"], "99.50", method="manual"), 201)
    paid = data(admin.get(f"/api/v1/invoices/{inv['id']}"))
    assert (paid["status"], paid["amount_paid"], paid["amount_due"]) == ("paid", "120.00", "0.00") and paid[
        "paid_at"
    ]
    assert_adds_up(paid)
    assert [e["payload"]["invoice_id"] for e in events_of(admin, "invoice.paid")] == [inv["id"]]
    assert len(events_of(admin, "payment.succeeded")) == 2
    error_of(pay(admin, inv["id"], "1.00"), 409, "conflict")
    listed = data(admin.get("/api/v1/payments", params={"invoice": inv["id"]}))
    assert [p["amount"] for p in listed] == ["99.50", "20.50"]
    assert data(admin.get(f"/api/v1/payments/{first['id']}"))["reference"] == "VIR-1"
    wait_for(admin, inv["id"], lambda i: i["pdf_document_id"] is not None)


def test_overpayment_becomes_credit_applied_to_the_next_invoice(admin, client_id):
    inv = finalized(admin, client_id, LINES)
    over = data(pay(admin, inv["id"], "150.00"), 201)
    assert (over["applied"], over["to_credit"]) == ("120.00", "30.00")
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "paid"
    nxt = finalized(admin, client_id, [{"description": "Small", "unit_amount": "10.00"}])  # 12.00
    assert (nxt["status"], nxt["credit_applied"], nxt["amount_paid"], nxt["amount_due"]) == (
        "paid",
        "12.00",
        "12.00",
        "0.00",
    )
    third = finalized(admin, client_id, LINES)
    assert (third["credit_applied"], third["amount_due"], third["status"]) == ("18.00", "102.00", "open")
    fourth = finalized(admin, client_id, LINES)
    assert fourth["credit_applied"] == "0.00" and fourth["amount_due"] == "120.00"


def test_refusals_change_nothing(admin, client_id, api, make_tenant):
    drafted = draft(admin, client_id, LINES)
    error_of(pay(admin, drafted["id"], "10.00"), 409, "conflict")
    inv = finalized(admin, client_id, LINES)
    data(pay(admin, inv["id"], "10.00", reference="R-42"), 201)
    error_of(pay(admin, inv["id"], "10.00", reference="R-42"), 409, "conflict")
    for amount, field in (
        ("0", "amount"),
        ("-5.00", "amount"),
        ("1.001", "amount"),
        ("1e3", "amount"),
        ("ten", "amount"),
    ):
        err = error_of(pay(admin, inv["id"], amount), 422, "validation_failed")
        assert err["details"]["fields"][0]["field"] == field, amount
    bad_method = admin.post(
        f"/api/v1/invoices/{inv['id']}/payments", json={"amount": "1.00", "method": "cash"}
    )
    assert error_of(bad_method, 422, "validation_failed")["details"]["fields"][0]["field"] == "method"
    other = api(make_tenant("Other").api_key)
    error_of(
        other.post(f"/api/v1/invoices/{inv['id']}/payments", json={"amount": "1.00", "method": "manual"}),
        404,
        "not_found",
    )
    payment_id = data(admin.get("/api/v1/payments"))[0]["id"]
    error_of(other.get(f"/api/v1/payments/{payment_id}"), 404, "not_found")
    after = data(admin.get(f"/api/v1/invoices/{inv['id']}"))
    assert (after["amount_paid"], after["status"]) == ("10.00", "open")
    assert len(data(admin.get("/api/v1/payments"))) == 1

    voidable = finalized(admin, client_id, LINES)
    data(admin.post(f"/api/v1/invoices/{voidable['id']}/void"))
    error_of(pay(admin, voidable["id"], "10.00"), 409, "conflict")
    error_of(admin.post(f"/api/v1/invoices/{inv['id']}/void"), 409, "conflict")  # it has a payment
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "open"


def test_uncollectible_invoice_can_still_be_paid(admin, client_id):
    inv = finalized(admin, client_id, LINES)
    marked = data(admin.post(f"/api/v1/invoices/{inv['id']}/mark-uncollectible"))
    assert marked["status"] == "uncollectible"
    error_of(admin.post(f"/api/v1/invoices/{inv['id']}/mark-uncollectible"), 409, "conflict")
    error_of(admin.post(f"/api/v1/invoices/{inv['id']}/void"), 409, "conflict")
    data(pay(admin, inv["id"], "120.00"), 201)
    assert data(admin.get(f"/api/v1/invoices/{inv['id']}"))["status"] == "paid"
    assert len(events_of(admin, "invoice.uncollectible")) == 1


def test_every_change_is_audited(admin, client_id):
    inv = finalized(admin, client_id, LINES)
    payment = data(pay(admin, inv["id"], "120.00", reference="AUD-1"), 201)
    trail = data(admin.get("/api/v1/audit", params={"entity_type": "invoice", "entity_id": inv["id"]}))
    assert [e["action"] for e in reversed(trail)] == [
        "invoice.created",
        "invoice.finalized",
        "invoice.payment_recorded",
        "invoice.paid",
    ]
    finalized_entry = next(e for e in trail if e["action"] == "invoice.finalized")
    assert (
        finalized_entry["changes"]["status"] == ["draft", "open"]
        and finalized_entry["changes"]["number"][1] == inv["number"]
    )
    recorded = data(admin.get("/api/v1/audit", params={"entity_type": "payment", "entity_id": payment["id"]}))
    assert [e["action"] for e in recorded] == ["payment.recorded"] and recorded[0]["changes"][
        "reference"
    ] == "AUD-1"


def test_concurrent_payments_add_up_and_a_reference_is_taken_once(admin, api, client_id, tenant):
    inv = finalized(admin, client_id, LINES)

    def pay_one(reference: str) -> int:
        return pay(api(tenant.api_key), inv["id"], "12.00", reference=reference).status_code

    references = [f"C-{i}" for i in range(10)] + ["C-0", "C-1"]
    with ThreadPoolExecutor(max_workers=len(references)) as pool:
        statuses = list(pool.map(pay_one, references))
    assert sorted(statuses) == [201] * 10 + [409] * 2
    paid = data(admin.get(f"/api/v1/invoices/{inv['id']}"))
    assert (paid["status"], paid["amount_paid"], paid["amount_due"]) == ("paid", "120.00", "0.00")
    assert len(data(admin.get("/api/v1/payments", params={"invoice": inv["id"]}))) == 10


def test_customer_credit_moves_are_audited(admin, client_id):
    inv = finalized(admin, client_id, LINES)
    data(pay(admin, inv["id"], "130.00"), 201)
    nxt = finalized(admin, client_id, LINES)
    trail = data(admin.get("/api/v1/audit", params={"entity_type": "customer", "entity_id": str(client_id)}))
    moves = [(e["action"], e["changes"]["credit_minor"], e["changes"]["invoice_id"]) for e in reversed(trail)]
    assert moves == [
        ("customer.credited", [0, 1000], inv["id"]),
        ("customer.credit_applied", [1000, 0], nxt["id"]),
    ]

"""Bookings paid to confirm, through the live stack: a resource's payment terms, the booking held with
its finalized invoice, partial and full payment (the full one confirms), a manual confirm refused while
unpaid, cancel voiding the invoice, and bad input refused with nothing stored."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import OutboxEvent
from db.models.invoices import Invoice
from db.models.scheduling import Booking, Resource
from db.session import tenant_session
from tests.api import invoice_helpers
from tests.api.conftest import Api, data, error_of
from tests.api.test_bookings import allocations, at, book, make_resource

PAYMENT = {"required": "full", "amount": "25.00", "currency": "EUR"}


def paid_resource(engine: Any, tenant_id: uuid.UUID, name: str = "Studio", **terms: Any) -> str:
    """A resource open all day whose bookings must pay (stored as the API stores its terms)."""
    rid = make_resource(engine, tenant_id, name)
    stored = {
        "required": "full",
        "amount": "25.00",
        "amount_minor": 2500,
        "currency": "EUR",
        "hold_seconds": 1800,
    }
    with tenant_session(engine, tenant_id) as session:
        row = session.get(Resource, uuid.UUID(rid))
        assert row is not None
        row.payment = stored | terms
    return rid


@pytest.fixture
def billing(engine: Any, tenant: Any) -> uuid.UUID:
    """A seller and a customer paying in EUR."""
    invoice_helpers.seller(engine, tenant.id)
    return invoice_helpers.customer(engine, tenant.id)


def pay(admin: Api, invoice_id: str, amount: str) -> None:
    body = {"amount": amount, "method": "manual"}
    data(admin.post(f"/api/v1/invoices/{invoice_id}/payments", json=body), 201)


def wait_for_booking(admin: Api, booking_id: str, status: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        out = data(admin.get(f"/api/v1/bookings/{booking_id}"))
        if out["status"] == status:
            return out
        assert time.monotonic() < deadline, out
        time.sleep(0.3)


def counts(engine: Any, tenant_id: uuid.UUID) -> tuple[int, int]:
    """(bookings, invoices) of the tenant."""
    with tenant_session(engine, tenant_id) as session:
        bookings = session.scalar(select(func.count()).select_from(Booking)) or 0
        invoices = session.scalar(select(func.count()).select_from(Invoice)) or 0
    return int(bookings), int(invoices)


def test_a_resource_takes_payment_terms_and_answers_them(admin):
    body = {"name": "Studio", "timezone": "Europe/Paris", "payment": PAYMENT | {"hold": "PT15M"}}
    made = data(admin.post("/api/v1/resources", json=body), 201)
    assert made["payment"] == {"required": "full", "amount": "25.00", "currency": "EUR", "hold": "PT15M"}
    again = data(admin.get(f"/api/v1/resources/{made['id']}"))
    assert again["payment"] == made["payment"]
    deposit = {"required": "deposit", "amount": "5", "currency": "jpy"}
    replaced = data(admin.put(f"/api/v1/resources/{made['id']}", json=body | {"payment": deposit}))
    assert replaced["payment"] == {"required": "deposit", "amount": "5", "currency": "JPY", "hold": "PT30M"}
    plain = data(admin.put(f"/api/v1/resources/{made['id']}", json={"name": "Studio", "timezone": "UTC"}))
    assert plain["payment"] is None


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        (PAYMENT | {"amount": "25.001"}, "payment.amount"),
        (PAYMENT | {"amount": "10.5", "currency": "JPY"}, "payment.amount"),
        (PAYMENT | {"amount": "0"}, "payment.amount"),
        (PAYMENT | {"amount": "-5.00"}, "payment.amount"),
        (PAYMENT | {"amount": "1e3"}, "payment.amount"),
        (PAYMENT | {"currency": "XYZ"}, "payment.currency"),
        (PAYMENT | {"required": "half"}, "payment.required"),
        (PAYMENT | {"hold": "PT5S"}, "payment.hold"),
        (PAYMENT | {"hold": "P8D"}, "payment.hold"),
        (PAYMENT | {"hold": "soon"}, "payment.hold"),
        ({"amount": "25.00", "currency": "EUR"}, "payment.required"),
        (PAYMENT | {"extra": 1}, "payment.extra"),
    ],
)
def test_bad_payment_terms_are_a_422_naming_the_field_and_nothing_is_stored(
    admin, engine, tenant, terms, field
):
    body = {"name": "Studio", "timezone": "UTC", "payment": terms}
    err = error_of(admin.post("/api/v1/resources", json=body), 422, "validation_failed")
    assert field in [f["field"] for f in err["details"]["fields"]], err
    with tenant_session(engine, tenant.id) as session:
        assert session.scalar(select(func.count()).select_from(Resource)) == 0


def test_paying_in_full_confirms_the_held_booking(admin, engine, tenant, billing):
    studio = paid_resource(engine, tenant.id)
    # Asked to confirm at once: the payment confirms it, so it is held for the resource's hold.
    held = data(book(admin, [studio], at(2, 10), customer=str(billing), requires_confirmation=False), 201)
    assert held["status"] == "held" and held["hold_expires_at"] is not None
    payment = held["payment"]
    assert payment["amount"] == "25.00" and payment["amount_paid"] == "0.00"
    assert payment["currency"] == "EUR" and payment["status"] == "open" and payment["required"] == "full"
    invoice = data(admin.get(f"/api/v1/invoices/{payment['invoice_id']}"))
    assert invoice["status"] == "open" and invoice["total"] == "25.00"
    assert "Studio" in invoice["lines"][0]["description"] and "UTC" in invoice["lines"][0]["description"]

    error_of(admin.post(f"/api/v1/bookings/{held['id']}/confirm"), 409, "payment_required")
    pay(admin, payment["invoice_id"], "10.00")  # partial: still held
    partial = data(admin.get(f"/api/v1/bookings/{held['id']}"))
    assert partial["status"] == "held" and partial["payment"]["amount_paid"] == "10.00"
    assert partial["payment"]["status"] == "open"

    pay(admin, payment["invoice_id"], "15.00")
    confirmed = data(admin.get(f"/api/v1/bookings/{held['id']}"))
    assert confirmed["status"] == "confirmed" and confirmed["confirmed_at"] is not None
    assert confirmed["payment"]["status"] == "paid" and confirmed["payment"]["amount_paid"] == "25.00"
    assert data(admin.post(f"/api/v1/bookings/{held['id']}/confirm"))["status"] == "confirmed"
    with tenant_session(engine, tenant.id) as session:
        kinds = session.scalars(select(OutboxEvent.type)).all()
    assert {"booking.held", "booking.confirmed", "invoice.paid"} <= set(kinds)
    assert allocations(engine, tenant.id, active=True) == 1


def test_paid_before_a_short_hold_ends_it_stays_confirmed(admin, engine, tenant, billing):
    studio = paid_resource(engine, tenant.id, hold_seconds=10)
    held = data(book(admin, [studio], at(2, 10), customer=str(billing)), 201)
    pay(admin, held["payment"]["invoice_id"], "25.00")
    time.sleep(12)  # the hold's timer has fired: the process found the booking confirmed
    after = data(admin.get(f"/api/v1/bookings/{held['id']}"))
    assert after["status"] == "confirmed" and after["payment"]["status"] == "paid"


def test_unpaid_when_the_hold_ends_the_booking_expires_and_its_invoice_is_voided(
    admin, engine, tenant, billing
):
    studio = paid_resource(engine, tenant.id, hold_seconds=10)
    held = data(book(admin, [studio], at(2, 10), customer=str(billing)), 201)
    expired = wait_for_booking(admin, held["id"], "expired")
    assert expired["payment"]["status"] == "void"
    assert data(admin.get(f"/api/v1/invoices/{held['payment']['invoice_id']}"))["status"] == "void"
    assert allocations(engine, tenant.id, active=True) == 0
    error_of(admin.post(f"/api/v1/bookings/{held['id']}/confirm"), 409, "booking_not_active")


def test_cancelling_an_unpaid_booking_voids_its_invoice(admin, engine, tenant, billing):
    studio = paid_resource(engine, tenant.id)
    held = data(book(admin, [studio], at(2, 10), customer=str(billing)), 201)
    cancelled = data(admin.post(f"/api/v1/bookings/{held['id']}/cancel", json={"reason": "changed plans"}))
    assert cancelled["status"] == "cancelled" and cancelled["payment"]["status"] == "void"
    assert data(admin.get(f"/api/v1/invoices/{held['payment']['invoice_id']}"))["status"] == "void"
    error_of(
        admin.post(
            f"/api/v1/invoices/{held['payment']['invoice_id']}/payments",
            json={"amount": "25.00", "method": "manual"},
        ),
        409,
        "conflict",
    )


def test_customer_credit_that_covers_the_amount_confirms_at_once(admin, engine, tenant):
    invoice_helpers.seller(engine, tenant.id)
    rich = invoice_helpers.customer(engine, tenant.id, credit_minor=10_000)
    studio = paid_resource(engine, tenant.id)
    booking = data(book(admin, [studio], at(2, 10), customer=str(rich)), 201)
    assert booking["status"] == "confirmed" and booking["payment"]["status"] == "paid"


def test_the_customer_is_checked_and_nothing_is_held(admin, api, engine, tenant, make_tenant, billing):
    studio = paid_resource(engine, tenant.id)
    dollars = invoice_helpers.customer(engine, tenant.id, currency="USD")
    other = make_tenant()
    foreign = invoice_helpers.customer(engine, other.id)
    for customer, message in (
        (None, "required"),
        (str(uuid.uuid4()), "not a customer"),
        (str(foreign), "not a customer"),
        (str(dollars), "USD"),
    ):
        extra = {} if customer is None else {"customer": customer}
        err = error_of(book(admin, [studio], at(2, 10), **extra), 422, "validation_failed")
        assert err["details"]["fields"][0]["field"] == "customer" and message in err["message"], err
    assert counts(engine, tenant.id) == (0, 0) and allocations(engine, tenant.id) == 0
    err = error_of(
        book(admin, [studio], at(2, 10), customer=str(billing), recurrence="RRULE:FREQ=DAILY;COUNT=2"),
        422,
        "validation_failed",
    )
    assert err["details"]["fields"][0]["field"] == "customer"
    err = error_of(
        book(admin, [studio], at(2, 10), recurrence="RRULE:FREQ=DAILY;COUNT=2"), 422, "validation_failed"
    )
    assert err["details"]["fields"][0]["field"] == "recurrence"


def test_resources_without_payment_book_as_before(admin, engine, tenant, billing):
    room = make_resource(engine, tenant.id)
    booking = data(book(admin, [room], at(2, 10), requires_confirmation=False), 201)
    assert booking["status"] == "confirmed" and booking["payment"] is None
    err = error_of(book(admin, [room], at(3, 10), customer=str(billing)), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "customer"
    assert counts(engine, tenant.id) == (1, 0)


def test_patch_changes_only_the_payment_terms(admin):
    made = data(admin.post("/api/v1/resources", json={"name": "Studio", "timezone": "Europe/Paris"}), 201)
    path = f"/api/v1/resources/{made['id']}"
    patched = data(admin.patch(path, json={"payment": PAYMENT}))
    assert patched["payment"]["amount"] == "25.00" and patched["timezone"] == "Europe/Paris"
    err = error_of(
        admin.patch(path, json={"payment": PAYMENT | {"amount": "1.234"}}), 422, "validation_failed"
    )
    assert err["details"]["fields"][0]["field"] == "payment.amount"
    assert data(admin.patch(path, json={"name": "Big studio"}))["payment"]["amount"] == "25.00"
    assert data(admin.patch(path, json={"payment": None}))["payment"] is None

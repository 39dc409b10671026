"""An automatic charge whose answer was lost (the worker died after Stripe charged, before Keel
recorded it) is found again at Stripe when the activity is retried: the customer is charged once and
the payment recorded once. Against localstripe, which (unlike Stripe) ignores idempotency keys, so
only Keel's own look-up stands between a retry and a second charge."""

from __future__ import annotations

import uuid

from adapters.stripe_gateway import StripeGateway
from db.models.billing import BillingCustomer
from db.models.invoices import InvoicePayment
from db.models.stripe import InvoiceCharge
from db.session import tenant_session
from domain.billing.invoices import service as invoices
from domain.billing.invoices.schemas import InvoiceIn, InvoiceStep
from domain.billing.stripe import charges
from domain.context import TenantContext
from tests.api.invoice_helpers import customer, seller


def test_a_charge_retried_after_its_answer_was_lost_charges_once(engine, tenant, localstripe) -> None:
    ctx = TenantContext.system(tenant.id, tenant.domain)
    stripe = StripeGateway(localstripe.api_key, localstripe.url)
    seller(engine, tenant.id)
    buyer = customer(engine, tenant.id, email=f"lost-{uuid.uuid4().hex[:6]}@charge.example")
    cus = stripe.ensure_customer(None, name="Lost", email="l@x.example", metadata={}, idempotency_key="k")
    card = stripe.save_payment_method(cus, "pm_card_visa")
    body = InvoiceIn.model_validate(
        {
            "customer": str(buyer),
            "lines": [{"description": "Plan", "unit_amount": "49.00"}],
            "collection": "charge_automatically",
        }
    )
    with tenant_session(engine, tenant.id) as s:
        row = s.get(BillingCustomer, buyer)
        assert row is not None
        row.stripe_customer_id, row.payment_method = cus, card
        invoice_id = invoices.finalize(s, ctx, invoices.create(s, ctx, body).id).id

    with tenant_session(engine, tenant.id) as s:
        first = charges.reserve(s, ctx, invoice_id, 0, configured=True)
    assert isinstance(first, charges.Pending) and not first.resumed
    lost = charges.attempt(stripe, first)  # Stripe charged; the worker dies before settle
    assert lost.intent is not None and lost.intent.status == "succeeded"

    with tenant_session(engine, tenant.id) as s:  # the activity's retry
        again = charges.reserve(s, ctx, invoice_id, 0, configured=True)
    assert isinstance(again, charges.Pending) and again.resumed and again.key == first.key
    found = charges.attempt(stripe, again)
    assert found.intent is not None and found.intent.id == lost.intent.id
    with tenant_session(engine, tenant.id) as s:
        step = charges.settle(s, ctx, again, found)
    assert step.status == "paid"

    listed = stripe._client.v1.charges.list(params={"customer": cus, "limit": 100}).data
    assert [c["payment_intent"] for c in listed] == [lost.intent.id]
    with tenant_session(engine, tenant.id) as s:
        payments = s.query(InvoicePayment).filter_by(invoice_id=invoice_id).all()
        assert [(p.reference, p.amount_minor) for p in payments] == [(lost.intent.id, 4900)]
        [attempt] = s.query(InvoiceCharge).filter_by(invoice_id=invoice_id).all()
        assert (attempt.status, attempt.intent_id) == ("succeeded", lost.intent.id)
    # A third try of the same attempt (a late retry) changes nothing and calls nobody.
    with tenant_session(engine, tenant.id) as s:
        assert charges.reserve(s, ctx, invoice_id, 0, configured=True) == InvoiceStep(
            status="paid", retries_seconds=[86400, 259200, 432000]
        )

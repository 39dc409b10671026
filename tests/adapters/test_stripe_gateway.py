"""The Stripe gateway against localstripe: customers, PaymentIntents, refunds; Stripe's refusals are
503s whose logs never carry the API key; no key configured is a 503 too."""

from __future__ import annotations

import logging

import pytest

from adapters.stripe_gateway import StripeGateway, gateway
from domain.errors import Unavailable
from keel.settings import Settings
from tests.api.stripe_helpers import pay_with_card
from tests.conftest import LocalStripe


@pytest.fixture
def stripe_gw(localstripe: LocalStripe) -> StripeGateway:
    return StripeGateway(localstripe.api_key, localstripe.url)


def test_customer_intent_and_refund(stripe_gw: StripeGateway, localstripe: LocalStripe) -> None:
    customer = stripe_gw.ensure_customer(
        None, name="Ada", email="ada@example.com", metadata={"customer_id": "c1"}, idempotency_key="k-c1"
    )
    assert customer.startswith("cus_")
    assert stripe_gw.ensure_customer(
        customer, name="x", email="x@example.com", metadata={}, idempotency_key="k"
    ) == (customer)
    intent = stripe_gw.create_intent(
        amount=1230, currency="EUR", customer=customer, metadata={"invoice_id": "i1"}, idempotency_key="k-i1"
    )
    assert (intent.amount, intent.currency, intent.metadata) == (1230, "EUR", {"invoice_id": "i1"})
    assert intent.client_secret and intent.client_secret.startswith(intent.id)
    assert stripe_gw.retrieve_intent(intent.id) == intent
    assert pay_with_card(localstripe, intent.id) == "succeeded"
    assert stripe_gw.retrieve_intent(intent.id).status == "succeeded"
    assert stripe_gw.refund(
        payment_intent=intent.id, amount=230, metadata={}, idempotency_key="k-r1"
    ).startswith("re_")


def test_refusals_are_unavailable_and_never_log_the_key(
    stripe_gw: StripeGateway, localstripe: LocalStripe, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(Unavailable):
        stripe_gw.retrieve_intent("pi_missing")
    with pytest.raises(Unavailable):
        stripe_gw.create_intent(
            amount=0, currency="EUR", customer=None, metadata={}, idempotency_key="k-zero"
        )
    assert localstripe.api_key not in caplog.text
    assert any("stripe call failed" in r.getMessage() for r in caplog.records)


def test_no_key_is_unavailable() -> None:
    with pytest.raises(Unavailable, match="KEEL_STRIPE_API_KEY"):
        gateway(Settings(stripe_api_key=None))

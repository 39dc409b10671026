"""Stripe through its official SDK: a customer per Keel customer, PaymentIntents, refunds.

Every write carries an idempotency key, so a retried request never charges or refunds twice. In
development and tests the same calls go to localstripe (``stripe_api_base``). The API key lives in
the client only: it is never logged, and Stripe's errors are reported by their kind and message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import stripe

from domain.errors import Unavailable
from keel.settings import Settings

log = logging.getLogger("keel.stripe")


@dataclass(frozen=True)
class Intent:
    id: str
    client_secret: str | None
    amount: int  # minor units
    currency: str  # upper case, as Keel stores it
    status: str
    metadata: dict[str, str]


def _intent(resource: Any) -> Intent:
    obj = resource.to_dict()  # a StripeObject is no dict (no .get)
    return Intent(
        id=obj["id"],
        client_secret=obj.get("client_secret"),
        amount=int(obj["amount"]),
        currency=str(obj["currency"]).upper(),
        status=str(obj["status"]),
        metadata={str(k): str(v) for k, v in (obj.get("metadata") or {}).items()},
    )


class StripeGateway:
    def __init__(self, api_key: str, api_base: str | None = None) -> None:
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=2,  # safe: every write has an idempotency key
        )

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except stripe.StripeError as exc:
            log.warning("stripe call failed", extra={"call": what, "error": type(exc).__name__})
            raise Unavailable(
                f"Stripe did not accept the {what}: {exc.user_message or type(exc).__name__}."
            ) from exc

    def _create(self, what: str, endpoint: Any, params: dict[str, Any], idempotency_key: str) -> Any:
        """A Stripe object created once per ``idempotency_key`` (a retry gets the same object)."""
        return self._call(what, endpoint.create, params=params, options={"idempotency_key": idempotency_key})

    def ensure_customer(
        self, existing: str | None, *, name: str, email: str, metadata: dict[str, str], idempotency_key: str
    ) -> str:
        """The Stripe customer's id: ``existing`` when it is set, else a new customer."""
        if existing:
            return existing
        params = {"name": name, "email": email, "metadata": metadata}
        return str(self._create("customer", self._client.v1.customers, params, idempotency_key)["id"])

    def create_intent(
        self,
        *,
        amount: int,
        currency: str,
        customer: str | None,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Intent:
        params: dict[str, Any] = {
            "amount": amount,
            "currency": currency.lower(),
            "metadata": metadata,
            "payment_method_types": ["card"],
        }
        if customer:
            params["customer"] = customer
        return _intent(
            self._create("payment intent", self._client.v1.payment_intents, params, idempotency_key)
        )

    def retrieve_intent(self, intent_id: str) -> Intent:
        return _intent(self._call("payment intent", self._client.v1.payment_intents.retrieve, intent_id))

    def refund(
        self, *, payment_intent: str, amount: int, metadata: dict[str, str], idempotency_key: str
    ) -> str:
        """Refund ``amount`` (minor units) of the intent's charge; the refund's id."""
        params = {"payment_intent": payment_intent, "amount": amount, "metadata": metadata}
        return str(self._create("refund", self._client.v1.refunds, params, idempotency_key)["id"])


def gateway(settings: Settings) -> StripeGateway:
    """The configured gateway; 503 when Stripe is not set up (no key)."""
    if settings.stripe_api_key is None:
        raise Unavailable("Stripe is not configured: set KEEL_STRIPE_API_KEY.")
    return StripeGateway(settings.stripe_api_key.get_secret_value(), settings.stripe_api_base)

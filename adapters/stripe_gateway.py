"""Stripe through its official SDK: a customer per Keel customer, its saved payment method,
PaymentIntents (paid by the payer, or charged off-session), refunds.

Every write carries an idempotency key, so a retried request never charges or refunds twice. In
development and tests the same calls go to localstripe (``stripe_api_base``). The API key lives in
the client only: it is never logged, and Stripe's errors are reported by their kind and message.
"""

from __future__ import annotations

import contextlib
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


@dataclass(frozen=True)
class Refused:
    """A payment method Stripe refused (declined, expired, unknown): final for this try."""

    code: str
    message: str
    intent_id: str | None = None


class RefusedError(Exception):
    def __init__(self, refused: Refused) -> None:
        super().__init__(refused.message)
        self.refused = refused


def _refused(exc: stripe.StripeError) -> Refused:
    error = exc.error  # a StripeObject: a field Stripe did not send is missing, not None
    intent = getattr(error, "payment_intent", None)
    return Refused(
        code=str(exc.code or getattr(error, "decline_code", None) or "refused")[:100],
        message=str(exc.user_message or type(exc).__name__)[:500],
        intent_id=str(intent["id"]) if intent is not None and intent.get("id") else None,
    )


def _saved(resource: Any) -> dict[str, Any]:
    """What Keel keeps of a saved payment method (its PaymentMethodOut): enough to show it, nothing
    to charge it with."""
    obj = resource.to_dict()
    card = obj.get("card") or {}
    shown = {k: card.get(k) for k in ("brand", "last4", "exp_month", "exp_year")}
    return {"id": str(obj["id"]), "type": str(obj.get("type") or "card"), **shown}


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

    def _decisive(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """``fn`` called; a card or request Stripe refuses is a ``RefusedError`` (retrying cannot
        change it), a network or Stripe-side fault a ``Unavailable`` (a retry may)."""
        try:
            return fn(*args, **kwargs)
        except (stripe.CardError, stripe.InvalidRequestError) as exc:
            log.info("stripe refused", extra={"call": what, "error": type(exc).__name__, "code": exc.code})
            raise RefusedError(_refused(exc)) from exc
        except stripe.StripeError as exc:
            log.warning("stripe call failed", extra={"call": what, "error": type(exc).__name__})
            raise Unavailable(f"Stripe did not answer the {what}: {type(exc).__name__}.") from exc

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

    def cancel_intent(self, intent_id: str) -> None:
        """Cancel an intent no one should pay any more; one Stripe will not cancel (paid, gone) is left."""
        with contextlib.suppress(RefusedError):
            self._decisive("payment intent", self._client.v1.payment_intents.cancel, intent_id)

    def retrieve_intent(self, intent_id: str) -> Intent:
        return _intent(self._call("payment intent", self._client.v1.payment_intents.retrieve, intent_id))

    def save_payment_method(self, customer: str, payment_method: str) -> dict[str, Any]:
        """Attach ``payment_method`` to the customer and make it the one its invoices are charged to."""
        methods = self._client.v1.payment_methods
        attached = self._decisive(
            "payment method", methods.attach, payment_method, params={"customer": customer}
        )
        saved = _saved(attached)
        params = {"invoice_settings": {"default_payment_method": saved["id"]}}
        self._decisive("payment method", self._client.v1.customers.update, customer, params=params)
        return saved

    def forget_payment_method(self, payment_method: str) -> None:
        """Detach it at Stripe; one already gone is forgotten all the same."""
        with contextlib.suppress(RefusedError):
            self._decisive("payment method", self._client.v1.payment_methods.detach, payment_method)

    def create_setup_intent(self, *, customer: str, metadata: dict[str, str], idempotency_key: str) -> Intent:
        """A SetupIntent: the customer's page saves a card with Stripe.js and its client secret."""
        params = {"customer": customer, "usage": "off_session", "metadata": metadata}
        obj = self._create("setup intent", self._client.v1.setup_intents, params, idempotency_key).to_dict()
        return Intent(obj["id"], obj.get("client_secret"), 0, "", str(obj["status"]), metadata)

    def charge_saved(
        self,
        *,
        amount: int,
        currency: str,
        customer: str,
        payment_method: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Intent:
        """Charge the saved method now, the customer absent (off-session). A decline is a
        ``RefusedError`` carrying the intent Stripe made, if any."""
        params: dict[str, Any] = {
            "amount": amount,
            "currency": currency.lower(),
            "customer": customer,
            "payment_method": payment_method,
            "metadata": metadata,
            "confirm": True,
            "off_session": True,
        }
        options = {"idempotency_key": idempotency_key}
        intents = self._client.v1.payment_intents
        return _intent(self._decisive("charge", intents.create, params=params, options=options))

    def find_charge(self, *, customer: str, since: int, key: str) -> Intent | None:
        """The intent charged for ``key`` (its metadata ``keel_charge``) since ``since`` (epoch
        seconds), if one was: how a charge cut off before its answer was recorded is found again."""
        params = {"customer": customer, "created": {"gt": since}, "limit": 100}
        charges = self._call("charge search", self._client.v1.charges.list, params=params)
        for charge in charges.data:
            intent_id = charge.to_dict().get("payment_intent")
            if intent_id:
                intent = self.retrieve_intent(str(intent_id))
                if intent.metadata.get("keel_charge") == key:
                    return intent
        return None

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

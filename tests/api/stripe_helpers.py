"""Shared set-up for the Stripe tests (no tests here): localstripe delivering its webhooks to the live
API, paying an intent with a test card, and events signed like Stripe signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import httpx
import stripe
from sqlalchemy import Engine

from tests.api.conftest import Api, Live
from tests.api.invoice_helpers import customer, seller, tax_rate
from tests.conftest import LocalStripe

EVENTS_PATH = "/api/v1/providers/stripe/events"
LINES = [{"description": "Consulting", "unit_amount": "100.00", "quantity": "1"}]  # 120.00 with VAT


def deliver_to(live: Live, localstripe: LocalStripe) -> None:
    """Have localstripe sign and post its payment_intent events to the live API."""
    body = {
        "url": live.url + EVENTS_PATH,
        "secret": localstripe.webhook_secret,
        "events": ["payment_intent.succeeded", "payment_intent.payment_failed"],
    }
    httpx.post(f"{localstripe.url}/_config/webhooks/keel", json=body, timeout=10).raise_for_status()


def client(localstripe: LocalStripe) -> stripe.StripeClient:
    return stripe.StripeClient(localstripe.api_key, base_addresses={"api": localstripe.url})


def pay_with_card(localstripe: LocalStripe, intent_id: str, card: str = "pm_card_visa") -> str:
    """Attach a test card and confirm, as Stripe.js would in the payer's page; the intent's status."""
    c = client(localstripe)
    c.v1.payment_intents.update(intent_id, params={"payment_method": card})
    try:
        return str(c.v1.payment_intents.confirm(intent_id)["status"])
    except stripe.CardError:
        return "declined"


def signature(secret: str, raw: bytes, at: int | None = None) -> str:
    """The Stripe-Signature header for ``raw``, as Stripe computes it."""
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.".encode() + raw, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def intent_event(event_id: str, kind: str, intent: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "data": {"object": intent},
        }
    ).encode()


def post_event(anonymous: Api, raw: bytes, header: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Stripe-Signature"] = header
    return anonymous.post(EVENTS_PATH, content=raw, headers=headers)


def wait_until(check: Any, timeout: float = 20) -> Any:
    """``check()`` once it is truthy (localstripe posts its webhooks about a second later)."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def card_customer(engine: Engine, tenant_id: uuid.UUID, live: Live, localstripe: LocalStripe) -> uuid.UUID:
    """A customer of a seller charging 20% VAT, whose card payments localstripe reports to the live API."""
    deliver_to(live, localstripe)
    seller(engine, tenant_id)
    tax_rate(engine, tenant_id, "20")
    return customer(engine, tenant_id)

"""Quote tests: a shop (seller, taxes, a customer, a catalogue price), a draft quote, and the link the
customer receives, read from the dev outbox."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, update

from db.models.quotes import Quote
from db.session import tenant_session
from tests.api.conftest import Api, data
from tests.api.invoice_helpers import customer, price, seller, tax_rate

LINK = re.compile(r"/quotes/([A-Za-z0-9_-]{80})")


def shop(engine: Engine, tenant_id: uuid.UUID) -> dict[str, uuid.UUID]:
    seller(engine, tenant_id)
    tax_rate(engine, tenant_id, "20")
    tax_rate(engine, tenant_id, "5.5", category="books")
    return {
        "customer": customer(engine, tenant_id, email=f"buyer-{uuid.uuid4().hex[:8]}@dupont.example"),
        "book": price(engine, tenant_id, 1235, tax_category="books", name="Field guide"),
    }


def lines_of(shop: dict[str, uuid.UUID]) -> list[dict[str, Any]]:
    return [
        {"description": "Hosting", "unit_amount": "19.99", "quantity": "3", "discount_percent": "10"},
        {"price": str(shop["book"]), "quantity": "1.5"},
    ]


def in_days(days: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def draft(admin: Api, shop: dict[str, uuid.UUID], **extra: Any) -> dict[str, Any]:
    body = {"customer": str(shop["customer"]), "lines": lines_of(shop), "valid_until": in_days(30)}
    r = admin.post("/api/v1/quotes", json=body | extra)
    out: dict[str, Any] = data(r, 201)
    assert r.headers["location"] == f"/api/v1/quotes/{out['id']}"
    return out


def email_of(engine: Engine, tenant_id: uuid.UUID, customer_id: uuid.UUID) -> str:
    from db.models.billing import BillingCustomer

    with tenant_session(engine, tenant_id) as s:
        row = s.get(BillingCustomer, customer_id)
        assert row is not None
        return row.email


def sent_link(admin: Api, to: str, number: str, timeout: float = 30) -> str:
    """The token of the quote's link, from the email in the dev outbox."""
    deadline = time.monotonic() + timeout
    while True:
        mails = data(admin.get("/api/v1/dev/outbox", params={"to": to, "channel": "email"}))
        found = [m for m in mails if number in (m["subject"] or "")]
        if found:
            match = LINK.search(found[0]["text"] or "")
            assert match, found[0]
            return match.group(1)
        assert time.monotonic() < deadline, mails
        time.sleep(0.2)


def sent(
    admin: Api, engine: Engine, tenant_id: uuid.UUID, shop: dict[str, uuid.UUID]
) -> tuple[dict[str, Any], str]:
    quote = draft(admin, shop)
    out: dict[str, Any] = data(admin.post(f"/api/v1/quotes/{quote['id']}/send"))
    assert out["status"] == "sent"
    return out, sent_link(admin, email_of(engine, tenant_id, shop["customer"]), quote["number"])


def backdate(engine: Engine, tenant_id: uuid.UUID, quote_id: str, days: int) -> None:
    """Move the quote's last valid day ``days`` into the past (as if time had passed)."""
    past = datetime.now(UTC).date() - timedelta(days=days)
    with tenant_session(engine, tenant_id) as s:
        s.execute(
            update(Quote).where(Quote.id == uuid.UUID(quote_id)).values(valid_until=past)
        )  # tenant: test

"""Billing set-up for subscription tests: recurring and usage prices written through the ORM, a metric,
and small readers for subscription answers."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from db.models.billing import Price, Product
from db.models.usage import BillableMetric
from db.session import tenant_session
from tests.api.conftest import Api, data
from tests.api.invoice_helpers import customer, seller, tax_rate
from tests.subscription_rows import subscription_row

__all__ = [
    "bare_subscription",
    "customer",
    "metric",
    "recurring",
    "seller",
    "setup",
    "subscribe",
    "tax_rate",
    "wait_until",
]


def recurring(
    engine: Engine,
    tenant_id: uuid.UUID,
    unit_minor: int | None,
    *,
    currency: str = "EUR",
    interval: str = "month",
    interval_count: int = 1,
    usage: dict[str, Any] | None = None,
    type_: str = "recurring",
    name: str = "Plan",
) -> uuid.UUID:
    product = Product(id=uuid.uuid4(), tenant_id=tenant_id, name=name, tax_category="standard", active=True)
    row = Price(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        product_id=product.id,
        currency=currency,
        unit_amount_minor=unit_minor,
        type=type_,
        interval=interval if type_ == "recurring" else None,
        interval_count=interval_count,
        usage=usage,
        active=True,
    )
    with tenant_session(engine, tenant_id) as s:
        s.add(product)
        s.flush()
        s.add(row)
    return row.id


def metric(engine: Engine, tenant_id: uuid.UUID, code: str = "api_calls") -> str:
    with tenant_session(engine, tenant_id) as s:
        s.add(
            BillableMetric(
                tenant_id=tenant_id, code=code, name=code, aggregation="count", field=None, filters={}
            )
        )
    return code


def setup(engine: Engine, tenant_id: uuid.UUID, currency: str = "EUR") -> dict[str, Any]:
    """A seller in France at 20 % VAT, a customer, a licensed plan and a per-unit usage price."""
    seller(engine, tenant_id)
    tax_rate(engine, tenant_id, "20")
    code = metric(engine, tenant_id)
    unit = {"EUR": 1000, "JPY": 1000, "KWD": 10000}[currency]
    return {
        "customer": customer(engine, tenant_id, currency=currency),
        "plan": recurring(engine, tenant_id, unit, currency=currency),
        "seat": recurring(engine, tenant_id, unit // 2, currency=currency, name="Seat"),
        "usage": recurring(
            engine,
            tenant_id,
            5 if currency == "EUR" else 1,
            currency=currency,
            usage={"metric": code, "model": "per_unit", "tiers": None, "package_size": None},
            name="API calls",
        ),
        "metric": code,
    }


def subscribe(admin: Api, shop: dict[str, Any], items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    r = admin.post("/api/v1/subscriptions", json={"customer": str(shop["customer"]), "items": items, **extra})
    out = data(r, 201)
    assert r.headers["location"] == f"/api/v1/subscriptions/{out['id']}"
    return out


def wait_until(admin: Api, sub_id: str, check: Any, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        out = data(admin.get(f"/api/v1/subscriptions/{sub_id}"))
        if check(out):
            return out
        assert time.monotonic() < deadline, out
        time.sleep(0.2)


def bare_subscription(engine: Engine, tenant_id: uuid.UUID, customer_id: uuid.UUID) -> uuid.UUID:
    """A subscription row with no items nor workflow: enough for usage events to name."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    row = subscription_row(tenant_id, customer_id, start, start + timedelta(days=30))
    with tenant_session(engine, tenant_id) as s:
        s.add(row)
    return row.id

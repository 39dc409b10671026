"""Billing set-up for invoice tests: a seller, customers, products and prices written through the
catalogue's ORM models, tax rates through its service, and small readers for the invoice answers."""

from __future__ import annotations

import time
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from db.models.billing import BillingCustomer, BillingSettings, Price, Product
from db.session import tenant_session
from domain.billing.catalog import tax_rates
from domain.billing.catalog.schemas import TaxRateIn
from domain.context import TenantContext
from tests.api.conftest import Api, data


def seller(engine: Engine, tenant_id: uuid.UUID, **extra: Any) -> None:
    with tenant_session(engine, tenant_id) as s:
        values: dict[str, Any] = {
            "seller_name": "Keel Demo SAS",
            "seller_address": {
                "line1": "1 rue de la Paix",
                "city": "Paris",
                "postal_code": "75002",
                "country": "FR",
            },
            "seller_country": "FR",
            "seller_tax_id": "FR40303265045",
            "reporting_currency": "EUR",
            "dunning": {},
        }
        s.add(BillingSettings(tenant_id=tenant_id, **(values | extra)))


def customer(engine: Engine, tenant_id: uuid.UUID, **extra: Any) -> uuid.UUID:
    values: dict[str, Any] = {
        "name": "Client Dupont",
        "email": "billing@dupont.example",
        "currency": "EUR",
        "country": "FR",
        "address": {"line1": "5 avenue Foch", "city": "Lyon", "postal_code": "69006", "country": "FR"},
        "tax_ids": [],
        "locale": "fr_FR",
        "payment_terms_days": 30,
        "credit_minor": 0,
        "metadata_": {},
        "version": 1,
    }
    row = BillingCustomer(id=uuid.uuid4(), tenant_id=tenant_id, **(values | extra))
    with tenant_session(engine, tenant_id) as s:
        s.add(row)
    return row.id


def tax_rate(
    engine: Engine,
    tenant_id: uuid.UUID,
    percentage: str,
    *,
    category: str | None = None,
    inclusive: bool = False,
    country: str = "FR",
    name: str | None = None,
) -> uuid.UUID:
    body = TaxRateIn(
        name=name or f"TVA {percentage}%",
        percentage=percentage,
        inclusive=inclusive,
        country=country,
        category=category,
    )
    with tenant_session(engine, tenant_id) as s:
        return tax_rates.create_tax_rate(s, TenantContext.system(tenant_id), body).id


def price(
    engine: Engine,
    tenant_id: uuid.UUID,
    unit_minor: int | None,
    *,
    currency: str = "EUR",
    type_: str = "one_time",
    tax_category: str = "standard",
    name: str = "Consulting day",
    active: bool = True,
) -> uuid.UUID:
    product = Product(id=uuid.uuid4(), tenant_id=tenant_id, name=name, tax_category=tax_category, active=True)
    row = Price(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        product_id=product.id,
        currency=currency,
        unit_amount_minor=unit_minor,
        type=type_,
        interval="month" if type_ == "recurring" else None,
        interval_count=1,
        usage={"metric": "api_calls"} if type_ == "usage" else None,
        active=active,
    )
    with tenant_session(engine, tenant_id) as s:
        s.add(product)
        s.flush()
        s.add(row)
    return row.id


def minor(text: str, digits: int = 2) -> int:
    return int(Decimal(text).scaleb(digits))


def assert_adds_up(invoice: dict[str, Any], digits: int = 2) -> None:
    """sum(line nets) + sum(taxes) == total, to the minor unit, and the breakdown matches the lines."""
    nets = sum(minor(line["net"], digits) for line in invoice["lines"])
    line_taxes = sum(minor(line["tax"], digits) for line in invoice["lines"])
    taxes = sum(minor(t["tax"], digits) for t in invoice["tax_breakdown"])
    taxable = sum(minor(t["taxable_amount"], digits) for t in invoice["tax_breakdown"])
    assert nets == minor(invoice["subtotal"], digits) == taxable
    assert line_taxes == taxes == minor(invoice["tax"], digits)
    assert nets + taxes == minor(invoice["total"], digits)


def draft(admin: Api, customer_id: uuid.UUID, lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    r = admin.post("/api/v1/invoices", json={"customer": str(customer_id), "lines": lines, **extra})
    out = data(r, 201)
    assert r.headers["location"] == f"/api/v1/invoices/{out['id']}"
    return out


def finalized(
    admin: Api, customer_id: uuid.UUID, lines: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    out = data(admin.post(f"/api/v1/invoices/{draft(admin, customer_id, lines, **extra)['id']}/finalize"))
    assert out["status"] in ("open", "paid")
    return out


def wait_for(admin: Api, invoice_id: str, check: Any, timeout: float = 60) -> dict[str, Any]:
    """The invoice once ``check(invoice)`` holds (its workflow works after the answer)."""
    deadline = time.monotonic() + timeout
    while True:
        out = data(admin.get(f"/api/v1/invoices/{invoice_id}"))
        if check(out):
            return out
        assert time.monotonic() < deadline, out
        time.sleep(0.2)


def count(admin: Api, path: str = "/api/v1/invoices") -> int:
    return len(data(admin.get(path, params={"limit": 200})))

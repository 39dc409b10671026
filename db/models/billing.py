"""Billing's catalogue: customers, products, prices, tax rates, exchange rates and the tenant's
billing settings. Amounts are integer minor units of the row's currency (``domain/billing/money.py``).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, Numeric, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key

LIVE = text("deleted_at IS NULL")


class BillingCustomer(Base, TenantOwned):
    """Who is invoiced: one currency, an address that decides the tax, tax ids, payment terms, and the
    credit an overpayment leaves (applied to the next invoice)."""

    __tablename__ = "customers"
    __table_args__ = (Index("ix_customers_email", "tenant_id", "email"),)

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2, from the address
    region: Mapped[str | None] = mapped_column(String(10))  # ISO 3166-2 subdivision code, e.g. "CA"
    address: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    tax_ids: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)  # [{type, value}]
    locale: Mapped[str] = mapped_column(String(35), default="en")
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    entity_type: Mapped[str | None] = mapped_column(String(100))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    credit_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # in ``currency``, never negative
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255))
    # The saved card charged automatically: {id, type, brand, last4, exp_month, exp_year} (no secret).
    payment_method: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSONB, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)  # the ETag


class Product(Base, TenantOwned):
    """Something sold; its tax category picks the tax rate of a line (``standard`` unless said)."""

    __tablename__ = "products"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(2000))
    tax_category: Mapped[str] = mapped_column(String(50), default="standard")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Price(Base, TenantOwned):
    """A product's price in one currency: one-time or recurring (every ``interval_count`` intervals);
    a usage price (``usage``: metric, model, tiers) is charged on what was metered in the period."""

    __tablename__ = "prices"

    product_id: Mapped[uuid.UUID] = parent_key("products", index=True)
    currency: Mapped[str] = mapped_column(String(3))
    unit_amount_minor: Mapped[int | None] = mapped_column(BigInteger)  # None for a tiered usage price
    type: Mapped[str] = mapped_column(String(20))  # one_time | recurring
    interval: Mapped[str | None] = mapped_column(String(10))  # day | week | month | year
    interval_count: Mapped[int] = mapped_column(Integer, default=1)
    usage: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TaxRate(Base, TenantOwned):
    """A tax rate for a country (and region) and a product tax category (any category when None)."""

    __tablename__ = "tax_rates"
    __table_args__ = (Index("ix_tax_rates_place", "tenant_id", "country", "region", "category"),)

    name: Mapped[str] = mapped_column(String(100))
    percentage: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    inclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(10))
    category: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class FxRate(Base, TenantOwned):
    """One unit of ``base`` is ``rate`` units of ``quote`` on ``on_date``."""

    __tablename__ = "fx_rates"
    __table_args__ = (UniqueConstraint("tenant_id", "base", "quote", "on_date"),)

    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(24, 12))
    on_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="api")  # api | ecb_csv


class BillingSettings(Base, TenantOwned):
    """The tenant as a seller (one row per tenant): who it is on an invoice, where it is (for reverse
    charge), its reporting currency, its invoice template and its dunning policy."""

    __tablename__ = "billing_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    seller_name: Mapped[str | None] = mapped_column(String(200))
    seller_address: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    seller_country: Mapped[str | None] = mapped_column(String(2))
    seller_tax_id: Mapped[str | None] = mapped_column(String(50))
    reporting_currency: Mapped[str] = mapped_column(String(3), default="EUR")
    invoice_template: Mapped[str | None] = mapped_column(String(100))  # a document template key
    dunning: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)

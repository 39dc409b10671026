"""The tax decision for one line: which rate applies to a customer buying a product of a category.

The rule, in order:

1. EU B2B reverse charge. When the seller's country and the customer's country are both EU member
   states and differ, and the customer has an ``eu_vat`` tax id, no VAT is charged (0 %) and the
   invoice carries the legal mention ``REVERSE_CHARGE_MENTION``.
2. Otherwise the most specific *active* rate of the tenant for the customer's address wins:
   country + region + category, then country + region with no category, then country + category,
   then country with no category. Among rates equally specific, the newest wins (to change a
   percentage, create the new rate, then deactivate the old one).
3. No rate: 0 %, "No tax".

``resolve`` and ``seller_settings`` check no permission: they serve services (invoices, quotes)
that have checked their own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer, BillingSettings, TaxRate
from domain.context import TenantContext
from domain.queries import live

# The 27 member states by ISO 3166-1 code (Greece is GR here; its VAT numbers start with EL).
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
# The prefixes of EU VAT numbers: the country codes, except EL for Greece.
EU_VAT_PREFIXES = (EU_COUNTRIES - {"GR"}) | {"EL"}
REVERSE_CHARGE_MENTION = (
    "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC)."
)
DEFAULT_CATEGORY = "standard"


@dataclass(frozen=True)
class TaxDecision:
    rate_id: uuid.UUID | None  # None: no rate applies (0 %), or reverse charge
    name: str  # "VAT 20%", "Reverse charge", "No tax"
    percentage: Decimal  # 0 for none and reverse charge
    inclusive: bool  # prices include the tax
    reverse_charge: bool
    mention: str | None  # the legal mention the PDF prints (reverse charge)


NO_TAX = TaxDecision(None, "No tax", Decimal(0), False, False, None)
REVERSE_CHARGE = TaxDecision(None, "Reverse charge", Decimal(0), False, True, REVERSE_CHARGE_MENTION)


def seller_settings(session: Session, ctx: TenantContext) -> BillingSettings | None:
    """The tenant's billing settings (one row per tenant), or None before they were ever saved."""
    return session.scalar(live(ctx, BillingSettings))


def has_eu_vat(customer: BillingCustomer) -> bool:
    return any(t.get("type") == "eu_vat" and t.get("value") for t in customer.tax_ids or [])


def is_reverse_charge(customer: BillingCustomer, seller: BillingSettings | None) -> bool:
    """Intra-EU B2B: both in the EU, in different countries, and the buyer has an EU VAT number."""
    seller_country = seller.seller_country if seller is not None else None
    return (
        seller_country in EU_COUNTRIES
        and customer.country in EU_COUNTRIES
        and seller_country != customer.country
        and has_eu_vat(customer)
    )


def _specificity(rate: TaxRate) -> int:
    """Higher is more specific: a region counts more than a category (country+region wins over
    country+category)."""
    return (2 if rate.region is not None else 0) + (1 if rate.category is not None else 0)


def resolve(
    session: Session,
    ctx: TenantContext,
    customer: BillingCustomer,
    category: str,
    seller: BillingSettings | None,
) -> TaxDecision:
    """The tax of a line of ``category`` sold to ``customer`` by ``seller`` (see the module rule)."""
    if is_reverse_charge(customer, seller):
        return REVERSE_CHARGE
    category = (category or DEFAULT_CATEGORY).lower()
    regions: list[str | None] = [None] if customer.region is None else [None, customer.region]
    stmt = live(ctx, TaxRate).where(TaxRate.active.is_(True), TaxRate.country == customer.country)
    candidates = [
        rate for rate in session.scalars(stmt) if rate.region in regions and rate.category in (None, category)
    ]
    if not candidates:
        return NO_TAX
    best = max(candidates, key=lambda r: (_specificity(r), r.created_at, r.id.hex))
    return TaxDecision(best.id, best.name, Decimal(best.percentage), best.inclusive, False, None)

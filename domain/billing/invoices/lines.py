"""An invoice's lines priced: amounts, tax per line, the tax breakdown and the totals.

The rule: a line's amount is unit times quantity less its discount, rounded half up to the minor unit
once. Its tax comes from ``taxes.resolve`` for the line's category (the line's ``tax_category``, else
the product's, else ``standard``): an exclusive rate adds ``percentage_of(amount)`` on top; an
inclusive rate is inside the amount (``included_tax``) and the net is the rest. The subtotal is the
sum of line nets, each rate's tax is the sum of its lines' taxes, and total = subtotal + taxes: the
figures always add up to the minor unit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer, BillingSettings, Price, Product
from domain.billing import money
from domain.billing.catalog import taxes
from domain.billing.invoices.schemas import LineIn
from domain.context import TenantContext
from domain.errors import FieldError, ValidationFailed
from domain.queries import live


@dataclass
class Priced:
    lines: list[dict[str, Any]]
    breakdown: list[dict[str, Any]]
    mentions: list[str]
    subtotal: int
    tax: int
    total: int = field(init=False)

    def __post_init__(self) -> None:
        self.total = self.subtotal + self.tax


def tax_of(amount: int, percentage: Decimal, inclusive: bool) -> tuple[int, int]:
    """(net, tax) of a priced amount: inclusive amounts contain their tax, exclusive ones get it added."""
    if inclusive:
        tax = money.included_tax(amount, percentage)
        return amount - tax, tax
    return amount, money.percentage_of(amount, percentage)


def breakdown_of(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per tax (rate, name, percentage, inclusive): the nets it applies to and its tax."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for line in lines:
        t = line["tax"]
        key = (t["rate_id"], t["name"], t["percentage"], t["inclusive"], t["reverse_charge"])
        row = groups.setdefault(key, {**t, "taxable_minor": 0, "tax_minor": 0})
        row["taxable_minor"] += line["net_minor"]
        row["tax_minor"] += line["tax_minor"]
    return list(groups.values())


def _catalogue(
    session: Session, ctx: TenantContext, lines: list[LineIn]
) -> tuple[dict[uuid.UUID, Price], dict[uuid.UUID, Product]]:
    ids = {line.price for line in lines if line.price is not None}
    if not ids:
        return {}, {}
    prices = {p.id: p for p in session.scalars(live(ctx, Price).where(Price.id.in_(ids)))}
    product_ids = {p.product_id for p in prices.values()}
    products = {p.id: p for p in session.scalars(live(ctx, Product).where(Product.id.in_(product_ids)))}
    return prices, products


def _unit(
    line: LineIn, i: int, currency: str, prices: dict[uuid.UUID, Price], products: dict[uuid.UUID, Product]
) -> tuple[int, str, Price | None, Product | None]:
    """The unit amount in minor units and the description; a ValidationFailed names the bad field."""
    at = f"lines.{i}"
    if line.price is None:
        if line.unit_amount is None or line.description is None:
            missing = "unit_amount" if line.unit_amount is None else "description"
            raise ValidationFailed.one(f"{at}.{missing}", "is required for a line without a price")
        unit = money.to_minor(line.unit_amount, currency, field=f"{at}.unit_amount")
        if unit < 0:
            raise ValidationFailed.one(
                f"{at}.unit_amount", "may not be negative: credit through a credit note"
            )
        return unit, line.description, None, None
    if line.unit_amount is not None:
        raise ValidationFailed.one(f"{at}.unit_amount", "is the price's: give a price or a unit amount")
    price = prices.get(line.price)
    product = products.get(price.product_id) if price is not None else None
    if price is None or product is None:
        raise ValidationFailed.one(f"{at}.price", "is not a price of this tenant")
    if not price.active or not product.active:
        raise ValidationFailed.one(f"{at}.price", "is not active")
    if price.currency != currency:
        raise ValidationFailed.one(
            f"{at}.price", f"is in {price.currency}, the invoice in the customer's currency {currency}"
        )
    if price.unit_amount_minor is None:
        raise ValidationFailed.one(
            f"{at}.price", "is a tiered usage price with no unit amount: bill it as usage"
        )
    if price.type != "one_time" and line.quantity is None:
        raise ValidationFailed.one(
            f"{at}.quantity", f"is required on a one-off line of a {price.type} or usage price"
        )
    return price.unit_amount_minor, line.description or product.name, price, product


def price_lines(
    session: Session,
    ctx: TenantContext,
    customer: BillingCustomer,
    lines: list[LineIn],
    seller: BillingSettings | None,
) -> Priced:
    """Every line priced and taxed, or one 422 listing every bad field (nothing is written)."""
    currency = customer.currency
    prices, products = _catalogue(session, ctx, lines)
    bad: list[FieldError] = []
    out: list[dict[str, Any]] = []
    decisions: dict[str, taxes.TaxDecision] = {}
    for i, line in enumerate(lines):
        try:
            unit, description, price, product = _unit(line, i, currency, prices, products)
        except ValidationFailed as exc:
            bad.extend(exc.fields)
            continue
        qty = Decimal(line.quantity or "1")  # the schema checked its form
        discount = Decimal(line.discount_percent or "0")
        category = line.tax_category or (product.tax_category if product else None) or taxes.DEFAULT_CATEGORY
        if category not in decisions:
            decisions[category] = taxes.resolve(session, ctx, customer, category, seller)
        decision = decisions[category]
        amount = money.line_amount(unit, qty, discount_percent=discount)
        if abs(amount) >= money.MAX_MINOR // 1000:
            bad.append(FieldError(f"lines.{i}.quantity", "makes the line amount too large"))
            continue
        net, tax = tax_of(amount, decision.percentage, decision.inclusive)
        out.append(
            {
                "description": description,
                "price_id": str(price.id) if price else None,
                "product_id": str(product.id) if product else None,
                "quantity": str(qty),
                "unit_minor": unit,
                "discount_percent": str(discount),
                "tax_category": category,
                "amount_minor": amount,
                "net_minor": net,
                "tax_minor": tax,
                "tax": {
                    "rate_id": str(decision.rate_id) if decision.rate_id else None,
                    "name": decision.name,
                    "percentage": f"{decision.percentage.normalize():f}",
                    "inclusive": decision.inclusive,
                    "reverse_charge": decision.reverse_charge,
                    "mention": decision.mention,
                },
            }
        )
    if bad:
        raise ValidationFailed(bad, "; ".join(f"{f.field}: {f.message}" for f in bad))
    mentions = list(dict.fromkeys(line["tax"]["mention"] for line in out if line["tax"]["mention"]))
    subtotal = sum(line["net_minor"] for line in out)
    tax = sum(line["tax_minor"] for line in out)
    return Priced(out, breakdown_of(out), mentions, subtotal, tax)

"""Money: ISO 4217 currencies, amounts as decimal strings in the API and integer minor units in storage.

A currency's minor units come from Babel's CLDR data (JPY 0 digits, EUR 2, KWD 3). An amount with
more digits than its currency allows is refused, never rounded silently. Computations (a quantity
times a unit price, a tax percentage, a discount, a proration) round once per line, half up, to
the minor unit: ``round_minor``. Totals are sums of rounded line values, so they always add up.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from functools import cache
from typing import Annotated

from babel.numbers import get_currency_precision, list_currencies
from pydantic import AfterValidator, StringConstraints

from domain.billing.schemas import QUANTITY
from domain.billing.schemas import AmountText as AmountText  # the request types, here with the rest
from domain.billing.schemas import QuantityText as QuantityText
from domain.errors import ValidationFailed

# Units of account, precious metals and testing codes: not currencies an invoice is written in.
_NOT_MONEY = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
)
MAX_MINOR = 10**18  # fits a BIGINT with room for sums
# Wide enough that a unit price times a quantity (19 + 18 digits) is exact before the one rounding.
_EXACT = Context(prec=60, rounding=ROUND_HALF_UP)


@cache
def currencies() -> frozenset[str]:
    return frozenset(list_currencies()) - _NOT_MONEY


def check_currency(code: str) -> str:
    """The ISO 4217 code, upper case; an unknown one raises ValueError (pydantic makes it a 422)."""
    if not isinstance(code, str) or code.upper() not in currencies():
        raise ValueError("is not an ISO 4217 currency code")
    return code.upper()


Currency = Annotated[str, StringConstraints(min_length=3, max_length=3), AfterValidator(check_currency)]


def digits(currency: str) -> int:
    """The currency's minor-unit digits (EUR 2, JPY 0, KWD 3)."""
    return int(get_currency_precision(check_currency(currency)))


def _decimals(value: Decimal) -> int:
    """How many digits after the point a non-zero finite value really has (trailing zeros aside)."""
    _, coefficient, exponent = value.as_tuple()
    trailing = len(coefficient) - len("".join(map(str, coefficient)).rstrip("0"))
    return -(int(exponent) + trailing)


def to_minor(amount: str | Decimal, currency: str, *, field: str = "amount") -> int:
    """``"12.30"`` EUR as 1230; more digits than the currency has is a 422 on ``field``."""
    try:
        value = Decimal(amount) if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except InvalidOperation as exc:
        raise ValidationFailed.one(field, "is not a decimal amount") from exc
    if not value.is_finite():
        raise ValidationFailed.one(field, "is not a decimal amount")
    places = digits(currency)
    # Decided on the digits, not by scaling or normalizing (both round in the context's limits):
    # "1e-999999999" would underflow to 0, "1e999999" overflow, a 70-digit amount round.
    if value and _decimals(value) > places:
        raise ValidationFailed.one(field, f"has more than {places} decimals, which {currency} allows")
    if value and value.adjusted() + places >= 19:
        raise ValidationFailed.one(field, "is too large")
    with localcontext(_EXACT):
        minor = int(value.scaleb(places))
    if abs(minor) >= MAX_MINOR:
        raise ValidationFailed.one(field, "is too large")
    return minor


def to_text(minor: int, currency: str) -> str:
    """1230 EUR as ``"12.30"``; 500 JPY as ``"500"``: the decimal string the API answers."""
    places = digits(currency)
    return str(Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places)))


def round_minor(value: Decimal) -> int:
    """A computed amount in minor units (possibly fractional), rounded half up (away from zero on .5)."""
    with localcontext(_EXACT):
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def quantity(text: str | Decimal, *, field: str = "quantity") -> Decimal:
    """A non-negative decimal quantity with at most 6 decimals."""
    raw = str(text).strip()
    if not QUANTITY.fullmatch(raw):
        raise ValidationFailed.one(field, "must be a non-negative decimal with at most 6 decimals")
    return Decimal(raw)


def line_amount(unit_minor: int, qty: Decimal, *, discount_percent: Decimal = Decimal(0)) -> int:
    """A line's amount in minor units: unit price times quantity, less a percentage, rounded once."""
    with localcontext(_EXACT):
        gross = Decimal(unit_minor) * qty
        return round_minor(gross * (Decimal(100) - discount_percent) / Decimal(100))


def percentage_of(minor: int, percent: Decimal) -> int:
    """``percent`` % of an amount (a tax on an exclusive price), rounded half up."""
    with localcontext(_EXACT):
        return round_minor(Decimal(minor) * percent / Decimal(100))


def included_tax(gross_minor: int, percent: Decimal) -> int:
    """The tax inside a tax-inclusive amount: gross - gross / (1 + rate), rounded half up."""
    if percent == 0:
        return 0
    with localcontext(_EXACT):
        return gross_minor - round_minor(Decimal(gross_minor) * Decimal(100) / (Decimal(100) + percent))

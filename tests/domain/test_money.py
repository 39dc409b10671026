"""Money: decimal strings to integer minor units and back, exactly; one half-up rounding per line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.billing.money import (
    MAX_MINOR,
    check_currency,
    digits,
    included_tax,
    line_amount,
    percentage_of,
    quantity,
    round_minor,
    to_minor,
    to_text,
)
from domain.errors import ValidationFailed


def test_currencies_and_their_digits() -> None:
    assert (digits("EUR"), digits("jpy"), digits("KWD")) == (2, 0, 3)
    assert check_currency("usd") == "USD"
    for bad in ("XAU", "XTS", "ZZZ", "EURO", ""):
        with pytest.raises(ValueError, match="ISO 4217"):
            check_currency(bad)


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.30", "EUR", 1230),
        ("12.3", "EUR", 1230),
        ("0", "EUR", 0),
        ("-5", "EUR", -500),
        ("500", "JPY", 500),
        ("1.125", "KWD", 1125),
        (" 7.10 ", "USD", 710),
        ("1.000", "EUR", 100),  # trailing zeros are not digits too many
        (Decimal("19.99"), "EUR", 1999),
        ("9999999999999999.99", "EUR", 999999999999999999),
    ],
)
def test_to_minor_is_exact(text: str | Decimal, currency: str, minor: int) -> None:
    assert to_minor(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("12.345", "EUR", "more than 2 decimals"),
        ("1.5", "JPY", "more than 0 decimals"),
        ("1.0001", "KWD", "more than 3 decimals"),
        ("1e-999999999", "EUR", "more than 2 decimals"),  # once scaled, it underflowed to 0
        ("1e999999", "EUR", "too large"),  # once scaled, it overflowed (a 500)
        ("10000000000000000", "EUR", "too large"),
        ("1." + "0" * 70 + "1", "EUR", "more than 2 decimals"),
        ("abc", "EUR", "not a decimal"),
        ("NaN", "EUR", "not a decimal"),
        ("Infinity", "EUR", "not a decimal"),
    ],
)
def test_to_minor_refuses_rather_than_rounds(text: str, currency: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message) as refused:
        to_minor(text, currency, field="lines.0.unit_amount")
    assert refused.value.fields[0].field == "lines.0.unit_amount"


def test_to_text_round_trips() -> None:
    assert (to_text(1230, "EUR"), to_text(500, "JPY"), to_text(1125, "KWD")) == ("12.30", "500", "1.125")
    assert (to_text(-5, "EUR"), to_text(0, "EUR"), to_text(0, "JPY")) == ("-0.05", "0.00", "0")
    for minor in (1, 99, 100, 123456789, MAX_MINOR - 1):
        assert to_minor(to_text(minor, "EUR"), "EUR") == minor


def test_rounding_is_half_up_away_from_zero() -> None:
    assert [round_minor(Decimal(v)) for v in ("2.5", "2.4999", "-2.5", "-2.4", "0.5")] == [3, 2, -3, -2, 1]


def test_line_amounts_round_once() -> None:
    assert line_amount(333, Decimal(3)) == 999
    assert line_amount(1000, Decimal("0.333333")) == 333
    assert line_amount(5, Decimal("0.5")) == 3  # 2.5 half up
    assert line_amount(1999, Decimal(1), discount_percent=Decimal(10)) == 1799  # 1799.1
    assert line_amount(1995, Decimal(1), discount_percent=Decimal(50)) == 998  # 997.5 half up
    # the largest unit price times the largest quantity is computed exactly, then rounded once
    big = line_amount(MAX_MINOR - 1, Decimal("999999999999.999999"))
    assert big == ((MAX_MINOR - 1) * 999999999999999999 + 500_000) // 10**6


def test_percentages_and_included_tax() -> None:
    assert percentage_of(1000, Decimal(20)) == 200
    assert percentage_of(999, Decimal("5.5")) == 55  # 54.945
    assert percentage_of(10, Decimal("0.0001")) == 0
    assert included_tax(1200, Decimal(20)) == 200
    assert included_tax(1000, Decimal(20)) == 167  # 1000 - 833.33
    assert included_tax(1000, Decimal(0)) == 0
    net = 1000 - included_tax(1000, Decimal("5.5"))
    assert net + percentage_of(net, Decimal("5.5")) == 1000  # the parts add back up to the gross


def test_quantities() -> None:
    assert quantity("1.5") == Decimal("1.5") and quantity("0") == 0
    for bad in ("-1", "1.1234567", "1e3", "abc", "1000000000000"):
        with pytest.raises(ValidationFailed, match="non-negative decimal"):
            quantity(bad, field="lines.0.quantity")

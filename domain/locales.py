"""Values worded for a reader's locale (Babel): instants, days and amounts of money.

Shared by the blocks that render text for people (notifications, documents), so an amount or a date
reads the same in an email and in a PDF.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, get_currency_precision

from domain.money import Money

NAMED_FORMATS = ("short", "medium", "long", "full")
# Beyond this an amount is a mistake, not money, and Babel would happily write thousands of digits.
MAX_AMOUNT = Decimal(10) ** 15


def babel_locale(locale: str | None) -> Locale:
    """``de-DE`` or ``de_DE`` as a Babel locale; English when it is missing or unknown."""
    try:
        return Locale.parse((locale or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def format_instant(value: str, locale: str | None, timezone: str | None) -> str:
    """An ISO instant in the reader's locale and zone; the text unchanged if it is not one."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return value
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    try:
        zone: zoneinfo.ZoneInfo = zoneinfo.ZoneInfo(timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    lang = babel_locale(locale)
    local = instant.astimezone(zone)
    pattern = str(lang.datetime_formats["medium"])
    worded = pattern.format(
        format_time(local, "short", locale=lang), format_date(local, "medium", locale=lang)
    )
    # CLDR separates with (narrow) no-break spaces, which would push an SMS into UCS-2: plain ones.
    return f"{worded} {local.tzname()}".replace("\u202f", " ").replace("\u00a0", " ")


def format_day(value: date | str, locale: str | None, style: str = "medium") -> str:
    """A calendar day (a ``date``, a ``datetime`` or an ISO string) as the locale writes it.

    ``style`` is one of NAMED_FORMATS; a ValueError names what is wrong with the value or style.
    """
    if style not in NAMED_FORMATS:
        raise ValueError(f"unknown date format {style!r}; use {', '.join(NAMED_FORMATS)}")
    day = _as_day(value)
    return format_date(day, style, locale=babel_locale(locale))


def _as_day(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) <= 40:
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            pass
    raise ValueError(f"{str(value)[:40]!r} is not an ISO date such as 2026-03-01")


def format_amount(value: Any, currency: str | None, locale: str | None) -> str:
    """An amount of ``currency`` (or Keel's money object ``{value, currency}``) as the locale writes it,
    rounded to the currency's minor unit; a ValueError names what is wrong."""
    if isinstance(value, dict) and set(value) == {"value", "currency"}:
        value, currency = value["value"], currency or value["currency"]
    if not currency:
        raise ValueError("money needs a currency, e.g. money('EUR')")
    amount = _as_amount(value)
    places = get_currency_precision(str(currency))
    rounded = amount.quantize(Decimal(1).scaleb(-places))
    try:
        money = Money(value=str(rounded), currency=str(currency))
    except ValueError as exc:  # pydantic's error names the bad currency code
        raise ValueError(f"{str(currency)[:10]!r} is not an ISO 4217 currency code") from exc
    return money.format(str(babel_locale(locale)))


def _as_amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"{type(value).__name__} is not an amount")
    if isinstance(value, str) and len(value) > 50:
        raise ValueError("an amount has at most 50 characters")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{str(value)[:40]!r} is not a number") from exc
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise ValueError(f"{str(value)[:40]!r} is not a finite amount below {MAX_AMOUNT:,}")
    return amount


def format_number(value: Any, locale: str | None, decimals: int | None = None) -> str:
    """A number with the locale's separators, rounded to ``decimals`` places (0-10) when given."""
    amount = _as_amount(value)
    if decimals is not None:
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 10:
            raise ValueError("decimals must be a whole number from 0 to 10")
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
        return format_decimal(amount, format=pattern, locale=babel_locale(locale))
    return format_decimal(amount, locale=babel_locale(locale))

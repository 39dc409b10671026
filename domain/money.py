"""Money: a decimal string and an ISO 4217 code on the wire, integer minor units in storage."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, list_currencies
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

_CURRENCIES = frozenset(list_currencies())


class Money(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str
    currency: str

    @field_validator("currency")
    @classmethod
    def _currency(cls, code: str) -> str:
        if code not in _CURRENCIES:
            raise ValueError(f"'{code}' is not an ISO 4217 currency code")
        return code

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: object) -> str:
        if not isinstance(value, str):
            raise ValueError('money values are decimal strings, e.g. "12.30"')
        try:
            amount = Decimal(value)
        except InvalidOperation as exc:
            raise ValueError(f"'{value}' is not a decimal number") from exc
        if not amount.is_finite():
            raise ValueError("must be a finite number")
        return value

    @model_validator(mode="after")
    def _precision(self) -> Money:
        places = get_currency_precision(self.currency)
        exponent = Decimal(self.value).as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise ValueError(f"{self.currency} has {places} decimal places; got {self.value}")
        return self

    @property
    def amount(self) -> Decimal:
        return Decimal(self.value)

    @property
    def minor_units(self) -> int:
        return int(self.amount.scaleb(get_currency_precision(self.currency)))

    def format(self, locale: str = "en") -> str:
        return format_currency(self.amount, self.currency, locale=locale)

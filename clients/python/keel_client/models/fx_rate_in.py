from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FxRateIn")


@_attrs_define
class FxRateIn:
    """
    Attributes:
        base (str):
        quote (str):
        rate (str):
        date (datetime.date):
    """

    base: str
    quote: str
    rate: str
    date: datetime.date

    def to_dict(self) -> dict[str, Any]:
        base = self.base

        quote = self.quote

        rate = self.rate

        date = self.date.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "base": base,
                "quote": quote,
                "rate": rate,
                "date": date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        base = d.pop("base")

        quote = d.pop("quote")

        rate = d.pop("rate")

        date = datetime.date.fromisoformat(d.pop("date"))

        fx_rate_in = cls(
            base=base,
            quote=quote,
            rate=rate,
            date=date,
        )

        return fx_rate_in

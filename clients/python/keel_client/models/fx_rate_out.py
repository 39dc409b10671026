from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FxRateOut")


@_attrs_define
class FxRateOut:
    """
    Attributes:
        id (str):
        base (str):
        quote (str):
        rate (str):
        date (datetime.date):
        source (str):
        updated_at (datetime.datetime):
    """

    id: str
    base: str
    quote: str
    rate: str
    date: datetime.date
    source: str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        base = self.base

        quote = self.quote

        rate = self.rate

        date = self.date.isoformat()

        source = self.source

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "base": base,
                "quote": quote,
                "rate": rate,
                "date": date,
                "source": source,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        base = d.pop("base")

        quote = d.pop("quote")

        rate = d.pop("rate")

        date = datetime.date.fromisoformat(d.pop("date"))

        source = d.pop("source")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        fx_rate_out = cls(
            id=id,
            base=base,
            quote=quote,
            rate=rate,
            date=date,
            source=source,
            updated_at=updated_at,
        )

        fx_rate_out.additional_properties = d
        return fx_rate_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

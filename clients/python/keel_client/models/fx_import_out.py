from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FxImportOut")


@_attrs_define
class FxImportOut:
    """
    Attributes:
        dates (int):
        rates (int):
        created (int):
        updated (int):
        not_available (int):
        ignored_columns (list[str]):
    """

    dates: int
    rates: int
    created: int
    updated: int
    not_available: int
    ignored_columns: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dates = self.dates

        rates = self.rates

        created = self.created

        updated = self.updated

        not_available = self.not_available

        ignored_columns = self.ignored_columns

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dates": dates,
                "rates": rates,
                "created": created,
                "updated": updated,
                "not_available": not_available,
                "ignored_columns": ignored_columns,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        dates = d.pop("dates")

        rates = d.pop("rates")

        created = d.pop("created")

        updated = d.pop("updated")

        not_available = d.pop("not_available")

        ignored_columns = cast(list[str], d.pop("ignored_columns"))

        fx_import_out = cls(
            dates=dates,
            rates=rates,
            created=created,
            updated=updated,
            not_available=not_available,
            ignored_columns=ignored_columns,
        )

        fx_import_out.additional_properties = d
        return fx_import_out

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

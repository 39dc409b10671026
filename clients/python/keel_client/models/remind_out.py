from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RemindOut")


@_attrs_define
class RemindOut:
    """
    Attributes:
        reminded (list[UUID]): the signers who were emailed a reminder
    """

    reminded: list[UUID]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reminded = []
        for reminded_item_data in self.reminded:
            reminded_item = str(reminded_item_data)
            reminded.append(reminded_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reminded": reminded,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        reminded = []
        _reminded = d.pop("reminded")
        for reminded_item_data in _reminded:
            reminded_item = UUID(reminded_item_data)

            reminded.append(reminded_item)

        remind_out = cls(
            reminded=reminded,
        )

        remind_out.additional_properties = d
        return remind_out

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

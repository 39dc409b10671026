from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Replayed")


@_attrs_define
class Replayed:
    """
    Attributes:
        replayed (int):
        delivery_ids (list[UUID]):
    """

    replayed: int
    delivery_ids: list[UUID]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        replayed = self.replayed

        delivery_ids = []
        for delivery_ids_item_data in self.delivery_ids:
            delivery_ids_item = str(delivery_ids_item_data)
            delivery_ids.append(delivery_ids_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "replayed": replayed,
                "delivery_ids": delivery_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        replayed = d.pop("replayed")

        delivery_ids = []
        _delivery_ids = d.pop("delivery_ids")
        for delivery_ids_item_data in _delivery_ids:
            delivery_ids_item = UUID(delivery_ids_item_data)

            delivery_ids.append(delivery_ids_item)

        replayed = cls(
            replayed=replayed,
            delivery_ids=delivery_ids,
        )

        replayed.additional_properties = d
        return replayed

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """
    Attributes:
        event (str):
        correlation_key (None | str):
        delivered_to (list[UUID]): the processes that received the event
    """

    event: str
    correlation_key: None | str
    delivered_to: list[UUID]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        correlation_key: None | str
        correlation_key = self.correlation_key

        delivered_to = []
        for delivered_to_item_data in self.delivered_to:
            delivered_to_item = str(delivered_to_item_data)
            delivered_to.append(delivered_to_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "correlation_key": correlation_key,
                "delivered_to": delivered_to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        event = d.pop("event")

        def _parse_correlation_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        correlation_key = _parse_correlation_key(d.pop("correlation_key"))

        delivered_to = []
        _delivered_to = d.pop("delivered_to")
        for delivered_to_item_data in _delivered_to:
            delivered_to_item = UUID(delivered_to_item_data)

            delivered_to.append(delivered_to_item)

        delivery = cls(
            event=event,
            correlation_key=correlation_key,
            delivered_to=delivered_to,
        )

        delivery.additional_properties = d
        return delivery

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

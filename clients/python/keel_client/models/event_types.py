from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_type_out import EventTypeOut
    from ..models.event_types_envelope import EventTypesEnvelope


T = TypeVar("T", bound="EventTypes")


@_attrs_define
class EventTypes:
    """
    Attributes:
        envelope (EventTypesEnvelope): JSON Schema of the body every webhook delivery carries
        namespaces (list[str]): reserved: POST /api/v1/events refuses names in them
        types (list[EventTypeOut]):
    """

    envelope: EventTypesEnvelope
    namespaces: list[str]
    types: list[EventTypeOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        envelope = self.envelope.to_dict()

        namespaces = self.namespaces

        types = []
        for types_item_data in self.types:
            types_item = types_item_data.to_dict()
            types.append(types_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "envelope": envelope,
                "namespaces": namespaces,
                "types": types,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.event_type_out import EventTypeOut
        from ..models.event_types_envelope import EventTypesEnvelope

        d = dict(src_dict)
        envelope = EventTypesEnvelope.from_dict(d.pop("envelope"))

        namespaces = cast(list[str], d.pop("namespaces"))

        types = []
        _types = d.pop("types")
        for types_item_data in _types:
            types_item = EventTypeOut.from_dict(types_item_data)

            types.append(types_item)

        event_types = cls(
            envelope=envelope,
            namespaces=namespaces,
            types=types,
        )

        event_types.additional_properties = d
        return event_types

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

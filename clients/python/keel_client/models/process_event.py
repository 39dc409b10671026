from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.process_event_payload import ProcessEventPayload


T = TypeVar("T", bound="ProcessEvent")


@_attrs_define
class ProcessEvent:
    """An event a ``wait`` step may be waiting for, delivered as a signal.

    Attributes:
        name (str):
        correlation_key (None | str | Unset):
        payload (ProcessEventPayload | Unset):
    """

    name: str
    correlation_key: None | str | Unset = UNSET
    payload: ProcessEventPayload | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        correlation_key: None | str | Unset
        if isinstance(self.correlation_key, Unset):
            correlation_key = UNSET
        else:
            correlation_key = self.correlation_key

        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if correlation_key is not UNSET:
            field_dict["correlation_key"] = correlation_key
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.process_event_payload import ProcessEventPayload

        d = dict(src_dict)
        name = d.pop("name")

        def _parse_correlation_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        correlation_key = _parse_correlation_key(d.pop("correlation_key", UNSET))

        _payload = d.pop("payload", UNSET)
        payload: ProcessEventPayload | Unset
        if isinstance(_payload, Unset):
            payload = UNSET
        else:
            payload = ProcessEventPayload.from_dict(_payload)

        process_event = cls(
            name=name,
            correlation_key=correlation_key,
            payload=payload,
        )

        process_event.additional_properties = d
        return process_event

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

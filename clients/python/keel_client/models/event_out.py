from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_out_payload import EventOutPayload


T = TypeVar("T", bound="EventOut")


@_attrs_define
class EventOut:
    """
    Attributes:
        id (UUID):
        type_ (str):
        payload (EventOutPayload):
        process_id (None | UUID):
        created_at (datetime.datetime):
    """

    id: UUID
    type_: str
    payload: EventOutPayload
    process_id: None | UUID
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_

        payload = self.payload.to_dict()

        process_id: None | str
        if isinstance(self.process_id, UUID):
            process_id = str(self.process_id)
        else:
            process_id = self.process_id

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "payload": payload,
                "process_id": process_id,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.event_out_payload import EventOutPayload

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = d.pop("type")

        payload = EventOutPayload.from_dict(d.pop("payload"))

        def _parse_process_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                process_id_type_0 = UUID(data)

                return process_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        process_id = _parse_process_id(d.pop("process_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        event_out = cls(
            id=id,
            type_=type_,
            payload=payload,
            process_id=process_id,
            created_at=created_at,
        )

        event_out.additional_properties = d
        return event_out

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

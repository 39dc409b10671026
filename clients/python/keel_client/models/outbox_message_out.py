from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.outbox_message_out_data import OutboxMessageOutData


T = TypeVar("T", bound="OutboxMessageOut")


@_attrs_define
class OutboxMessageOut:
    """
    Attributes:
        id (UUID):
        channel (str):
        to (str):
        subject (str):
        text (str):
        html (str):
        data (OutboxMessageOutData):
        message_id (None | UUID):
        created_at (datetime.datetime):
    """

    id: UUID
    channel: str
    to: str
    subject: str
    text: str
    html: str
    data: OutboxMessageOutData
    message_id: None | UUID
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        channel = self.channel

        to = self.to

        subject = self.subject

        text = self.text

        html = self.html

        data = self.data.to_dict()

        message_id: None | str
        if isinstance(self.message_id, UUID):
            message_id = str(self.message_id)
        else:
            message_id = self.message_id

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "channel": channel,
                "to": to,
                "subject": subject,
                "text": text,
                "html": html,
                "data": data,
                "message_id": message_id,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.outbox_message_out_data import OutboxMessageOutData

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        channel = d.pop("channel")

        to = d.pop("to")

        subject = d.pop("subject")

        text = d.pop("text")

        html = d.pop("html")

        data = OutboxMessageOutData.from_dict(d.pop("data"))

        def _parse_message_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                message_id_type_0 = UUID(data)

                return message_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        message_id = _parse_message_id(d.pop("message_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        outbox_message_out = cls(
            id=id,
            channel=channel,
            to=to,
            subject=subject,
            text=text,
            html=html,
            data=data,
            message_id=message_id,
            created_at=created_at,
        )

        outbox_message_out.additional_properties = d
        return outbox_message_out

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

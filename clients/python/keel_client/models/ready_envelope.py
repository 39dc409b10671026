from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ready import Ready
    from ..models.ready_envelope_meta import ReadyEnvelopeMeta


T = TypeVar("T", bound="ReadyEnvelope")


@_attrs_define
class ReadyEnvelope:
    """
    Attributes:
        data (Ready):
        status (Literal['success'] | Unset):  Default: 'success'.
        message (None | str | Unset):
        meta (ReadyEnvelopeMeta | Unset):
        timestamp (str | Unset):
    """

    data: Ready
    status: Literal["success"] | Unset = "success"
    message: None | str | Unset = UNSET
    meta: ReadyEnvelopeMeta | Unset = UNSET
    timestamp: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        status = self.status

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        timestamp = self.timestamp

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if message is not UNSET:
            field_dict["message"] = message
        if meta is not UNSET:
            field_dict["meta"] = meta
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ready import Ready
        from ..models.ready_envelope_meta import ReadyEnvelopeMeta

        d = dict(src_dict)
        data = Ready.from_dict(d.pop("data"))

        status = cast(Literal["success"] | Unset, d.pop("status", UNSET))
        if status != "success" and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'success', got '{status}'")

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        _meta = d.pop("meta", UNSET)
        meta: ReadyEnvelopeMeta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = ReadyEnvelopeMeta.from_dict(_meta)

        timestamp = d.pop("timestamp", UNSET)

        ready_envelope = cls(
            data=data,
            status=status,
            message=message,
            meta=meta,
            timestamp=timestamp,
        )

        ready_envelope.additional_properties = d
        return ready_envelope

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

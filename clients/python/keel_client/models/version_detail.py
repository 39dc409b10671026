from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.version_detail_attributes import VersionDetailAttributes
    from ..models.version_detail_diff import VersionDetailDiff


T = TypeVar("T", bound="VersionDetail")


@_attrs_define
class VersionDetail:
    """
    Attributes:
        version (int):
        operation (str):
        diff (VersionDetailDiff):
        actor_id (None | UUID):
        actor_type (str):
        note (None | str):
        created_at (datetime.datetime):
        attributes (VersionDetailAttributes):
        status (None | str):
        external_id (None | str):
    """

    version: int
    operation: str
    diff: VersionDetailDiff
    actor_id: None | UUID
    actor_type: str
    note: None | str
    created_at: datetime.datetime
    attributes: VersionDetailAttributes
    status: None | str
    external_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        operation = self.operation

        diff = self.diff.to_dict()

        actor_id: None | str
        if isinstance(self.actor_id, UUID):
            actor_id = str(self.actor_id)
        else:
            actor_id = self.actor_id

        actor_type = self.actor_type

        note: None | str
        note = self.note

        created_at = self.created_at.isoformat()

        attributes = self.attributes.to_dict()

        status: None | str
        status = self.status

        external_id: None | str
        external_id = self.external_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "operation": operation,
                "diff": diff,
                "actor_id": actor_id,
                "actor_type": actor_type,
                "note": note,
                "created_at": created_at,
                "attributes": attributes,
                "status": status,
                "external_id": external_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.version_detail_attributes import VersionDetailAttributes
        from ..models.version_detail_diff import VersionDetailDiff

        d = dict(src_dict)
        version = d.pop("version")

        operation = d.pop("operation")

        diff = VersionDetailDiff.from_dict(d.pop("diff"))

        def _parse_actor_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                actor_id_type_0 = UUID(data)

                return actor_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        actor_id = _parse_actor_id(d.pop("actor_id"))

        actor_type = d.pop("actor_type")

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        attributes = VersionDetailAttributes.from_dict(d.pop("attributes"))

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        def _parse_external_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_id = _parse_external_id(d.pop("external_id"))

        version_detail = cls(
            version=version,
            operation=operation,
            diff=diff,
            actor_id=actor_id,
            actor_type=actor_type,
            note=note,
            created_at=created_at,
            attributes=attributes,
            status=status,
            external_id=external_id,
        )

        version_detail.additional_properties = d
        return version_detail

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

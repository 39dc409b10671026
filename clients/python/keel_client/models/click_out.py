from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ClickOut")


@_attrs_define
class ClickOut:
    """
    Attributes:
        id (UUID):
        query_id (UUID):
        entity_id (UUID):
        position (int | None):
        created_at (datetime.datetime):
    """

    id: UUID
    query_id: UUID
    entity_id: UUID
    position: int | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        query_id = str(self.query_id)

        entity_id = str(self.entity_id)

        position: int | None
        position = self.position

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "query_id": query_id,
                "entity_id": entity_id,
                "position": position,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        query_id = UUID(d.pop("query_id"))

        entity_id = UUID(d.pop("entity_id"))

        def _parse_position(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        position = _parse_position(d.pop("position"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        click_out = cls(
            id=id,
            query_id=query_id,
            entity_id=entity_id,
            position=position,
            created_at=created_at,
        )

        click_out.additional_properties = d
        return click_out

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

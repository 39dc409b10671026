from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClickIn")


@_attrs_define
class ClickIn:
    """
    Attributes:
        query_id (UUID):
        entity_id (UUID):
        position (int | None | Unset): 1-based rank of the hit
    """

    query_id: UUID
    entity_id: UUID
    position: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        query_id = str(self.query_id)

        entity_id = str(self.entity_id)

        position: int | None | Unset
        if isinstance(self.position, Unset):
            position = UNSET
        else:
            position = self.position

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "query_id": query_id,
                "entity_id": entity_id,
            }
        )
        if position is not UNSET:
            field_dict["position"] = position

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        query_id = UUID(d.pop("query_id"))

        entity_id = UUID(d.pop("entity_id"))

        def _parse_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        position = _parse_position(d.pop("position", UNSET))

        click_in = cls(
            query_id=query_id,
            entity_id=entity_id,
            position=position,
        )

        return click_in

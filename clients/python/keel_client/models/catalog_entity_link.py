from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="CatalogEntityLink")


@_attrs_define
class CatalogEntityLink:
    """A record of the tenant the customer stands for: its entity type name and id.

    Attributes:
        type_ (str):
        id (UUID):
    """

    type_: str
    id: UUID

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        id = str(self.id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "id": id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = d.pop("type")

        id = UUID(d.pop("id"))

        catalog_entity_link = cls(
            type_=type_,
            id=id,
        )

        return catalog_entity_link

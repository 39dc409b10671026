from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="DocumentEntityLink")


@_attrs_define
class DocumentEntityLink:
    """The record a document belongs to: an entity type name and the record's id.

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

        document_entity_link = cls(
            type_=type_,
            id=id,
        )

        return document_entity_link

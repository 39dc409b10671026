from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.node_attributes import NodeAttributes


T = TypeVar("T", bound="Node")


@_attrs_define
class Node:
    """
    Attributes:
        id (UUID):
        type_ (str):
        depth (int): the fewest edges from the starting record
        attributes (NodeAttributes): a summary: the type's search and dedup fields, else its first five attributes
    """

    id: UUID
    type_: str
    depth: int
    attributes: NodeAttributes
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_

        depth = self.depth

        attributes = self.attributes.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "depth": depth,
                "attributes": attributes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.node_attributes import NodeAttributes

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = d.pop("type")

        depth = d.pop("depth")

        attributes = NodeAttributes.from_dict(d.pop("attributes"))

        node = cls(
            id=id,
            type_=type_,
            depth=depth,
            attributes=attributes,
        )

        node.additional_properties = d
        return node

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

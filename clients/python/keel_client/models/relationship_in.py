from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.relationship_in_attributes import RelationshipInAttributes


T = TypeVar("T", bound="RelationshipIn")


@_attrs_define
class RelationshipIn:
    """
    Attributes:
        target_id (UUID):
        attributes (RelationshipInAttributes | Unset):
    """

    target_id: UUID
    attributes: RelationshipInAttributes | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        target_id = str(self.target_id)

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "target_id": target_id,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.relationship_in_attributes import RelationshipInAttributes

        d = dict(src_dict)
        target_id = UUID(d.pop("target_id"))

        _attributes = d.pop("attributes", UNSET)
        attributes: RelationshipInAttributes | Unset
        if isinstance(_attributes, Unset):
            attributes = UNSET
        else:
            attributes = RelationshipInAttributes.from_dict(_attributes)

        relationship_in = cls(
            target_id=target_id,
            attributes=attributes,
        )

        return relationship_in

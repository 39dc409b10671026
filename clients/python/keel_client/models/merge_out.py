from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.merge_edges import MergeEdges
    from ..models.merge_out_survivor import MergeOutSurvivor


T = TypeVar("T", bound="MergeOut")


@_attrs_define
class MergeOut:
    """
    Attributes:
        survivor (MergeOutSurvivor): the surviving record, as GET returns it
        merged (list[UUID]):
        relationships (MergeEdges):
    """

    survivor: MergeOutSurvivor
    merged: list[UUID]
    relationships: MergeEdges
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        survivor = self.survivor.to_dict()

        merged = []
        for merged_item_data in self.merged:
            merged_item = str(merged_item_data)
            merged.append(merged_item)

        relationships = self.relationships.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "survivor": survivor,
                "merged": merged,
                "relationships": relationships,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.merge_edges import MergeEdges
        from ..models.merge_out_survivor import MergeOutSurvivor

        d = dict(src_dict)
        survivor = MergeOutSurvivor.from_dict(d.pop("survivor"))

        merged = []
        _merged = d.pop("merged")
        for merged_item_data in _merged:
            merged_item = UUID(merged_item_data)

            merged.append(merged_item)

        relationships = MergeEdges.from_dict(d.pop("relationships"))

        merge_out = cls(
            survivor=survivor,
            merged=merged,
            relationships=relationships,
        )

        merge_out.additional_properties = d
        return merge_out

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.decision_summary_origin import DecisionSummaryOrigin
from ..types import UNSET, Unset

T = TypeVar("T", bound="DecisionSummary")


@_attrs_define
class DecisionSummary:
    """
    Attributes:
        name (str):
        origin (DecisionSummaryOrigin): shipped (in definitions/decisions/) or tenant (published here)
        latest_version (int):
        versions (list[int]):
        hit_policy (str):
        description (None | str | Unset):
    """

    name: str
    origin: DecisionSummaryOrigin
    latest_version: int
    versions: list[int]
    hit_policy: str
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        origin = self.origin.value

        latest_version = self.latest_version

        versions = self.versions

        hit_policy = self.hit_policy

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "origin": origin,
                "latest_version": latest_version,
                "versions": versions,
                "hit_policy": hit_policy,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        origin = DecisionSummaryOrigin(d.pop("origin"))

        latest_version = d.pop("latest_version")

        versions = cast(list[int], d.pop("versions"))

        hit_policy = d.pop("hit_policy")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        decision_summary = cls(
            name=name,
            origin=origin,
            latest_version=latest_version,
            versions=versions,
            hit_policy=hit_policy,
            description=description,
        )

        decision_summary.additional_properties = d
        return decision_summary

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

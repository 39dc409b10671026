from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chosen_out import ChosenOut
    from ..models.option_out_criteria import OptionOutCriteria


T = TypeVar("T", bound="OptionOut")


@_attrs_define
class OptionOut:
    """
    Attributes:
        start (datetime.datetime):
        end (datetime.datetime):
        resources (list[ChosenOut]):
        score (float):
        criteria (OptionOutCriteria):
    """

    start: datetime.datetime
    end: datetime.datetime
    resources: list[ChosenOut]
    score: float
    criteria: OptionOutCriteria
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        start = self.start.isoformat()

        end = self.end.isoformat()

        resources = []
        for resources_item_data in self.resources:
            resources_item = resources_item_data.to_dict()
            resources.append(resources_item)

        score = self.score

        criteria = self.criteria.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "start": start,
                "end": end,
                "resources": resources,
                "score": score,
                "criteria": criteria,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chosen_out import ChosenOut
        from ..models.option_out_criteria import OptionOutCriteria

        d = dict(src_dict)
        start = datetime.datetime.fromisoformat(d.pop("start"))

        end = datetime.datetime.fromisoformat(d.pop("end"))

        resources = []
        _resources = d.pop("resources")
        for resources_item_data in _resources:
            resources_item = ChosenOut.from_dict(resources_item_data)

            resources.append(resources_item)

        score = d.pop("score")

        criteria = OptionOutCriteria.from_dict(d.pop("criteria"))

        option_out = cls(
            start=start,
            end=end,
            resources=resources,
            score=score,
            criteria=criteria,
        )

        option_out.additional_properties = d
        return option_out

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.skipped_out_reason import SkippedOutReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.skipped_out_conflicts_item import SkippedOutConflictsItem
    from ..models.skipped_out_resources_item import SkippedOutResourcesItem


T = TypeVar("T", bound="SkippedOut")


@_attrs_define
class SkippedOut:
    """An occurrence the series did not book (``skip_conflicts``), and why.

    Attributes:
        date (datetime.date): the occurrence's local date in the series' time zone
        start (datetime.datetime):
        end (datetime.datetime):
        reason (SkippedOutReason):
        conflicts (list[SkippedOutConflictsItem] | Unset): what is in the way
        resources (list[SkippedOutResourcesItem] | Unset): the resources not open
    """

    date: datetime.date
    start: datetime.datetime
    end: datetime.datetime
    reason: SkippedOutReason
    conflicts: list[SkippedOutConflictsItem] | Unset = UNSET
    resources: list[SkippedOutResourcesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        start = self.start.isoformat()

        end = self.end.isoformat()

        reason = self.reason.value

        conflicts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.conflicts, Unset):
            conflicts = []
            for conflicts_item_data in self.conflicts:
                conflicts_item = conflicts_item_data.to_dict()
                conflicts.append(conflicts_item)

        resources: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.resources, Unset):
            resources = []
            for resources_item_data in self.resources:
                resources_item = resources_item_data.to_dict()
                resources.append(resources_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "start": start,
                "end": end,
                "reason": reason,
            }
        )
        if conflicts is not UNSET:
            field_dict["conflicts"] = conflicts
        if resources is not UNSET:
            field_dict["resources"] = resources

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.skipped_out_conflicts_item import SkippedOutConflictsItem
        from ..models.skipped_out_resources_item import SkippedOutResourcesItem

        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))

        start = datetime.datetime.fromisoformat(d.pop("start"))

        end = datetime.datetime.fromisoformat(d.pop("end"))

        reason = SkippedOutReason(d.pop("reason"))

        _conflicts = d.pop("conflicts", UNSET)
        conflicts: list[SkippedOutConflictsItem] | Unset = UNSET
        if _conflicts is not UNSET:
            conflicts = []
            for conflicts_item_data in _conflicts:
                conflicts_item = SkippedOutConflictsItem.from_dict(conflicts_item_data)

                conflicts.append(conflicts_item)

        _resources = d.pop("resources", UNSET)
        resources: list[SkippedOutResourcesItem] | Unset = UNSET
        if _resources is not UNSET:
            resources = []
            for resources_item_data in _resources:
                resources_item = SkippedOutResourcesItem.from_dict(resources_item_data)

                resources.append(resources_item)

        skipped_out = cls(
            date=date,
            start=start,
            end=end,
            reason=reason,
            conflicts=conflicts,
            resources=resources,
        )

        skipped_out.additional_properties = d
        return skipped_out

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

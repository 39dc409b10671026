from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallbackOutcome")


@_attrs_define
class CallbackOutcome:
    """
    Attributes:
        applied (int | Unset): events that changed or confirmed a message's status Default: 0.
        duplicates (int | Unset): events already applied before (providers retry) Default: 0.
        ignored (int | Unset): events for unknown tenants or messages, or of untracked kinds Default: 0.
    """

    applied: int | Unset = 0
    duplicates: int | Unset = 0
    ignored: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        applied = self.applied

        duplicates = self.duplicates

        ignored = self.ignored

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if applied is not UNSET:
            field_dict["applied"] = applied
        if duplicates is not UNSET:
            field_dict["duplicates"] = duplicates
        if ignored is not UNSET:
            field_dict["ignored"] = ignored

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        applied = d.pop("applied", UNSET)

        duplicates = d.pop("duplicates", UNSET)

        ignored = d.pop("ignored", UNSET)

        callback_outcome = cls(
            applied=applied,
            duplicates=duplicates,
            ignored=ignored,
        )

        callback_outcome.additional_properties = d
        return callback_outcome

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

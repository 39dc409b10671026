from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.decision_warning import DecisionWarning


T = TypeVar("T", bound="DecisionValidation")


@_attrs_define
class DecisionValidation:
    """
    Attributes:
        valid (bool):
        name (str):
        version (int):
        sha256 (str):
        warnings (list[DecisionWarning]):
    """

    valid: bool
    name: str
    version: int
    sha256: str
    warnings: list[DecisionWarning]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        valid = self.valid

        name = self.name

        version = self.version

        sha256 = self.sha256

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "valid": valid,
                "name": name,
                "version": version,
                "sha256": sha256,
                "warnings": warnings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.decision_warning import DecisionWarning

        d = dict(src_dict)
        valid = d.pop("valid")

        name = d.pop("name")

        version = d.pop("version")

        sha256 = d.pop("sha256")

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = DecisionWarning.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        decision_validation = cls(
            valid=valid,
            name=name,
            version=version,
            sha256=sha256,
            warnings=warnings,
        )

        decision_validation.additional_properties = d
        return decision_validation

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

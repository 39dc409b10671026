from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failed import Failed


T = TypeVar("T", bound="Explained")


@_attrs_define
class Explained:
    """
    Attributes:
        rule (int): 1-based
        matched (bool):
        description (None | str | Unset):
        failed (Failed | None | Unset): the first cell that did not match the input
    """

    rule: int
    matched: bool
    description: None | str | Unset = UNSET
    failed: Failed | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.failed import Failed

        rule = self.rule

        matched = self.matched

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        failed: dict[str, Any] | None | Unset
        if isinstance(self.failed, Unset):
            failed = UNSET
        elif isinstance(self.failed, Failed):
            failed = self.failed.to_dict()
        else:
            failed = self.failed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rule": rule,
                "matched": matched,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if failed is not UNSET:
            field_dict["failed"] = failed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.failed import Failed

        d = dict(src_dict)
        rule = d.pop("rule")

        matched = d.pop("matched")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_failed(data: object) -> Failed | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                failed_type_0 = Failed.from_dict(data)

                return failed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Failed | None | Unset, data)

        failed = _parse_failed(d.pop("failed", UNSET))

        explained = cls(
            rule=rule,
            matched=matched,
            description=description,
            failed=failed,
        )

        explained.additional_properties = d
        return explained

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

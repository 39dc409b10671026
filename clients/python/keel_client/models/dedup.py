from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Dedup")


@_attrs_define
class Dedup:
    """
    Attributes:
        fields (list[str]):
        threshold (float | Unset):  Default: 0.85.
    """

    fields: list[str]
    threshold: float | Unset = 0.85

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        threshold = self.threshold

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
            }
        )
        if threshold is not UNSET:
            field_dict["threshold"] = threshold

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fields = cast(list[str], d.pop("fields"))

        threshold = d.pop("threshold", UNSET)

        dedup = cls(
            fields=fields,
            threshold=threshold,
        )

        return dedup

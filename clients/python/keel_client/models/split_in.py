from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="SplitIn")


@_attrs_define
class SplitIn:
    """``POST /documents/{id}/split``: one new document per page range.

    Attributes:
        ranges (list[str]):
    """

    ranges: list[str]

    def to_dict(self) -> dict[str, Any]:
        ranges = self.ranges

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ranges": ranges,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        ranges = cast(list[str], d.pop("ranges"))

        split_in = cls(
            ranges=ranges,
        )

        return split_in

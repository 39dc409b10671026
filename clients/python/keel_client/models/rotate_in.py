from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RotateIn")


@_attrs_define
class RotateIn:
    """
    Attributes:
        overlap (str | Unset): how long the previous secret keeps signing too (ISO 8601, PT0S to P7D) Default: 'P1D'.
    """

    overlap: str | Unset = "P1D"

    def to_dict(self) -> dict[str, Any]:
        overlap = self.overlap

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if overlap is not UNSET:
            field_dict["overlap"] = overlap

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        overlap = d.pop("overlap", UNSET)

        rotate_in = cls(
            overlap=overlap,
        )

        return rotate_in

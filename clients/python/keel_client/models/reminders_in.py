from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RemindersIn")


@_attrs_define
class RemindersIn:
    """
    Attributes:
        every (str): ISO 8601, e.g. P2D; at least PT1H and shorter than `expires_in`
    """

    every: str

    def to_dict(self) -> dict[str, Any]:
        every = self.every

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "every": every,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        every = d.pop("every")

        reminders_in = cls(
            every=every,
        )

        return reminders_in

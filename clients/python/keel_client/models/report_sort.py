from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.report_sort_direction import ReportSortDirection
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportSort")


@_attrs_define
class ReportSort:
    """
    Attributes:
        column (str): a column's label: the field, or agg_field
        direction (ReportSortDirection | Unset):  Default: ReportSortDirection.ASC.
    """

    column: str
    direction: ReportSortDirection | Unset = ReportSortDirection.ASC

    def to_dict(self) -> dict[str, Any]:
        column = self.column

        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "column": column,
            }
        )
        if direction is not UNSET:
            field_dict["direction"] = direction

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        column = d.pop("column")

        _direction = d.pop("direction", UNSET)
        direction: ReportSortDirection | Unset
        if isinstance(_direction, Unset):
            direction = UNSET
        else:
            direction = ReportSortDirection(_direction)

        report_sort = cls(
            column=column,
            direction=direction,
        )

        return report_sort

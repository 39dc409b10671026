from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.report_column_agg_type_0 import ReportColumnAggType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportColumn")


@_attrs_define
class ReportColumn:
    """A dimension or a field of the source (or ``time``); with ``group_by``, a grouped dimension as it is
    or an aggregate of a field (``count`` of anything).

        Attributes:
            field (str):
            agg (None | ReportColumnAggType0 | Unset):
    """

    field: str
    agg: None | ReportColumnAggType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        agg: None | str | Unset
        if isinstance(self.agg, Unset):
            agg = UNSET
        elif isinstance(self.agg, ReportColumnAggType0):
            agg = self.agg.value
        else:
            agg = self.agg

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "field": field,
            }
        )
        if agg is not UNSET:
            field_dict["agg"] = agg

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        field = d.pop("field")

        def _parse_agg(data: object) -> None | ReportColumnAggType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                agg_type_0 = ReportColumnAggType0(data)

                return agg_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReportColumnAggType0 | Unset, data)

        agg = _parse_agg(d.pop("agg", UNSET))

        report_column = cls(
            field=field,
            agg=agg,
        )

        return report_column

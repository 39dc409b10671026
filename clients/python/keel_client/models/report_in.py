from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filter_ import Filter
    from ..models.report_column import ReportColumn
    from ..models.report_sort import ReportSort


T = TypeVar("T", bound="ReportIn")


@_attrs_define
class ReportIn:
    """
    Attributes:
        name (str):
        source (str): the facts: processes, tasks, bookings…
        columns (list[ReportColumn]):
        description (None | str | Unset):
        filters (list[Filter] | Unset):
        group_by (list[str] | Unset):
        sort (list[ReportSort] | Unset):
    """

    name: str
    source: str
    columns: list[ReportColumn]
    description: None | str | Unset = UNSET
    filters: list[Filter] | Unset = UNSET
    group_by: list[str] | Unset = UNSET
    sort: list[ReportSort] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        source = self.source

        columns = []
        for columns_item_data in self.columns:
            columns_item = columns_item_data.to_dict()
            columns.append(columns_item)

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        filters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = []
            for filters_item_data in self.filters:
                filters_item = filters_item_data.to_dict()
                filters.append(filters_item)

        group_by: list[str] | Unset = UNSET
        if not isinstance(self.group_by, Unset):
            group_by = self.group_by

        sort: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sort, Unset):
            sort = []
            for sort_item_data in self.sort:
                sort_item = sort_item_data.to_dict()
                sort.append(sort_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "source": source,
                "columns": columns,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if filters is not UNSET:
            field_dict["filters"] = filters
        if group_by is not UNSET:
            field_dict["group_by"] = group_by
        if sort is not UNSET:
            field_dict["sort"] = sort

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.filter_ import Filter
        from ..models.report_column import ReportColumn
        from ..models.report_sort import ReportSort

        d = dict(src_dict)
        name = d.pop("name")

        source = d.pop("source")

        columns = []
        _columns = d.pop("columns")
        for columns_item_data in _columns:
            columns_item = ReportColumn.from_dict(columns_item_data)

            columns.append(columns_item)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _filters = d.pop("filters", UNSET)
        filters: list[Filter] | Unset = UNSET
        if _filters is not UNSET:
            filters = []
            for filters_item_data in _filters:
                filters_item = Filter.from_dict(filters_item_data)

                filters.append(filters_item)

        group_by = cast(list[str], d.pop("group_by", UNSET))

        _sort = d.pop("sort", UNSET)
        sort: list[ReportSort] | Unset = UNSET
        if _sort is not UNSET:
            sort = []
            for sort_item_data in _sort:
                sort_item = ReportSort.from_dict(sort_item_data)

                sort.append(sort_item)

        report_in = cls(
            name=name,
            source=source,
            columns=columns,
            description=description,
            filters=filters,
            group_by=group_by,
            sort=sort,
        )

        return report_in

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.filter_ import Filter
    from ..models.report_column import ReportColumn
    from ..models.report_sort import ReportSort


T = TypeVar("T", bound="ReportOut")


@_attrs_define
class ReportOut:
    """
    Attributes:
        id (UUID):
        name (str):
        source (str):
        columns (list[ReportColumn]):
        filters (list[Filter]):
        group_by (list[str]):
        sort (list[ReportSort]):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        description (None | str | Unset):
    """

    id: UUID
    name: str
    source: str
    columns: list[ReportColumn]
    filters: list[Filter]
    group_by: list[str]
    sort: list[ReportSort]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        source = self.source

        columns = []
        for columns_item_data in self.columns:
            columns_item = columns_item_data.to_dict()
            columns.append(columns_item)

        filters = []
        for filters_item_data in self.filters:
            filters_item = filters_item_data.to_dict()
            filters.append(filters_item)

        group_by = self.group_by

        sort = []
        for sort_item_data in self.sort:
            sort_item = sort_item_data.to_dict()
            sort.append(sort_item)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "source": source,
                "columns": columns,
                "filters": filters,
                "group_by": group_by,
                "sort": sort,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.filter_ import Filter
        from ..models.report_column import ReportColumn
        from ..models.report_sort import ReportSort

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        source = d.pop("source")

        columns = []
        _columns = d.pop("columns")
        for columns_item_data in _columns:
            columns_item = ReportColumn.from_dict(columns_item_data)

            columns.append(columns_item)

        filters = []
        _filters = d.pop("filters")
        for filters_item_data in _filters:
            filters_item = Filter.from_dict(filters_item_data)

            filters.append(filters_item)

        group_by = cast(list[str], d.pop("group_by"))

        sort = []
        _sort = d.pop("sort")
        for sort_item_data in _sort:
            sort_item = ReportSort.from_dict(sort_item_data)

            sort.append(sort_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        report_out = cls(
            id=id,
            name=name,
            source=source,
            columns=columns,
            filters=filters,
            group_by=group_by,
            sort=sort,
            created_at=created_at,
            updated_at=updated_at,
            description=description,
        )

        report_out.additional_properties = d
        return report_out

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.entity_search_in_filters import EntitySearchInFilters


T = TypeVar("T", bound="EntitySearchIn")


@_attrs_define
class EntitySearchIn:
    """
    Attributes:
        q (str | Unset): the query; empty lists everything Default: ''.
        filters (EntitySearchInFilters | Unset): attribute: value, [values], or {"gte"|"gt"|"lte"|"lt"|"ne"|"eq"|"in":
            …}
        facets (list[str] | Unset):
        sort (None | str | Unset):
        page (int | Unset):  Default: 1.
        per_page (int | Unset): capped at 100 Default: 10.
    """

    q: str | Unset = ""
    filters: EntitySearchInFilters | Unset = UNSET
    facets: list[str] | Unset = UNSET
    sort: None | str | Unset = UNSET
    page: int | Unset = 1
    per_page: int | Unset = 10

    def to_dict(self) -> dict[str, Any]:
        q = self.q

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        facets: list[str] | Unset = UNSET
        if not isinstance(self.facets, Unset):
            facets = self.facets

        sort: None | str | Unset
        if isinstance(self.sort, Unset):
            sort = UNSET
        else:
            sort = self.sort

        page = self.page

        per_page = self.per_page

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if q is not UNSET:
            field_dict["q"] = q
        if filters is not UNSET:
            field_dict["filters"] = filters
        if facets is not UNSET:
            field_dict["facets"] = facets
        if sort is not UNSET:
            field_dict["sort"] = sort
        if page is not UNSET:
            field_dict["page"] = page
        if per_page is not UNSET:
            field_dict["per_page"] = per_page

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.entity_search_in_filters import EntitySearchInFilters

        d = dict(src_dict)
        q = d.pop("q", UNSET)

        _filters = d.pop("filters", UNSET)
        filters: EntitySearchInFilters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = EntitySearchInFilters.from_dict(_filters)

        facets = cast(list[str], d.pop("facets", UNSET))

        def _parse_sort(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sort = _parse_sort(d.pop("sort", UNSET))

        page = d.pop("page", UNSET)

        per_page = d.pop("per_page", UNSET)

        entity_search_in = cls(
            q=q,
            filters=filters,
            facets=facets,
            sort=sort,
            page=page,
            per_page=per_page,
        )

        return entity_search_in

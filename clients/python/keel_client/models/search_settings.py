from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchSettings")


@_attrs_define
class SearchSettings:
    """
    Attributes:
        fields (list[str]): attributes matched by q
        facets (list[str] | Unset): attributes to count
        sortable (list[str] | Unset): numeric attributes to sort on
        locale (None | str | Unset): e.g. fr, de; accents folded
    """

    fields: list[str]
    facets: list[str] | Unset = UNSET
    sortable: list[str] | Unset = UNSET
    locale: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        facets: list[str] | Unset = UNSET
        if not isinstance(self.facets, Unset):
            facets = self.facets

        sortable: list[str] | Unset = UNSET
        if not isinstance(self.sortable, Unset):
            sortable = self.sortable

        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        else:
            locale = self.locale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
            }
        )
        if facets is not UNSET:
            field_dict["facets"] = facets
        if sortable is not UNSET:
            field_dict["sortable"] = sortable
        if locale is not UNSET:
            field_dict["locale"] = locale

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fields = cast(list[str], d.pop("fields"))

        facets = cast(list[str], d.pop("facets", UNSET))

        sortable = cast(list[str], d.pop("sortable", UNSET))

        def _parse_locale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))

        search_settings = cls(
            fields=fields,
            facets=facets,
            sortable=sortable,
            locale=locale,
        )

        return search_settings

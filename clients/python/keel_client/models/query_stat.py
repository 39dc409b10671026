from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QueryStat")


@_attrs_define
class QueryStat:
    """
    Attributes:
        query (str):
        searches (int):
        avg_hits (float):
        clicks (int):
        clicked_searches (int):
        click_through (float): share of these searches followed by at least one click
    """

    query: str
    searches: int
    avg_hits: float
    clicks: int
    clicked_searches: int
    click_through: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        query = self.query

        searches = self.searches

        avg_hits = self.avg_hits

        clicks = self.clicks

        clicked_searches = self.clicked_searches

        click_through = self.click_through

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "query": query,
                "searches": searches,
                "avg_hits": avg_hits,
                "clicks": clicks,
                "clicked_searches": clicked_searches,
                "click_through": click_through,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        query = d.pop("query")

        searches = d.pop("searches")

        avg_hits = d.pop("avg_hits")

        clicks = d.pop("clicks")

        clicked_searches = d.pop("clicked_searches")

        click_through = d.pop("click_through")

        query_stat = cls(
            query=query,
            searches=searches,
            avg_hits=avg_hits,
            clicks=clicks,
            clicked_searches=clicked_searches,
            click_through=click_through,
        )

        query_stat.additional_properties = d
        return query_stat

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

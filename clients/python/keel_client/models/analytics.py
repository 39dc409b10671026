from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.query_stat import QueryStat


T = TypeVar("T", bound="Analytics")


@_attrs_define
class Analytics:
    """
    Attributes:
        since (datetime.datetime):
        until (datetime.datetime):
        searches (int):
        click_through (float):
        top_queries (list[QueryStat]):
        zero_result_queries (list[QueryStat]):
    """

    since: datetime.datetime
    until: datetime.datetime
    searches: int
    click_through: float
    top_queries: list[QueryStat]
    zero_result_queries: list[QueryStat]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        since = self.since.isoformat()

        until = self.until.isoformat()

        searches = self.searches

        click_through = self.click_through

        top_queries = []
        for top_queries_item_data in self.top_queries:
            top_queries_item = top_queries_item_data.to_dict()
            top_queries.append(top_queries_item)

        zero_result_queries = []
        for zero_result_queries_item_data in self.zero_result_queries:
            zero_result_queries_item = zero_result_queries_item_data.to_dict()
            zero_result_queries.append(zero_result_queries_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "since": since,
                "until": until,
                "searches": searches,
                "click_through": click_through,
                "top_queries": top_queries,
                "zero_result_queries": zero_result_queries,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.query_stat import QueryStat

        d = dict(src_dict)
        since = datetime.datetime.fromisoformat(d.pop("since"))

        until = datetime.datetime.fromisoformat(d.pop("until"))

        searches = d.pop("searches")

        click_through = d.pop("click_through")

        top_queries = []
        _top_queries = d.pop("top_queries")
        for top_queries_item_data in _top_queries:
            top_queries_item = QueryStat.from_dict(top_queries_item_data)

            top_queries.append(top_queries_item)

        zero_result_queries = []
        _zero_result_queries = d.pop("zero_result_queries")
        for zero_result_queries_item_data in _zero_result_queries:
            zero_result_queries_item = QueryStat.from_dict(
                zero_result_queries_item_data
            )

            zero_result_queries.append(zero_result_queries_item)

        analytics = cls(
            since=since,
            until=until,
            searches=searches,
            click_through=click_through,
            top_queries=top_queries,
            zero_result_queries=zero_result_queries,
        )

        analytics.additional_properties = d
        return analytics

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

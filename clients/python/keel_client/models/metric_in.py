from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.metric_in_aggregation import MetricInAggregation
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metric_in_filters import MetricInFilters


T = TypeVar("T", bound="MetricIn")


@_attrs_define
class MetricIn:
    """
    Attributes:
        code (str): unique per tenant among live metrics; what events name
        name (str):
        aggregation (MetricInAggregation):
        field (None | str | Unset): the property aggregated; required except for count, where it is refused
        filters (MetricInFilters | Unset): only events whose property is one of the values count, e.g. {"region":
            ["eu"]}
    """

    code: str
    name: str
    aggregation: MetricInAggregation
    field: None | str | Unset = UNSET
    filters: MetricInFilters | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        aggregation = self.aggregation.value

        field: None | str | Unset
        if isinstance(self.field, Unset):
            field = UNSET
        else:
            field = self.field

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "name": name,
                "aggregation": aggregation,
            }
        )
        if field is not UNSET:
            field_dict["field"] = field
        if filters is not UNSET:
            field_dict["filters"] = filters

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metric_in_filters import MetricInFilters

        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        aggregation = MetricInAggregation(d.pop("aggregation"))

        def _parse_field(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        field = _parse_field(d.pop("field", UNSET))

        _filters = d.pop("filters", UNSET)
        filters: MetricInFilters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = MetricInFilters.from_dict(_filters)

        metric_in = cls(
            code=code,
            name=name,
            aggregation=aggregation,
            field=field,
            filters=filters,
        )

        return metric_in

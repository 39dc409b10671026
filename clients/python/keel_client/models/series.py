from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.series_grain import SeriesGrain

if TYPE_CHECKING:
    from ..models.bucket import Bucket


T = TypeVar("T", bound="Series")


@_attrs_define
class Series:
    """
    Attributes:
        metric (str):
        version (int):
        grain (SeriesGrain):
        timezone (str):
        from_ (str):
        to (str):
        unit (str):
        buckets (list[Bucket]):
    """

    metric: str
    version: int
    grain: SeriesGrain
    timezone: str
    from_: str
    to: str
    unit: str
    buckets: list[Bucket]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        version = self.version

        grain = self.grain.value

        timezone = self.timezone

        from_ = self.from_

        to = self.to

        unit = self.unit

        buckets = []
        for buckets_item_data in self.buckets:
            buckets_item = buckets_item_data.to_dict()
            buckets.append(buckets_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metric": metric,
                "version": version,
                "grain": grain,
                "timezone": timezone,
                "from": from_,
                "to": to,
                "unit": unit,
                "buckets": buckets,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.bucket import Bucket

        d = dict(src_dict)
        metric = d.pop("metric")

        version = d.pop("version")

        grain = SeriesGrain(d.pop("grain"))

        timezone = d.pop("timezone")

        from_ = d.pop("from")

        to = d.pop("to")

        unit = d.pop("unit")

        buckets = []
        _buckets = d.pop("buckets")
        for buckets_item_data in _buckets:
            buckets_item = Bucket.from_dict(buckets_item_data)

            buckets.append(buckets_item)

        series = cls(
            metric=metric,
            version=version,
            grain=grain,
            timezone=timezone,
            from_=from_,
            to=to,
            unit=unit,
            buckets=buckets,
        )

        series.additional_properties = d
        return series

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

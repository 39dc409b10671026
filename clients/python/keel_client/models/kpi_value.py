from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.previous import Previous


T = TypeVar("T", bound="KpiValue")


@_attrs_define
class KpiValue:
    """
    Attributes:
        metric (str):
        version (int):
        from_ (str):
        to (str):
        unit (str):
        value (float | int | None | str):
        previous (Previous):
        change (float | int | None | str):
        change_ratio (float | None): change / previous value; None when that is zero
    """

    metric: str
    version: int
    from_: str
    to: str
    unit: str
    value: float | int | None | str
    previous: Previous
    change: float | int | None | str
    change_ratio: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        version = self.version

        from_ = self.from_

        to = self.to

        unit = self.unit

        value: float | int | None | str
        value = self.value

        previous = self.previous.to_dict()

        change: float | int | None | str
        change = self.change

        change_ratio: float | None
        change_ratio = self.change_ratio

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metric": metric,
                "version": version,
                "from": from_,
                "to": to,
                "unit": unit,
                "value": value,
                "previous": previous,
                "change": change,
                "change_ratio": change_ratio,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.previous import Previous

        d = dict(src_dict)
        metric = d.pop("metric")

        version = d.pop("version")

        from_ = d.pop("from")

        to = d.pop("to")

        unit = d.pop("unit")

        def _parse_value(data: object) -> float | int | None | str:
            if data is None:
                return data
            return cast(float | int | None | str, data)

        value = _parse_value(d.pop("value"))

        previous = Previous.from_dict(d.pop("previous"))

        def _parse_change(data: object) -> float | int | None | str:
            if data is None:
                return data
            return cast(float | int | None | str, data)

        change = _parse_change(d.pop("change"))

        def _parse_change_ratio(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        change_ratio = _parse_change_ratio(d.pop("change_ratio"))

        kpi_value = cls(
            metric=metric,
            version=version,
            from_=from_,
            to=to,
            unit=unit,
            value=value,
            previous=previous,
            change=change,
            change_ratio=change_ratio,
        )

        kpi_value.additional_properties = d
        return kpi_value

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

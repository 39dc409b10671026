from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tile_data_chart import TileDataChart
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.kpi_value import KpiValue
    from ..models.series import Series
    from ..models.tile_error import TileError


T = TypeVar("T", bound="TileData")


@_attrs_define
class TileData:
    """
    Attributes:
        index (int):
        metric (str):
        chart (TileDataChart):
        data (KpiValue | None | Series | Unset):
        error (None | TileError | Unset):
    """

    index: int
    metric: str
    chart: TileDataChart
    data: KpiValue | None | Series | Unset = UNSET
    error: None | TileError | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.kpi_value import KpiValue
        from ..models.series import Series
        from ..models.tile_error import TileError

        index = self.index

        metric = self.metric

        chart = self.chart.value

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, Series) or isinstance(self.data, KpiValue):
            data = self.data.to_dict()
        else:
            data = self.data

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, TileError):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "metric": metric,
                "chart": chart,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.kpi_value import KpiValue
        from ..models.series import Series
        from ..models.tile_error import TileError

        d = dict(src_dict)
        index = d.pop("index")

        metric = d.pop("metric")

        chart = TileDataChart(d.pop("chart"))

        def _parse_data(data: object) -> KpiValue | None | Series | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = Series.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_1 = KpiValue.from_dict(data)

                return data_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KpiValue | None | Series | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        def _parse_error(data: object) -> None | TileError | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = TileError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TileError | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        tile_data = cls(
            index=index,
            metric=metric,
            chart=chart,
            data=data,
            error=error,
        )

        tile_data.additional_properties = d
        return tile_data

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

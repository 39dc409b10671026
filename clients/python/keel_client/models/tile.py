from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.tile_chart import TileChart
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tile_params import TileParams


T = TypeVar("T", bound="Tile")


@_attrs_define
class Tile:
    """
    Attributes:
        metric (str):
        chart (TileChart):
        params (TileParams | Unset): A tile's query: a fixed window (``from``/``to``) or one ending now (``range``), and
            what series
            and value take besides.
    """

    metric: str
    chart: TileChart
    params: TileParams | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        chart = self.chart.value

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "metric": metric,
                "chart": chart,
            }
        )
        if params is not UNSET:
            field_dict["params"] = params

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tile_params import TileParams

        d = dict(src_dict)
        metric = d.pop("metric")

        chart = TileChart(d.pop("chart"))

        _params = d.pop("params", UNSET)
        params: TileParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = TileParams.from_dict(_params)

        tile = cls(
            metric=metric,
            chart=chart,
            params=params,
        )

        return tile

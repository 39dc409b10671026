from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.forecast_grain import ForecastGrain

if TYPE_CHECKING:
    from ..models.forecast_point import ForecastPoint
    from ..models.forecast_quality import ForecastQuality


T = TypeVar("T", bound="Forecast")


@_attrs_define
class Forecast:
    """
    Attributes:
        metric (str):
        version (int):
        grain (ForecastGrain):
        timezone (str):
        unit (None | str):
        history (int): buckets the forecast was fitted on
        season (int | None): buckets per season (7 days, 12 months); null: trend only
        points (list[ForecastPoint]):
        quality (ForecastQuality):
    """

    metric: str
    version: int
    grain: ForecastGrain
    timezone: str
    unit: None | str
    history: int
    season: int | None
    points: list[ForecastPoint]
    quality: ForecastQuality
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        version = self.version

        grain = self.grain.value

        timezone = self.timezone

        unit: None | str
        unit = self.unit

        history = self.history

        season: int | None
        season = self.season

        points = []
        for points_item_data in self.points:
            points_item = points_item_data.to_dict()
            points.append(points_item)

        quality = self.quality.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metric": metric,
                "version": version,
                "grain": grain,
                "timezone": timezone,
                "unit": unit,
                "history": history,
                "season": season,
                "points": points,
                "quality": quality,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.forecast_point import ForecastPoint
        from ..models.forecast_quality import ForecastQuality

        d = dict(src_dict)
        metric = d.pop("metric")

        version = d.pop("version")

        grain = ForecastGrain(d.pop("grain"))

        timezone = d.pop("timezone")

        def _parse_unit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        unit = _parse_unit(d.pop("unit"))

        history = d.pop("history")

        def _parse_season(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        season = _parse_season(d.pop("season"))

        points = []
        _points = d.pop("points")
        for points_item_data in _points:
            points_item = ForecastPoint.from_dict(points_item_data)

            points.append(points_item)

        quality = ForecastQuality.from_dict(d.pop("quality"))

        forecast = cls(
            metric=metric,
            version=version,
            grain=grain,
            timezone=timezone,
            unit=unit,
            history=history,
            season=season,
            points=points,
            quality=quality,
        )

        forecast.additional_properties = d
        return forecast

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

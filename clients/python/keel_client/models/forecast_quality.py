from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ForecastQuality")


@_attrs_define
class ForecastQuality:
    """
    Attributes:
        held_out (int): the newest buckets left out of the fit to measure these
        mae (float):
        mape (float | None): over held-out buckets whose value is not zero
    """

    held_out: int
    mae: float
    mape: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        held_out = self.held_out

        mae = self.mae

        mape: float | None
        mape = self.mape

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "held_out": held_out,
                "mae": mae,
                "mape": mape,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        held_out = d.pop("held_out")

        mae = d.pop("mae")

        def _parse_mape(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mape = _parse_mape(d.pop("mape"))

        forecast_quality = cls(
            held_out=held_out,
            mae=mae,
            mape=mape,
        )

        forecast_quality.additional_properties = d
        return forecast_quality

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tier_out import TierOut


T = TypeVar("T", bound="PriceUsageOut")


@_attrs_define
class PriceUsageOut:
    """
    Attributes:
        metric (str):
        model (str):
        tiers (list[TierOut] | None):
        package_size (int | None):
    """

    metric: str
    model: str
    tiers: list[TierOut] | None
    package_size: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        model = self.model

        tiers: list[dict[str, Any]] | None
        if isinstance(self.tiers, list):
            tiers = []
            for tiers_type_0_item_data in self.tiers:
                tiers_type_0_item = tiers_type_0_item_data.to_dict()
                tiers.append(tiers_type_0_item)

        else:
            tiers = self.tiers

        package_size: int | None
        package_size = self.package_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metric": metric,
                "model": model,
                "tiers": tiers,
                "package_size": package_size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tier_out import TierOut

        d = dict(src_dict)
        metric = d.pop("metric")

        model = d.pop("model")

        def _parse_tiers(data: object) -> list[TierOut] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tiers_type_0 = []
                _tiers_type_0 = data
                for tiers_type_0_item_data in _tiers_type_0:
                    tiers_type_0_item = TierOut.from_dict(tiers_type_0_item_data)

                    tiers_type_0.append(tiers_type_0_item)

                return tiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TierOut] | None, data)

        tiers = _parse_tiers(d.pop("tiers"))

        def _parse_package_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        package_size = _parse_package_size(d.pop("package_size"))

        price_usage_out = cls(
            metric=metric,
            model=model,
            tiers=tiers,
            package_size=package_size,
        )

        price_usage_out.additional_properties = d
        return price_usage_out

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

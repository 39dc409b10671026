from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.usage_in_model import UsageInModel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tier_in import TierIn


T = TypeVar("T", bound="UsageIn")


@_attrs_define
class UsageIn:
    """
    Attributes:
        metric (str):
        model (UsageInModel):
        tiers (list[TierIn] | None | Unset):
        package_size (int | None | Unset):
    """

    metric: str
    model: UsageInModel
    tiers: list[TierIn] | None | Unset = UNSET
    package_size: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        model = self.model.value

        tiers: list[dict[str, Any]] | None | Unset
        if isinstance(self.tiers, Unset):
            tiers = UNSET
        elif isinstance(self.tiers, list):
            tiers = []
            for tiers_type_0_item_data in self.tiers:
                tiers_type_0_item = tiers_type_0_item_data.to_dict()
                tiers.append(tiers_type_0_item)

        else:
            tiers = self.tiers

        package_size: int | None | Unset
        if isinstance(self.package_size, Unset):
            package_size = UNSET
        else:
            package_size = self.package_size

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "metric": metric,
                "model": model,
            }
        )
        if tiers is not UNSET:
            field_dict["tiers"] = tiers
        if package_size is not UNSET:
            field_dict["package_size"] = package_size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tier_in import TierIn

        d = dict(src_dict)
        metric = d.pop("metric")

        model = UsageInModel(d.pop("model"))

        def _parse_tiers(data: object) -> list[TierIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tiers_type_0 = []
                _tiers_type_0 = data
                for tiers_type_0_item_data in _tiers_type_0:
                    tiers_type_0_item = TierIn.from_dict(tiers_type_0_item_data)

                    tiers_type_0.append(tiers_type_0_item)

                return tiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TierIn] | None | Unset, data)

        tiers = _parse_tiers(d.pop("tiers", UNSET))

        def _parse_package_size(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        package_size = _parse_package_size(d.pop("package_size", UNSET))

        usage_in = cls(
            metric=metric,
            model=model,
            tiers=tiers,
            package_size=package_size,
        )

        return usage_in

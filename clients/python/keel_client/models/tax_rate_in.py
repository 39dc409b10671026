from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaxRateIn")


@_attrs_define
class TaxRateIn:
    """
    Attributes:
        name (str):
        percentage (str):
        country (str):
        inclusive (bool | Unset):  Default: False.
        region (None | str | Unset):
        category (None | str | Unset):
    """

    name: str
    percentage: str
    country: str
    inclusive: bool | Unset = False
    region: None | str | Unset = UNSET
    category: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        percentage = self.percentage

        country = self.country

        inclusive = self.inclusive

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "percentage": percentage,
                "country": country,
            }
        )
        if inclusive is not UNSET:
            field_dict["inclusive"] = inclusive
        if region is not UNSET:
            field_dict["region"] = region
        if category is not UNSET:
            field_dict["category"] = category

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        percentage = d.pop("percentage")

        country = d.pop("country")

        inclusive = d.pop("inclusive", UNSET)

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        tax_rate_in = cls(
            name=name,
            percentage=percentage,
            country=country,
            inclusive=inclusive,
            region=region,
            category=category,
        )

        return tax_rate_in

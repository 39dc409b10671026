from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.price_usage_out import PriceUsageOut


T = TypeVar("T", bound="PriceOut")


@_attrs_define
class PriceOut:
    """
    Attributes:
        id (UUID):
        product (UUID):
        currency (str):
        unit_amount (None | str):
        type_ (str):
        interval (None | str):
        interval_count (int):
        usage (None | PriceUsageOut):
        active (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    product: UUID
    currency: str
    unit_amount: None | str
    type_: str
    interval: None | str
    interval_count: int
    usage: None | PriceUsageOut
    active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.price_usage_out import PriceUsageOut

        id = str(self.id)

        product = str(self.product)

        currency = self.currency

        unit_amount: None | str
        unit_amount = self.unit_amount

        type_ = self.type_

        interval: None | str
        interval = self.interval

        interval_count = self.interval_count

        usage: dict[str, Any] | None
        if isinstance(self.usage, PriceUsageOut):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        active = self.active

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "product": product,
                "currency": currency,
                "unit_amount": unit_amount,
                "type": type_,
                "interval": interval,
                "interval_count": interval_count,
                "usage": usage,
                "active": active,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.price_usage_out import PriceUsageOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        product = UUID(d.pop("product"))

        currency = d.pop("currency")

        def _parse_unit_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        unit_amount = _parse_unit_amount(d.pop("unit_amount"))

        type_ = d.pop("type")

        def _parse_interval(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        interval = _parse_interval(d.pop("interval"))

        interval_count = d.pop("interval_count")

        def _parse_usage(data: object) -> None | PriceUsageOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_0 = PriceUsageOut.from_dict(data)

                return usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PriceUsageOut, data)

        usage = _parse_usage(d.pop("usage"))

        active = d.pop("active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        price_out = cls(
            id=id,
            product=product,
            currency=currency,
            unit_amount=unit_amount,
            type_=type_,
            interval=interval,
            interval_count=interval_count,
            usage=usage,
            active=active,
            created_at=created_at,
            updated_at=updated_at,
        )

        price_out.additional_properties = d
        return price_out

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

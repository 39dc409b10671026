from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.price_in_interval_type_0 import PriceInIntervalType0
from ..models.price_in_type import PriceInType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.usage_in import UsageIn


T = TypeVar("T", bound="PriceIn")


@_attrs_define
class PriceIn:
    """
    Attributes:
        product (UUID):
        currency (str):
        type_ (PriceInType):
        unit_amount (None | str | Unset):
        interval (None | PriceInIntervalType0 | Unset):
        interval_count (int | Unset):  Default: 1.
        usage (None | Unset | UsageIn):
    """

    product: UUID
    currency: str
    type_: PriceInType
    unit_amount: None | str | Unset = UNSET
    interval: None | PriceInIntervalType0 | Unset = UNSET
    interval_count: int | Unset = 1
    usage: None | Unset | UsageIn = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.usage_in import UsageIn

        product = str(self.product)

        currency = self.currency

        type_ = self.type_.value

        unit_amount: None | str | Unset
        if isinstance(self.unit_amount, Unset):
            unit_amount = UNSET
        else:
            unit_amount = self.unit_amount

        interval: None | str | Unset
        if isinstance(self.interval, Unset):
            interval = UNSET
        elif isinstance(self.interval, PriceInIntervalType0):
            interval = self.interval.value
        else:
            interval = self.interval

        interval_count = self.interval_count

        usage: dict[str, Any] | None | Unset
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, UsageIn):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "product": product,
                "currency": currency,
                "type": type_,
            }
        )
        if unit_amount is not UNSET:
            field_dict["unit_amount"] = unit_amount
        if interval is not UNSET:
            field_dict["interval"] = interval
        if interval_count is not UNSET:
            field_dict["interval_count"] = interval_count
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.usage_in import UsageIn

        d = dict(src_dict)
        product = UUID(d.pop("product"))

        currency = d.pop("currency")

        type_ = PriceInType(d.pop("type"))

        def _parse_unit_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit_amount = _parse_unit_amount(d.pop("unit_amount", UNSET))

        def _parse_interval(data: object) -> None | PriceInIntervalType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                interval_type_0 = PriceInIntervalType0(data)

                return interval_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PriceInIntervalType0 | Unset, data)

        interval = _parse_interval(d.pop("interval", UNSET))

        interval_count = d.pop("interval_count", UNSET)

        def _parse_usage(data: object) -> None | Unset | UsageIn:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_0 = UsageIn.from_dict(data)

                return usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UsageIn, data)

        usage = _parse_usage(d.pop("usage", UNSET))

        price_in = cls(
            product=product,
            currency=currency,
            type_=type_,
            unit_amount=unit_amount,
            interval=interval,
            interval_count=interval_count,
            usage=usage,
        )

        return price_in

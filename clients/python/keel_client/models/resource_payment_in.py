from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.resource_payment_in_required import ResourcePaymentInRequired
from ..types import UNSET, Unset

T = TypeVar("T", bound="ResourcePaymentIn")


@_attrs_define
class ResourcePaymentIn:
    """What a booking of the resource must pay before it is confirmed.

    Attributes:
        required (ResourcePaymentInRequired): a deposit, or the full price of a booking
        amount (str): per booking, a positive decimal string in the currency
        currency (str):
        hold (str | Unset): ISO 8601, PT10S to P7D: how long a booking waits for its payment before it is released
            Default: 'PT30M'.
    """

    required: ResourcePaymentInRequired
    amount: str
    currency: str
    hold: str | Unset = "PT30M"

    def to_dict(self) -> dict[str, Any]:
        required = self.required.value

        amount = self.amount

        currency = self.currency

        hold = self.hold

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "required": required,
                "amount": amount,
                "currency": currency,
            }
        )
        if hold is not UNSET:
            field_dict["hold"] = hold

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        required = ResourcePaymentInRequired(d.pop("required"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        hold = d.pop("hold", UNSET)

        resource_payment_in = cls(
            required=required,
            amount=amount,
            currency=currency,
            hold=hold,
        )

        return resource_payment_in

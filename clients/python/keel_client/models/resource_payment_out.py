from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.resource_payment_out_required import ResourcePaymentOutRequired

T = TypeVar("T", bound="ResourcePaymentOut")


@_attrs_define
class ResourcePaymentOut:
    """What booking the resource costs: its booking stays held until the invoice for it is paid.

    Attributes:
        required (ResourcePaymentOutRequired):
        amount (str): a decimal string in the currency, per booking
        currency (str):
        hold (str): ISO 8601: how long a booking waits for the payment before it is released
    """

    required: ResourcePaymentOutRequired
    amount: str
    currency: str
    hold: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        required = self.required.value

        amount = self.amount

        currency = self.currency

        hold = self.hold

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "required": required,
                "amount": amount,
                "currency": currency,
                "hold": hold,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        required = ResourcePaymentOutRequired(d.pop("required"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        hold = d.pop("hold")

        resource_payment_out = cls(
            required=required,
            amount=amount,
            currency=currency,
            hold=hold,
        )

        resource_payment_out.additional_properties = d
        return resource_payment_out

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

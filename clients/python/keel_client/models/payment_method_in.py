from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PaymentMethodIn")


@_attrs_define
class PaymentMethodIn:
    """
    Attributes:
        payment_method (str): a Stripe PaymentMethod id (pm_…), e.g. from Stripe.js after the setup intent
    """

    payment_method: str

    def to_dict(self) -> dict[str, Any]:
        payment_method = self.payment_method

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "payment_method": payment_method,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        payment_method = d.pop("payment_method")

        payment_method_in = cls(
            payment_method=payment_method,
        )

        return payment_method_in

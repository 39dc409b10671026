from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PaymentLinkOut")


@_attrs_define
class PaymentLinkOut:
    """
    Attributes:
        payment_intent_id (str):
        client_secret (None | str): for Stripe.js (confirmCardPayment) in the payer's browser
        amount (str): the invoice's amount due when the link was made
        currency (str):
        status (str): the PaymentIntent's status at Stripe
        url (None | str | Unset): a hosted payment page, when there is one
    """

    payment_intent_id: str
    client_secret: None | str
    amount: str
    currency: str
    status: str
    url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payment_intent_id = self.payment_intent_id

        client_secret: None | str
        client_secret = self.client_secret

        amount = self.amount

        currency = self.currency

        status = self.status

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "payment_intent_id": payment_intent_id,
                "client_secret": client_secret,
                "amount": amount,
                "currency": currency,
                "status": status,
            }
        )
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        payment_intent_id = d.pop("payment_intent_id")

        def _parse_client_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_secret = _parse_client_secret(d.pop("client_secret"))

        amount = d.pop("amount")

        currency = d.pop("currency")

        status = d.pop("status")

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        payment_link_out = cls(
            payment_intent_id=payment_intent_id,
            client_secret=client_secret,
            amount=amount,
            currency=currency,
            status=status,
            url=url,
        )

        payment_link_out.additional_properties = d
        return payment_link_out

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

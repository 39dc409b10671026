from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PublicInvoiceOut")


@_attrs_define
class PublicInvoiceOut:
    """An invoice as its payer reads it through the payment link.

    Attributes:
        seller (str):
        number (None | str):
        status (str):
        currency (str):
        total (str):
        amount_due (str):
        due_on (None | str):
        payable (bool): open (or uncollectible) with an amount due: a card can pay it
        has_pdf (bool):
    """

    seller: str
    number: None | str
    status: str
    currency: str
    total: str
    amount_due: str
    due_on: None | str
    payable: bool
    has_pdf: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seller = self.seller

        number: None | str
        number = self.number

        status = self.status

        currency = self.currency

        total = self.total

        amount_due = self.amount_due

        due_on: None | str
        due_on = self.due_on

        payable = self.payable

        has_pdf = self.has_pdf

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seller": seller,
                "number": number,
                "status": status,
                "currency": currency,
                "total": total,
                "amount_due": amount_due,
                "due_on": due_on,
                "payable": payable,
                "has_pdf": has_pdf,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        seller = d.pop("seller")

        def _parse_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        number = _parse_number(d.pop("number"))

        status = d.pop("status")

        currency = d.pop("currency")

        total = d.pop("total")

        amount_due = d.pop("amount_due")

        def _parse_due_on(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        due_on = _parse_due_on(d.pop("due_on"))

        payable = d.pop("payable")

        has_pdf = d.pop("has_pdf")

        public_invoice_out = cls(
            seller=seller,
            number=number,
            status=status,
            currency=currency,
            total=total,
            amount_due=amount_due,
            due_on=due_on,
            payable=payable,
            has_pdf=has_pdf,
        )

        public_invoice_out.additional_properties = d
        return public_invoice_out

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

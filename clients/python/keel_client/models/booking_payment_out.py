from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.booking_payment_out_required import BookingPaymentOutRequired
from ..models.booking_payment_out_status import BookingPaymentOutStatus

T = TypeVar("T", bound="BookingPaymentOut")


@_attrs_define
class BookingPaymentOut:
    """The invoice whose payment confirms the booking, as it stands.

    Attributes:
        invoice_id (UUID):
        required (BookingPaymentOutRequired):
        amount (str): the invoice's total, a decimal string in the currency
        amount_paid (str):
        currency (str):
        status (BookingPaymentOutStatus): the invoice's
    """

    invoice_id: UUID
    required: BookingPaymentOutRequired
    amount: str
    amount_paid: str
    currency: str
    status: BookingPaymentOutStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        invoice_id = str(self.invoice_id)

        required = self.required.value

        amount = self.amount

        amount_paid = self.amount_paid

        currency = self.currency

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "invoice_id": invoice_id,
                "required": required,
                "amount": amount,
                "amount_paid": amount_paid,
                "currency": currency,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        invoice_id = UUID(d.pop("invoice_id"))

        required = BookingPaymentOutRequired(d.pop("required"))

        amount = d.pop("amount")

        amount_paid = d.pop("amount_paid")

        currency = d.pop("currency")

        status = BookingPaymentOutStatus(d.pop("status"))

        booking_payment_out = cls(
            invoice_id=invoice_id,
            required=required,
            amount=amount,
            amount_paid=amount_paid,
            currency=currency,
            status=status,
        )

        booking_payment_out.additional_properties = d
        return booking_payment_out

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

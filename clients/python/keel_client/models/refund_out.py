from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RefundOut")


@_attrs_define
class RefundOut:
    """
    Attributes:
        id (str):
        payment_id (str):
        invoice_id (None | str):
        amount (str):
        from_invoice (str): taken off the invoice's amount paid (its amount due grows)
        from_credit (str): taken off the customer's credit the payment's overpayment left
        currency (str):
        reason (None | str):
        stripe_refund_id (None | str):
        payment_status (str): partially_refunded or refunded
        created_at (str):
    """

    id: str
    payment_id: str
    invoice_id: None | str
    amount: str
    from_invoice: str
    from_credit: str
    currency: str
    reason: None | str
    stripe_refund_id: None | str
    payment_status: str
    created_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        payment_id = self.payment_id

        invoice_id: None | str
        invoice_id = self.invoice_id

        amount = self.amount

        from_invoice = self.from_invoice

        from_credit = self.from_credit

        currency = self.currency

        reason: None | str
        reason = self.reason

        stripe_refund_id: None | str
        stripe_refund_id = self.stripe_refund_id

        payment_status = self.payment_status

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "payment_id": payment_id,
                "invoice_id": invoice_id,
                "amount": amount,
                "from_invoice": from_invoice,
                "from_credit": from_credit,
                "currency": currency,
                "reason": reason,
                "stripe_refund_id": stripe_refund_id,
                "payment_status": payment_status,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        payment_id = d.pop("payment_id")

        def _parse_invoice_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        invoice_id = _parse_invoice_id(d.pop("invoice_id"))

        amount = d.pop("amount")

        from_invoice = d.pop("from_invoice")

        from_credit = d.pop("from_credit")

        currency = d.pop("currency")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_stripe_refund_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stripe_refund_id = _parse_stripe_refund_id(d.pop("stripe_refund_id"))

        payment_status = d.pop("payment_status")

        created_at = d.pop("created_at")

        refund_out = cls(
            id=id,
            payment_id=payment_id,
            invoice_id=invoice_id,
            amount=amount,
            from_invoice=from_invoice,
            from_credit=from_credit,
            currency=currency,
            reason=reason,
            stripe_refund_id=stripe_refund_id,
            payment_status=payment_status,
            created_at=created_at,
        )

        refund_out.additional_properties = d
        return refund_out

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

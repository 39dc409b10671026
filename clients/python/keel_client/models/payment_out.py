from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PaymentOut")


@_attrs_define
class PaymentOut:
    """
    Attributes:
        id (UUID):
        invoice_id (None | UUID):
        customer (UUID):
        amount (str):
        applied (str): what paid the invoice
        to_credit (str): the overpayment, added to the customer's credit
        currency (str):
        method (str):
        reference (None | str):
        status (str):
        received_at (datetime.datetime):
        created_at (datetime.datetime):
    """

    id: UUID
    invoice_id: None | UUID
    customer: UUID
    amount: str
    applied: str
    to_credit: str
    currency: str
    method: str
    reference: None | str
    status: str
    received_at: datetime.datetime
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        invoice_id: None | str
        if isinstance(self.invoice_id, UUID):
            invoice_id = str(self.invoice_id)
        else:
            invoice_id = self.invoice_id

        customer = str(self.customer)

        amount = self.amount

        applied = self.applied

        to_credit = self.to_credit

        currency = self.currency

        method = self.method

        reference: None | str
        reference = self.reference

        status = self.status

        received_at = self.received_at.isoformat()

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "invoice_id": invoice_id,
                "customer": customer,
                "amount": amount,
                "applied": applied,
                "to_credit": to_credit,
                "currency": currency,
                "method": method,
                "reference": reference,
                "status": status,
                "received_at": received_at,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        def _parse_invoice_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                invoice_id_type_0 = UUID(data)

                return invoice_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        invoice_id = _parse_invoice_id(d.pop("invoice_id"))

        customer = UUID(d.pop("customer"))

        amount = d.pop("amount")

        applied = d.pop("applied")

        to_credit = d.pop("to_credit")

        currency = d.pop("currency")

        method = d.pop("method")

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        status = d.pop("status")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        payment_out = cls(
            id=id,
            invoice_id=invoice_id,
            customer=customer,
            amount=amount,
            applied=applied,
            to_credit=to_credit,
            currency=currency,
            method=method,
            reference=reference,
            status=status,
            received_at=received_at,
            created_at=created_at,
        )

        payment_out.additional_properties = d
        return payment_out

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

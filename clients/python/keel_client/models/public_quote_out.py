from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.public_quote_out_status import PublicQuoteOutStatus

if TYPE_CHECKING:
    from ..models.line_out import LineOut
    from ..models.seller_out import SellerOut
    from ..models.tax_line_out import TaxLineOut


T = TypeVar("T", bound="PublicQuoteOut")


@_attrs_define
class PublicQuoteOut:
    """What the customer sees through the quote's link.

    Attributes:
        currency (str):
        lines (list[LineOut]):
        subtotal (str):
        tax_breakdown (list[TaxLineOut]):
        tax (str):
        total (str):
        number (str):
        status (PublicQuoteOutStatus):
        seller (SellerOut):
        customer_name (str):
        mentions (list[str]):
        memo (None | str):
        valid_until (datetime.date):
        can_answer (bool): true while the quote may be accepted or declined
        invoice_number (None | str):
    """

    currency: str
    lines: list[LineOut]
    subtotal: str
    tax_breakdown: list[TaxLineOut]
    tax: str
    total: str
    number: str
    status: PublicQuoteOutStatus
    seller: SellerOut
    customer_name: str
    mentions: list[str]
    memo: None | str
    valid_until: datetime.date
    can_answer: bool
    invoice_number: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        subtotal = self.subtotal

        tax_breakdown = []
        for tax_breakdown_item_data in self.tax_breakdown:
            tax_breakdown_item = tax_breakdown_item_data.to_dict()
            tax_breakdown.append(tax_breakdown_item)

        tax = self.tax

        total = self.total

        number = self.number

        status = self.status.value

        seller = self.seller.to_dict()

        customer_name = self.customer_name

        mentions = self.mentions

        memo: None | str
        memo = self.memo

        valid_until = self.valid_until.isoformat()

        can_answer = self.can_answer

        invoice_number: None | str
        invoice_number = self.invoice_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "lines": lines,
                "subtotal": subtotal,
                "tax_breakdown": tax_breakdown,
                "tax": tax,
                "total": total,
                "number": number,
                "status": status,
                "seller": seller,
                "customer_name": customer_name,
                "mentions": mentions,
                "memo": memo,
                "valid_until": valid_until,
                "can_answer": can_answer,
                "invoice_number": invoice_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.line_out import LineOut
        from ..models.seller_out import SellerOut
        from ..models.tax_line_out import TaxLineOut

        d = dict(src_dict)
        currency = d.pop("currency")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = LineOut.from_dict(lines_item_data)

            lines.append(lines_item)

        subtotal = d.pop("subtotal")

        tax_breakdown = []
        _tax_breakdown = d.pop("tax_breakdown")
        for tax_breakdown_item_data in _tax_breakdown:
            tax_breakdown_item = TaxLineOut.from_dict(tax_breakdown_item_data)

            tax_breakdown.append(tax_breakdown_item)

        tax = d.pop("tax")

        total = d.pop("total")

        number = d.pop("number")

        status = PublicQuoteOutStatus(d.pop("status"))

        seller = SellerOut.from_dict(d.pop("seller"))

        customer_name = d.pop("customer_name")

        mentions = cast(list[str], d.pop("mentions"))

        def _parse_memo(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        memo = _parse_memo(d.pop("memo"))

        valid_until = datetime.date.fromisoformat(d.pop("valid_until"))

        can_answer = d.pop("can_answer")

        def _parse_invoice_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        invoice_number = _parse_invoice_number(d.pop("invoice_number"))

        public_quote_out = cls(
            currency=currency,
            lines=lines,
            subtotal=subtotal,
            tax_breakdown=tax_breakdown,
            tax=tax,
            total=total,
            number=number,
            status=status,
            seller=seller,
            customer_name=customer_name,
            mentions=mentions,
            memo=memo,
            valid_until=valid_until,
            can_answer=can_answer,
            invoice_number=invoice_number,
        )

        public_quote_out.additional_properties = d
        return public_quote_out

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

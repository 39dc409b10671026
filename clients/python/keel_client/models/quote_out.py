from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.quote_out_status import QuoteOutStatus

if TYPE_CHECKING:
    from ..models.line_out import LineOut
    from ..models.tax_line_out import TaxLineOut


T = TypeVar("T", bound="QuoteOut")


@_attrs_define
class QuoteOut:
    """
    Attributes:
        currency (str):
        lines (list[LineOut]):
        subtotal (str):
        tax_breakdown (list[TaxLineOut]):
        tax (str):
        total (str):
        id (UUID):
        number (str):
        status (QuoteOutStatus):
        customer (UUID):
        mentions (list[str]):
        memo (None | str):
        valid_until (datetime.date):
        sent_at (datetime.datetime | None):
        accepted_at (datetime.datetime | None):
        declined_at (datetime.datetime | None):
        decline_reason (None | str):
        invoice_id (None | UUID):
        invoice_number (None | str):
        pdf_document_id (None | UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    currency: str
    lines: list[LineOut]
    subtotal: str
    tax_breakdown: list[TaxLineOut]
    tax: str
    total: str
    id: UUID
    number: str
    status: QuoteOutStatus
    customer: UUID
    mentions: list[str]
    memo: None | str
    valid_until: datetime.date
    sent_at: datetime.datetime | None
    accepted_at: datetime.datetime | None
    declined_at: datetime.datetime | None
    decline_reason: None | str
    invoice_id: None | UUID
    invoice_number: None | str
    pdf_document_id: None | UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
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

        id = str(self.id)

        number = self.number

        status = self.status.value

        customer = str(self.customer)

        mentions = self.mentions

        memo: None | str
        memo = self.memo

        valid_until = self.valid_until.isoformat()

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        accepted_at: None | str
        if isinstance(self.accepted_at, datetime.datetime):
            accepted_at = self.accepted_at.isoformat()
        else:
            accepted_at = self.accepted_at

        declined_at: None | str
        if isinstance(self.declined_at, datetime.datetime):
            declined_at = self.declined_at.isoformat()
        else:
            declined_at = self.declined_at

        decline_reason: None | str
        decline_reason = self.decline_reason

        invoice_id: None | str
        if isinstance(self.invoice_id, UUID):
            invoice_id = str(self.invoice_id)
        else:
            invoice_id = self.invoice_id

        invoice_number: None | str
        invoice_number = self.invoice_number

        pdf_document_id: None | str
        if isinstance(self.pdf_document_id, UUID):
            pdf_document_id = str(self.pdf_document_id)
        else:
            pdf_document_id = self.pdf_document_id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

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
                "id": id,
                "number": number,
                "status": status,
                "customer": customer,
                "mentions": mentions,
                "memo": memo,
                "valid_until": valid_until,
                "sent_at": sent_at,
                "accepted_at": accepted_at,
                "declined_at": declined_at,
                "decline_reason": decline_reason,
                "invoice_id": invoice_id,
                "invoice_number": invoice_number,
                "pdf_document_id": pdf_document_id,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.line_out import LineOut
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

        id = UUID(d.pop("id"))

        number = d.pop("number")

        status = QuoteOutStatus(d.pop("status"))

        customer = UUID(d.pop("customer"))

        mentions = cast(list[str], d.pop("mentions"))

        def _parse_memo(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        memo = _parse_memo(d.pop("memo"))

        valid_until = datetime.date.fromisoformat(d.pop("valid_until"))

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        def _parse_accepted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                accepted_at_type_0 = datetime.datetime.fromisoformat(data)

                return accepted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        accepted_at = _parse_accepted_at(d.pop("accepted_at"))

        def _parse_declined_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                declined_at_type_0 = datetime.datetime.fromisoformat(data)

                return declined_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        declined_at = _parse_declined_at(d.pop("declined_at"))

        def _parse_decline_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decline_reason = _parse_decline_reason(d.pop("decline_reason"))

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

        def _parse_invoice_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        invoice_number = _parse_invoice_number(d.pop("invoice_number"))

        def _parse_pdf_document_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pdf_document_id_type_0 = UUID(data)

                return pdf_document_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        pdf_document_id = _parse_pdf_document_id(d.pop("pdf_document_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        quote_out = cls(
            currency=currency,
            lines=lines,
            subtotal=subtotal,
            tax_breakdown=tax_breakdown,
            tax=tax,
            total=total,
            id=id,
            number=number,
            status=status,
            customer=customer,
            mentions=mentions,
            memo=memo,
            valid_until=valid_until,
            sent_at=sent_at,
            accepted_at=accepted_at,
            declined_at=declined_at,
            decline_reason=decline_reason,
            invoice_id=invoice_id,
            invoice_number=invoice_number,
            pdf_document_id=pdf_document_id,
            created_at=created_at,
            updated_at=updated_at,
        )

        quote_out.additional_properties = d
        return quote_out

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

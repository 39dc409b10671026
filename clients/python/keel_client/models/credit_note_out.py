from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.credit_note_out_lines_item import CreditNoteOutLinesItem
    from ..models.tax_line_out import TaxLineOut


T = TypeVar("T", bound="CreditNoteOut")


@_attrs_define
class CreditNoteOut:
    """
    Attributes:
        id (UUID):
        number (str):
        invoice_id (UUID):
        currency (str):
        reason (str):
        lines (list[CreditNoteOutLinesItem]):
        subtotal (str):
        tax_breakdown (list[TaxLineOut]):
        total (str):
        to_customer_credit (str):
        issued_on (datetime.date):
        pdf_document_id (None | UUID):
        created_at (datetime.datetime):
    """

    id: UUID
    number: str
    invoice_id: UUID
    currency: str
    reason: str
    lines: list[CreditNoteOutLinesItem]
    subtotal: str
    tax_breakdown: list[TaxLineOut]
    total: str
    to_customer_credit: str
    issued_on: datetime.date
    pdf_document_id: None | UUID
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        number = self.number

        invoice_id = str(self.invoice_id)

        currency = self.currency

        reason = self.reason

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        subtotal = self.subtotal

        tax_breakdown = []
        for tax_breakdown_item_data in self.tax_breakdown:
            tax_breakdown_item = tax_breakdown_item_data.to_dict()
            tax_breakdown.append(tax_breakdown_item)

        total = self.total

        to_customer_credit = self.to_customer_credit

        issued_on = self.issued_on.isoformat()

        pdf_document_id: None | str
        if isinstance(self.pdf_document_id, UUID):
            pdf_document_id = str(self.pdf_document_id)
        else:
            pdf_document_id = self.pdf_document_id

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "invoice_id": invoice_id,
                "currency": currency,
                "reason": reason,
                "lines": lines,
                "subtotal": subtotal,
                "tax_breakdown": tax_breakdown,
                "total": total,
                "to_customer_credit": to_customer_credit,
                "issued_on": issued_on,
                "pdf_document_id": pdf_document_id,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.credit_note_out_lines_item import CreditNoteOutLinesItem
        from ..models.tax_line_out import TaxLineOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        number = d.pop("number")

        invoice_id = UUID(d.pop("invoice_id"))

        currency = d.pop("currency")

        reason = d.pop("reason")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = CreditNoteOutLinesItem.from_dict(lines_item_data)

            lines.append(lines_item)

        subtotal = d.pop("subtotal")

        tax_breakdown = []
        _tax_breakdown = d.pop("tax_breakdown")
        for tax_breakdown_item_data in _tax_breakdown:
            tax_breakdown_item = TaxLineOut.from_dict(tax_breakdown_item_data)

            tax_breakdown.append(tax_breakdown_item)

        total = d.pop("total")

        to_customer_credit = d.pop("to_customer_credit")

        issued_on = datetime.date.fromisoformat(d.pop("issued_on"))

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

        credit_note_out = cls(
            id=id,
            number=number,
            invoice_id=invoice_id,
            currency=currency,
            reason=reason,
            lines=lines,
            subtotal=subtotal,
            tax_breakdown=tax_breakdown,
            total=total,
            to_customer_credit=to_customer_credit,
            issued_on=issued_on,
            pdf_document_id=pdf_document_id,
            created_at=created_at,
        )

        credit_note_out.additional_properties = d
        return credit_note_out

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

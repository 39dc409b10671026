from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.invoice_out_collection import InvoiceOutCollection
from ..models.invoice_out_status import InvoiceOutStatus

if TYPE_CHECKING:
    from ..models.credit_note_out import CreditNoteOut
    from ..models.line_out import LineOut
    from ..models.tax_line_out import TaxLineOut


T = TypeVar("T", bound="InvoiceOut")


@_attrs_define
class InvoiceOut:
    """
    Attributes:
        currency (str):
        lines (list[LineOut]):
        subtotal (str):
        tax_breakdown (list[TaxLineOut]):
        tax (str):
        total (str):
        id (UUID):
        number (None | str):
        status (InvoiceOutStatus):
        customer (UUID):
        amount_paid (str):
        credit_applied (str):
        amount_credited (str):
        amount_due (str):
        mentions (list[str]):
        memo (None | str):
        due_days (int | None):
        collection (InvoiceOutCollection):
        issued_on (datetime.date | None):
        due_on (datetime.date | None):
        paid_at (datetime.datetime | None):
        sent_at (datetime.datetime | None):
        pdf_document_id (None | UUID):
        payment_url (None | str):
        credit_notes (list[CreditNoteOut]):
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
    number: None | str
    status: InvoiceOutStatus
    customer: UUID
    amount_paid: str
    credit_applied: str
    amount_credited: str
    amount_due: str
    mentions: list[str]
    memo: None | str
    due_days: int | None
    collection: InvoiceOutCollection
    issued_on: datetime.date | None
    due_on: datetime.date | None
    paid_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    pdf_document_id: None | UUID
    payment_url: None | str
    credit_notes: list[CreditNoteOut]
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

        number: None | str
        number = self.number

        status = self.status.value

        customer = str(self.customer)

        amount_paid = self.amount_paid

        credit_applied = self.credit_applied

        amount_credited = self.amount_credited

        amount_due = self.amount_due

        mentions = self.mentions

        memo: None | str
        memo = self.memo

        due_days: int | None
        due_days = self.due_days

        collection = self.collection.value

        issued_on: None | str
        if isinstance(self.issued_on, datetime.date):
            issued_on = self.issued_on.isoformat()
        else:
            issued_on = self.issued_on

        due_on: None | str
        if isinstance(self.due_on, datetime.date):
            due_on = self.due_on.isoformat()
        else:
            due_on = self.due_on

        paid_at: None | str
        if isinstance(self.paid_at, datetime.datetime):
            paid_at = self.paid_at.isoformat()
        else:
            paid_at = self.paid_at

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        pdf_document_id: None | str
        if isinstance(self.pdf_document_id, UUID):
            pdf_document_id = str(self.pdf_document_id)
        else:
            pdf_document_id = self.pdf_document_id

        payment_url: None | str
        payment_url = self.payment_url

        credit_notes = []
        for credit_notes_item_data in self.credit_notes:
            credit_notes_item = credit_notes_item_data.to_dict()
            credit_notes.append(credit_notes_item)

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
                "amount_paid": amount_paid,
                "credit_applied": credit_applied,
                "amount_credited": amount_credited,
                "amount_due": amount_due,
                "mentions": mentions,
                "memo": memo,
                "due_days": due_days,
                "collection": collection,
                "issued_on": issued_on,
                "due_on": due_on,
                "paid_at": paid_at,
                "sent_at": sent_at,
                "pdf_document_id": pdf_document_id,
                "payment_url": payment_url,
                "credit_notes": credit_notes,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.credit_note_out import CreditNoteOut
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

        def _parse_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        number = _parse_number(d.pop("number"))

        status = InvoiceOutStatus(d.pop("status"))

        customer = UUID(d.pop("customer"))

        amount_paid = d.pop("amount_paid")

        credit_applied = d.pop("credit_applied")

        amount_credited = d.pop("amount_credited")

        amount_due = d.pop("amount_due")

        mentions = cast(list[str], d.pop("mentions"))

        def _parse_memo(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        memo = _parse_memo(d.pop("memo"))

        def _parse_due_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        due_days = _parse_due_days(d.pop("due_days"))

        collection = InvoiceOutCollection(d.pop("collection"))

        def _parse_issued_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                issued_on_type_0 = datetime.date.fromisoformat(data)

                return issued_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        issued_on = _parse_issued_on(d.pop("issued_on"))

        def _parse_due_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_on_type_0 = datetime.date.fromisoformat(data)

                return due_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        due_on = _parse_due_on(d.pop("due_on"))

        def _parse_paid_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_at_type_0 = datetime.datetime.fromisoformat(data)

                return paid_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        paid_at = _parse_paid_at(d.pop("paid_at"))

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

        def _parse_payment_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        payment_url = _parse_payment_url(d.pop("payment_url"))

        credit_notes = []
        _credit_notes = d.pop("credit_notes")
        for credit_notes_item_data in _credit_notes:
            credit_notes_item = CreditNoteOut.from_dict(credit_notes_item_data)

            credit_notes.append(credit_notes_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        invoice_out = cls(
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
            amount_paid=amount_paid,
            credit_applied=credit_applied,
            amount_credited=amount_credited,
            amount_due=amount_due,
            mentions=mentions,
            memo=memo,
            due_days=due_days,
            collection=collection,
            issued_on=issued_on,
            due_on=due_on,
            paid_at=paid_at,
            sent_at=sent_at,
            pdf_document_id=pdf_document_id,
            payment_url=payment_url,
            credit_notes=credit_notes,
            created_at=created_at,
            updated_at=updated_at,
        )

        invoice_out.additional_properties = d
        return invoice_out

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

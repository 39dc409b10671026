from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.invoice_in_collection import InvoiceInCollection
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_in import LineIn


T = TypeVar("T", bound="InvoiceIn")


@_attrs_define
class InvoiceIn:
    """
    Attributes:
        customer (UUID):
        lines (list[LineIn]):
        due_days (int | None | Unset): else the customer's payment terms
        memo (None | str | Unset):
        collection (InvoiceInCollection | Unset): send_invoice (the default): the customer pays; charge_automatically:
            Keel charges the customer's saved payment method when the invoice is finalized, and retries on the tenant's
            dunning schedule Default: InvoiceInCollection.SEND_INVOICE.
    """

    customer: UUID
    lines: list[LineIn]
    due_days: int | None | Unset = UNSET
    memo: None | str | Unset = UNSET
    collection: InvoiceInCollection | Unset = InvoiceInCollection.SEND_INVOICE

    def to_dict(self) -> dict[str, Any]:
        customer = str(self.customer)

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        due_days: int | None | Unset
        if isinstance(self.due_days, Unset):
            due_days = UNSET
        else:
            due_days = self.due_days

        memo: None | str | Unset
        if isinstance(self.memo, Unset):
            memo = UNSET
        else:
            memo = self.memo

        collection: str | Unset = UNSET
        if not isinstance(self.collection, Unset):
            collection = self.collection.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer": customer,
                "lines": lines,
            }
        )
        if due_days is not UNSET:
            field_dict["due_days"] = due_days
        if memo is not UNSET:
            field_dict["memo"] = memo
        if collection is not UNSET:
            field_dict["collection"] = collection

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.line_in import LineIn

        d = dict(src_dict)
        customer = UUID(d.pop("customer"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = LineIn.from_dict(lines_item_data)

            lines.append(lines_item)

        def _parse_due_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        due_days = _parse_due_days(d.pop("due_days", UNSET))

        def _parse_memo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        memo = _parse_memo(d.pop("memo", UNSET))

        _collection = d.pop("collection", UNSET)
        collection: InvoiceInCollection | Unset
        if isinstance(_collection, Unset):
            collection = UNSET
        else:
            collection = InvoiceInCollection(_collection)

        invoice_in = cls(
            customer=customer,
            lines=lines,
            due_days=due_days,
            memo=memo,
            collection=collection,
        )

        return invoice_in

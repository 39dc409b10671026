from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.invoice_patch_collection_type_0 import InvoicePatchCollectionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_in import LineIn


T = TypeVar("T", bound="InvoicePatch")


@_attrs_define
class InvoicePatch:
    """Only the fields sent change; ``lines`` replace the draft's lines as a whole.

    Attributes:
        customer (None | Unset | UUID):
        lines (list[LineIn] | None | Unset):
        due_days (int | None | Unset):
        memo (None | str | Unset):
        collection (InvoicePatchCollectionType0 | None | Unset):
    """

    customer: None | Unset | UUID = UNSET
    lines: list[LineIn] | None | Unset = UNSET
    due_days: int | None | Unset = UNSET
    memo: None | str | Unset = UNSET
    collection: InvoicePatchCollectionType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        customer: None | str | Unset
        if isinstance(self.customer, Unset):
            customer = UNSET
        elif isinstance(self.customer, UUID):
            customer = str(self.customer)
        else:
            customer = self.customer

        lines: list[dict[str, Any]] | None | Unset
        if isinstance(self.lines, Unset):
            lines = UNSET
        elif isinstance(self.lines, list):
            lines = []
            for lines_type_0_item_data in self.lines:
                lines_type_0_item = lines_type_0_item_data.to_dict()
                lines.append(lines_type_0_item)

        else:
            lines = self.lines

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

        collection: None | str | Unset
        if isinstance(self.collection, Unset):
            collection = UNSET
        elif isinstance(self.collection, InvoicePatchCollectionType0):
            collection = self.collection.value
        else:
            collection = self.collection

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if customer is not UNSET:
            field_dict["customer"] = customer
        if lines is not UNSET:
            field_dict["lines"] = lines
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

        def _parse_customer(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_type_0 = UUID(data)

                return customer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        customer = _parse_customer(d.pop("customer", UNSET))

        def _parse_lines(data: object) -> list[LineIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                lines_type_0 = []
                _lines_type_0 = data
                for lines_type_0_item_data in _lines_type_0:
                    lines_type_0_item = LineIn.from_dict(lines_type_0_item_data)

                    lines_type_0.append(lines_type_0_item)

                return lines_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[LineIn] | None | Unset, data)

        lines = _parse_lines(d.pop("lines", UNSET))

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

        def _parse_collection(
            data: object,
        ) -> InvoicePatchCollectionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                collection_type_0 = InvoicePatchCollectionType0(data)

                return collection_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InvoicePatchCollectionType0 | None | Unset, data)

        collection = _parse_collection(d.pop("collection", UNSET))

        invoice_patch = cls(
            customer=customer,
            lines=lines,
            due_days=due_days,
            memo=memo,
            collection=collection,
        )

        return invoice_patch

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_in import LineIn


T = TypeVar("T", bound="QuoteIn")


@_attrs_define
class QuoteIn:
    """
    Attributes:
        customer (UUID):
        lines (list[LineIn]):
        valid_until (datetime.date): the last day the customer may accept (through its end, UTC)
        memo (None | str | Unset):
    """

    customer: UUID
    lines: list[LineIn]
    valid_until: datetime.date
    memo: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        customer = str(self.customer)

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        valid_until = self.valid_until.isoformat()

        memo: None | str | Unset
        if isinstance(self.memo, Unset):
            memo = UNSET
        else:
            memo = self.memo

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer": customer,
                "lines": lines,
                "valid_until": valid_until,
            }
        )
        if memo is not UNSET:
            field_dict["memo"] = memo

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

        valid_until = datetime.date.fromisoformat(d.pop("valid_until"))

        def _parse_memo(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        memo = _parse_memo(d.pop("memo", UNSET))

        quote_in = cls(
            customer=customer,
            lines=lines,
            valid_until=valid_until,
            memo=memo,
        )

        return quote_in

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CreditLineIn")


@_attrs_define
class CreditLineIn:
    """
    Attributes:
        line (int): index of the invoice line (from 0)
        quantity (str): how much of that line's quantity is credited
    """

    line: int
    quantity: str

    def to_dict(self) -> dict[str, Any]:
        line = self.line

        quantity = self.quantity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "line": line,
                "quantity": quantity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        line = d.pop("line")

        quantity = d.pop("quantity")

        credit_line_in = cls(
            line=line,
            quantity=quantity,
        )

        return credit_line_in

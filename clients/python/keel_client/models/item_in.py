from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ItemIn")


@_attrs_define
class ItemIn:
    """
    Attributes:
        price (UUID): a recurring price of this tenant (a one-time price is a 422)
        quantity (int | Unset): whole units, 1 to 1,000,000, of a licensed price; a usage price takes 1 (or none)
            Default: 1.
    """

    price: UUID
    quantity: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        price = str(self.price)

        quantity = self.quantity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "price": price,
            }
        )
        if quantity is not UNSET:
            field_dict["quantity"] = quantity

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        price = UUID(d.pop("price"))

        quantity = d.pop("quantity", UNSET)

        item_in = cls(
            price=price,
            quantity=quantity,
        )

        return item_in

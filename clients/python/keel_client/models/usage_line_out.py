from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UsageLineOut")


@_attrs_define
class UsageLineOut:
    """
    Attributes:
        item (UUID):
        price (UUID):
        metric (str):
        quantity (str):
        amount (str): what the quantity so far costs, before tax
    """

    item: UUID
    price: UUID
    metric: str
    quantity: str
    amount: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        item = str(self.item)

        price = str(self.price)

        metric = self.metric

        quantity = self.quantity

        amount = self.amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "item": item,
                "price": price,
                "metric": metric,
                "quantity": quantity,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        item = UUID(d.pop("item"))

        price = UUID(d.pop("price"))

        metric = d.pop("metric")

        quantity = d.pop("quantity")

        amount = d.pop("amount")

        usage_line_out = cls(
            item=item,
            price=price,
            metric=metric,
            quantity=quantity,
            amount=amount,
        )

        usage_line_out.additional_properties = d
        return usage_line_out

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

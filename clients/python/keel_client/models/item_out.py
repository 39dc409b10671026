from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.item_out_kind import ItemOutKind

T = TypeVar("T", bound="ItemOut")


@_attrs_define
class ItemOut:
    """
    Attributes:
        id (UUID):
        price (UUID):
        kind (ItemOutKind):
        metric (None | str):
        quantity (int):
        unit_amount (None | str):
    """

    id: UUID
    price: UUID
    kind: ItemOutKind
    metric: None | str
    quantity: int
    unit_amount: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        price = str(self.price)

        kind = self.kind.value

        metric: None | str
        metric = self.metric

        quantity = self.quantity

        unit_amount: None | str
        unit_amount = self.unit_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "price": price,
                "kind": kind,
                "metric": metric,
                "quantity": quantity,
                "unit_amount": unit_amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        price = UUID(d.pop("price"))

        kind = ItemOutKind(d.pop("kind"))

        def _parse_metric(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        metric = _parse_metric(d.pop("metric"))

        quantity = d.pop("quantity")

        def _parse_unit_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        unit_amount = _parse_unit_amount(d.pop("unit_amount"))

        item_out = cls(
            id=id,
            price=price,
            kind=kind,
            metric=metric,
            quantity=quantity,
            unit_amount=unit_amount,
        )

        item_out.additional_properties = d
        return item_out

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LineOut")


@_attrs_define
class LineOut:
    """
    Attributes:
        description (str):
        price (None | UUID):
        product (None | UUID):
        quantity (str):
        unit_amount (str):
        discount_percent (str):
        tax_category (str):
        amount (str): unit times quantity less the discount, as priced (tax included if inclusive)
        net (str):
        tax (str):
        tax_name (str):
        tax_percentage (str):
        tax_inclusive (bool):
        reverse_charge (bool):
    """

    description: str
    price: None | UUID
    product: None | UUID
    quantity: str
    unit_amount: str
    discount_percent: str
    tax_category: str
    amount: str
    net: str
    tax: str
    tax_name: str
    tax_percentage: str
    tax_inclusive: bool
    reverse_charge: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        price: None | str
        if isinstance(self.price, UUID):
            price = str(self.price)
        else:
            price = self.price

        product: None | str
        if isinstance(self.product, UUID):
            product = str(self.product)
        else:
            product = self.product

        quantity = self.quantity

        unit_amount = self.unit_amount

        discount_percent = self.discount_percent

        tax_category = self.tax_category

        amount = self.amount

        net = self.net

        tax = self.tax

        tax_name = self.tax_name

        tax_percentage = self.tax_percentage

        tax_inclusive = self.tax_inclusive

        reverse_charge = self.reverse_charge

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "price": price,
                "product": product,
                "quantity": quantity,
                "unit_amount": unit_amount,
                "discount_percent": discount_percent,
                "tax_category": tax_category,
                "amount": amount,
                "net": net,
                "tax": tax,
                "tax_name": tax_name,
                "tax_percentage": tax_percentage,
                "tax_inclusive": tax_inclusive,
                "reverse_charge": reverse_charge,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        description = d.pop("description")

        def _parse_price(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                price_type_0 = UUID(data)

                return price_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        price = _parse_price(d.pop("price"))

        def _parse_product(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                product_type_0 = UUID(data)

                return product_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        product = _parse_product(d.pop("product"))

        quantity = d.pop("quantity")

        unit_amount = d.pop("unit_amount")

        discount_percent = d.pop("discount_percent")

        tax_category = d.pop("tax_category")

        amount = d.pop("amount")

        net = d.pop("net")

        tax = d.pop("tax")

        tax_name = d.pop("tax_name")

        tax_percentage = d.pop("tax_percentage")

        tax_inclusive = d.pop("tax_inclusive")

        reverse_charge = d.pop("reverse_charge")

        line_out = cls(
            description=description,
            price=price,
            product=product,
            quantity=quantity,
            unit_amount=unit_amount,
            discount_percent=discount_percent,
            tax_category=tax_category,
            amount=amount,
            net=net,
            tax=tax,
            tax_name=tax_name,
            tax_percentage=tax_percentage,
            tax_inclusive=tax_inclusive,
            reverse_charge=reverse_charge,
        )

        line_out.additional_properties = d
        return line_out

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LineIn")


@_attrs_define
class LineIn:
    """A catalogue price, or a description with a unit amount (never both).

    Attributes:
        price (None | Unset | UUID):
        description (None | str | Unset): required without a price; overrides its name
        unit_amount (None | str | Unset): without a price: in the invoice's currency
        quantity (None | str | Unset): non-negative decimal (at most 6 decimals); 1 when left out, except for a
            recurring or usage price, which needs it
        discount_percent (None | str | Unset): 0 to 100, at most 4 decimals
        tax_category (None | str | Unset): else the product's, else standard
    """

    price: None | Unset | UUID = UNSET
    description: None | str | Unset = UNSET
    unit_amount: None | str | Unset = UNSET
    quantity: None | str | Unset = UNSET
    discount_percent: None | str | Unset = UNSET
    tax_category: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        price: None | str | Unset
        if isinstance(self.price, Unset):
            price = UNSET
        elif isinstance(self.price, UUID):
            price = str(self.price)
        else:
            price = self.price

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        unit_amount: None | str | Unset
        if isinstance(self.unit_amount, Unset):
            unit_amount = UNSET
        else:
            unit_amount = self.unit_amount

        quantity: None | str | Unset
        if isinstance(self.quantity, Unset):
            quantity = UNSET
        else:
            quantity = self.quantity

        discount_percent: None | str | Unset
        if isinstance(self.discount_percent, Unset):
            discount_percent = UNSET
        else:
            discount_percent = self.discount_percent

        tax_category: None | str | Unset
        if isinstance(self.tax_category, Unset):
            tax_category = UNSET
        else:
            tax_category = self.tax_category

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if price is not UNSET:
            field_dict["price"] = price
        if description is not UNSET:
            field_dict["description"] = description
        if unit_amount is not UNSET:
            field_dict["unit_amount"] = unit_amount
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if discount_percent is not UNSET:
            field_dict["discount_percent"] = discount_percent
        if tax_category is not UNSET:
            field_dict["tax_category"] = tax_category

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_price(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                price_type_0 = UUID(data)

                return price_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        price = _parse_price(d.pop("price", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_unit_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit_amount = _parse_unit_amount(d.pop("unit_amount", UNSET))

        def _parse_quantity(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        quantity = _parse_quantity(d.pop("quantity", UNSET))

        def _parse_discount_percent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        discount_percent = _parse_discount_percent(d.pop("discount_percent", UNSET))

        def _parse_tax_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tax_category = _parse_tax_category(d.pop("tax_category", UNSET))

        line_in = cls(
            price=price,
            description=description,
            unit_amount=unit_amount,
            quantity=quantity,
            discount_percent=discount_percent,
            tax_category=tax_category,
        )

        return line_in

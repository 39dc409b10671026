from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TaxLineOut")


@_attrs_define
class TaxLineOut:
    """
    Attributes:
        name (str):
        percentage (str):
        inclusive (bool):
        reverse_charge (bool):
        taxable_amount (str):
        tax (str):
    """

    name: str
    percentage: str
    inclusive: bool
    reverse_charge: bool
    taxable_amount: str
    tax: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        percentage = self.percentage

        inclusive = self.inclusive

        reverse_charge = self.reverse_charge

        taxable_amount = self.taxable_amount

        tax = self.tax

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "percentage": percentage,
                "inclusive": inclusive,
                "reverse_charge": reverse_charge,
                "taxable_amount": taxable_amount,
                "tax": tax,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        percentage = d.pop("percentage")

        inclusive = d.pop("inclusive")

        reverse_charge = d.pop("reverse_charge")

        taxable_amount = d.pop("taxable_amount")

        tax = d.pop("tax")

        tax_line_out = cls(
            name=name,
            percentage=percentage,
            inclusive=inclusive,
            reverse_charge=reverse_charge,
            taxable_amount=taxable_amount,
            tax=tax,
        )

        tax_line_out.additional_properties = d
        return tax_line_out

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

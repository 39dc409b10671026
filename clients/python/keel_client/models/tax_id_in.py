from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.tax_id_in_type import TaxIdInType

T = TypeVar("T", bound="TaxIdIn")


@_attrs_define
class TaxIdIn:
    """
    Attributes:
        type_ (TaxIdInType):
        value (str):
    """

    type_: TaxIdInType
    value: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = TaxIdInType(d.pop("type"))

        value = d.pop("value")

        tax_id_in = cls(
            type_=type_,
            value=value,
        )

        return tax_id_in

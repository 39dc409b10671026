from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.signature_in_type import SignatureInType

T = TypeVar("T", bound="SignatureIn")


@_attrs_define
class SignatureIn:
    """
    Attributes:
        type_ (SignatureInType):
        value (str): typed: the name (1..100 characters); drawn: a data:image/png;base64 URL (≤ 200 kB)
    """

    type_: SignatureInType
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
        type_ = SignatureInType(d.pop("type"))

        value = d.pop("value")

        signature_in = cls(
            type_=type_,
            value=value,
        )

        return signature_in

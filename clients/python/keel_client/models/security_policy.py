from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SecurityPolicy")


@_attrs_define
class SecurityPolicy:
    """
    Attributes:
        mfa_required (bool): every user of the tenant signs in with a second factor
    """

    mfa_required: bool

    def to_dict(self) -> dict[str, Any]:
        mfa_required = self.mfa_required

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mfa_required": mfa_required,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        mfa_required = d.pop("mfa_required")

        security_policy = cls(
            mfa_required=mfa_required,
        )

        return security_policy

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RoleCreate")


@_attrs_define
class RoleCreate:
    """
    Attributes:
        name (str):
        description (None | str | Unset):
        permissions (list[str] | Unset):
        mfa_required (bool | Unset): everyone holding the role signs in with a second factor Default: False.
    """

    name: str
    description: None | str | Unset = UNSET
    permissions: list[str] | Unset = UNSET
    mfa_required: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        permissions: list[str] | Unset = UNSET
        if not isinstance(self.permissions, Unset):
            permissions = self.permissions

        mfa_required = self.mfa_required

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if permissions is not UNSET:
            field_dict["permissions"] = permissions
        if mfa_required is not UNSET:
            field_dict["mfa_required"] = mfa_required

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        permissions = cast(list[str], d.pop("permissions", UNSET))

        mfa_required = d.pop("mfa_required", UNSET)

        role_create = cls(
            name=name,
            description=description,
            permissions=permissions,
            mfa_required=mfa_required,
        )

        return role_create

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.signer_in_auth import SignerInAuth
from ..models.signer_in_role import SignerInRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="SignerIn")


@_attrs_define
class SignerIn:
    """
    Attributes:
        name (str):
        email (str):
        order (int): signers of one order sign in parallel; orders in sequence
        phone (None | str | Unset): E.164; required for `sms_otp`
        role (SignerInRole | Unset):  Default: SignerInRole.SIGNER.
        auth (SignerInAuth | Unset):  Default: SignerInAuth.EMAIL.
    """

    name: str
    email: str
    order: int
    phone: None | str | Unset = UNSET
    role: SignerInRole | Unset = SignerInRole.SIGNER
    auth: SignerInAuth | Unset = SignerInAuth.EMAIL

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        email = self.email

        order = self.order

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        auth: str | Unset = UNSET
        if not isinstance(self.auth, Unset):
            auth = self.auth.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "email": email,
                "order": order,
            }
        )
        if phone is not UNSET:
            field_dict["phone"] = phone
        if role is not UNSET:
            field_dict["role"] = role
        if auth is not UNSET:
            field_dict["auth"] = auth

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        email = d.pop("email")

        order = d.pop("order")

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        _role = d.pop("role", UNSET)
        role: SignerInRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = SignerInRole(_role)

        _auth = d.pop("auth", UNSET)
        auth: SignerInAuth | Unset
        if isinstance(_auth, Unset):
            auth = UNSET
        else:
            auth = SignerInAuth(_auth)

        signer_in = cls(
            name=name,
            email=email,
            order=order,
            phone=phone,
            role=role,
            auth=auth,
        )

        return signer_in

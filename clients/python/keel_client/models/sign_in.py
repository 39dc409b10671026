from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sign_in_fields import SignInFields
    from ..models.signature_in import SignatureIn


T = TypeVar("T", bound="SignIn")


@_attrs_define
class SignIn:
    """
    Attributes:
        signature (SignatureIn):
        consent (bool):
        fields (SignInFields | Unset): a value for each of your `text` fields, by id
        otp (None | str | Unset):
    """

    signature: SignatureIn
    consent: bool
    fields: SignInFields | Unset = UNSET
    otp: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        signature = self.signature.to_dict()

        consent = self.consent

        fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields.to_dict()

        otp: None | str | Unset
        if isinstance(self.otp, Unset):
            otp = UNSET
        else:
            otp = self.otp

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "signature": signature,
                "consent": consent,
            }
        )
        if fields is not UNSET:
            field_dict["fields"] = fields
        if otp is not UNSET:
            field_dict["otp"] = otp

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.sign_in_fields import SignInFields
        from ..models.signature_in import SignatureIn

        d = dict(src_dict)
        signature = SignatureIn.from_dict(d.pop("signature"))

        consent = d.pop("consent")

        _fields = d.pop("fields", UNSET)
        fields: SignInFields | Unset
        if isinstance(_fields, Unset):
            fields = UNSET
        else:
            fields = SignInFields.from_dict(_fields)

        def _parse_otp(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        otp = _parse_otp(d.pop("otp", UNSET))

        sign_in = cls(
            signature=signature,
            consent=consent,
            fields=fields,
            otp=otp,
        )

        return sign_in

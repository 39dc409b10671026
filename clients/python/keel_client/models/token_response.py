from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.token_out import TokenOut
    from ..models.token_response_meta import TokenResponseMeta


T = TypeVar("T", bound="TokenResponse")


@_attrs_define
class TokenResponse:
    """
    Attributes:
        access_token (str):
        expires_in (int):
        data (TokenOut):
        timestamp (str):
        token_type (str | Unset):  Default: 'bearer'.
        refresh_token (None | str | Unset): works once: grant_type=refresh_token answers the next one
        status (str | Unset):  Default: 'success'.
        message (None | str | Unset):
        meta (TokenResponseMeta | Unset):
    """

    access_token: str
    expires_in: int
    data: TokenOut
    timestamp: str
    token_type: str | Unset = "bearer"
    refresh_token: None | str | Unset = UNSET
    status: str | Unset = "success"
    message: None | str | Unset = UNSET
    meta: TokenResponseMeta | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        expires_in = self.expires_in

        data = self.data.to_dict()

        timestamp = self.timestamp

        token_type = self.token_type

        refresh_token: None | str | Unset
        if isinstance(self.refresh_token, Unset):
            refresh_token = UNSET
        else:
            refresh_token = self.refresh_token

        status = self.status

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_token": access_token,
                "expires_in": expires_in,
                "data": data,
                "timestamp": timestamp,
            }
        )
        if token_type is not UNSET:
            field_dict["token_type"] = token_type
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token
        if status is not UNSET:
            field_dict["status"] = status
        if message is not UNSET:
            field_dict["message"] = message
        if meta is not UNSET:
            field_dict["meta"] = meta

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.token_out import TokenOut
        from ..models.token_response_meta import TokenResponseMeta

        d = dict(src_dict)
        access_token = d.pop("access_token")

        expires_in = d.pop("expires_in")

        data = TokenOut.from_dict(d.pop("data"))

        timestamp = d.pop("timestamp")

        token_type = d.pop("token_type", UNSET)

        def _parse_refresh_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refresh_token = _parse_refresh_token(d.pop("refresh_token", UNSET))

        status = d.pop("status", UNSET)

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        _meta = d.pop("meta", UNSET)
        meta: TokenResponseMeta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = TokenResponseMeta.from_dict(_meta)

        token_response = cls(
            access_token=access_token,
            expires_in=expires_in,
            data=data,
            timestamp=timestamp,
            token_type=token_type,
            refresh_token=refresh_token,
            status=status,
            message=message,
            meta=meta,
        )

        token_response.additional_properties = d
        return token_response

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

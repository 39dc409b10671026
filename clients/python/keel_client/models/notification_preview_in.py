from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.notification_preview_in_data import NotificationPreviewInData


T = TypeVar("T", bound="NotificationPreviewIn")


@_attrs_define
class NotificationPreviewIn:
    """
    Attributes:
        channel (str):
        locale (None | str | Unset):
        data (NotificationPreviewInData | Unset):
        version (int | None | Unset): an older version; the latest by default
    """

    channel: str
    locale: None | str | Unset = UNSET
    data: NotificationPreviewInData | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        else:
            locale = self.locale

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
            }
        )
        if locale is not UNSET:
            field_dict["locale"] = locale
        if data is not UNSET:
            field_dict["data"] = data
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.notification_preview_in_data import NotificationPreviewInData

        d = dict(src_dict)
        channel = d.pop("channel")

        def _parse_locale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))

        _data = d.pop("data", UNSET)
        data: NotificationPreviewInData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = NotificationPreviewInData.from_dict(_data)

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        notification_preview_in = cls(
            channel=channel,
            locale=locale,
            data=data,
            version=version,
        )

        return notification_preview_in

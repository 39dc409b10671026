from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.notification_request_channels_type_0_item import (
    NotificationRequestChannelsType0Item,
)
from ..models.notification_request_priority import NotificationRequestPriority
from ..models.notification_request_strategy import NotificationRequestStrategy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.notification_request_data import NotificationRequestData
    from ..models.recipient import Recipient


T = TypeVar("T", bound="NotificationRequest")


@_attrs_define
class NotificationRequest:
    """
    Attributes:
        recipient (Recipient): Exactly one of a user of the tenant, an email address or a phone number.
        template (str):
        data (NotificationRequestData | Unset):
        channels (list[NotificationRequestChannelsType0Item] | None | Unset): in order; default: the template's channels
            the recipient can be reached on
        category (None | str | Unset):
        send_at (datetime.datetime | None | Unset): RFC 3339 with an offset; later sends wait
        priority (NotificationRequestPriority | Unset):  Default: NotificationRequestPriority.NORMAL.
        strategy (NotificationRequestStrategy | Unset): all: every channel; fallback: the channels in order until one
            succeeds Default: NotificationRequestStrategy.ALL.
        locale (None | str | Unset):
    """

    recipient: Recipient
    template: str
    data: NotificationRequestData | Unset = UNSET
    channels: list[NotificationRequestChannelsType0Item] | None | Unset = UNSET
    category: None | str | Unset = UNSET
    send_at: datetime.datetime | None | Unset = UNSET
    priority: NotificationRequestPriority | Unset = NotificationRequestPriority.NORMAL
    strategy: NotificationRequestStrategy | Unset = NotificationRequestStrategy.ALL
    locale: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        recipient = self.recipient.to_dict()

        template = self.template

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        channels: list[str] | None | Unset
        if isinstance(self.channels, Unset):
            channels = UNSET
        elif isinstance(self.channels, list):
            channels = []
            for channels_type_0_item_data in self.channels:
                channels_type_0_item = channels_type_0_item_data.value
                channels.append(channels_type_0_item)

        else:
            channels = self.channels

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        send_at: None | str | Unset
        if isinstance(self.send_at, Unset):
            send_at = UNSET
        elif isinstance(self.send_at, datetime.datetime):
            send_at = self.send_at.isoformat()
        else:
            send_at = self.send_at

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        strategy: str | Unset = UNSET
        if not isinstance(self.strategy, Unset):
            strategy = self.strategy.value

        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        else:
            locale = self.locale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "recipient": recipient,
                "template": template,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if channels is not UNSET:
            field_dict["channels"] = channels
        if category is not UNSET:
            field_dict["category"] = category
        if send_at is not UNSET:
            field_dict["send_at"] = send_at
        if priority is not UNSET:
            field_dict["priority"] = priority
        if strategy is not UNSET:
            field_dict["strategy"] = strategy
        if locale is not UNSET:
            field_dict["locale"] = locale

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.notification_request_data import NotificationRequestData
        from ..models.recipient import Recipient

        d = dict(src_dict)
        recipient = Recipient.from_dict(d.pop("recipient"))

        template = d.pop("template")

        _data = d.pop("data", UNSET)
        data: NotificationRequestData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = NotificationRequestData.from_dict(_data)

        def _parse_channels(
            data: object,
        ) -> list[NotificationRequestChannelsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                channels_type_0 = []
                _channels_type_0 = data
                for channels_type_0_item_data in _channels_type_0:
                    channels_type_0_item = NotificationRequestChannelsType0Item(
                        channels_type_0_item_data
                    )

                    channels_type_0.append(channels_type_0_item)

                return channels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[NotificationRequestChannelsType0Item] | None | Unset, data)

        channels = _parse_channels(d.pop("channels", UNSET))

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_send_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_at_type_0 = datetime.datetime.fromisoformat(data)

                return send_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        send_at = _parse_send_at(d.pop("send_at", UNSET))

        _priority = d.pop("priority", UNSET)
        priority: NotificationRequestPriority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = NotificationRequestPriority(_priority)

        _strategy = d.pop("strategy", UNSET)
        strategy: NotificationRequestStrategy | Unset
        if isinstance(_strategy, Unset):
            strategy = UNSET
        else:
            strategy = NotificationRequestStrategy(_strategy)

        def _parse_locale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))

        notification_request = cls(
            recipient=recipient,
            template=template,
            data=data,
            channels=channels,
            category=category,
            send_at=send_at,
            priority=priority,
            strategy=strategy,
            locale=locale,
        )

        return notification_request

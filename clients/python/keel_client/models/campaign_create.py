from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.campaign_create_channels_item import CampaignCreateChannelsItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audience import Audience
    from ..models.campaign_create_data import CampaignCreateData


T = TypeVar("T", bound="CampaignCreate")


@_attrs_define
class CampaignCreate:
    """
    Attributes:
        template (str):
        audience (Audience): Exactly one of a filter over the tenant's users or a list of contacts (email or phone).
        channels (list[CampaignCreateChannelsItem]):
        rate_per_minute (int):
        name (None | str | Unset):
        category (None | str | Unset):
        data (CampaignCreateData | Unset):
        send_at (datetime.datetime | None | Unset):
    """

    template: str
    audience: Audience
    channels: list[CampaignCreateChannelsItem]
    rate_per_minute: int
    name: None | str | Unset = UNSET
    category: None | str | Unset = UNSET
    data: CampaignCreateData | Unset = UNSET
    send_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        template = self.template

        audience = self.audience.to_dict()

        channels = []
        for channels_item_data in self.channels:
            channels_item = channels_item_data.value
            channels.append(channels_item)

        rate_per_minute = self.rate_per_minute

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        send_at: None | str | Unset
        if isinstance(self.send_at, Unset):
            send_at = UNSET
        elif isinstance(self.send_at, datetime.datetime):
            send_at = self.send_at.isoformat()
        else:
            send_at = self.send_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "template": template,
                "audience": audience,
                "channels": channels,
                "rate_per_minute": rate_per_minute,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if category is not UNSET:
            field_dict["category"] = category
        if data is not UNSET:
            field_dict["data"] = data
        if send_at is not UNSET:
            field_dict["send_at"] = send_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.audience import Audience
        from ..models.campaign_create_data import CampaignCreateData

        d = dict(src_dict)
        template = d.pop("template")

        audience = Audience.from_dict(d.pop("audience"))

        channels = []
        _channels = d.pop("channels")
        for channels_item_data in _channels:
            channels_item = CampaignCreateChannelsItem(channels_item_data)

            channels.append(channels_item)

        rate_per_minute = d.pop("rate_per_minute")

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        _data = d.pop("data", UNSET)
        data: CampaignCreateData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = CampaignCreateData.from_dict(_data)

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

        campaign_create = cls(
            template=template,
            audience=audience,
            channels=channels,
            rate_per_minute=rate_per_minute,
            name=name,
            category=category,
            data=data,
            send_at=send_at,
        )

        return campaign_create

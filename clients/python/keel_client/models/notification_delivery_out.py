from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.message_out import MessageOut
    from ..models.notification_delivery_out_recipient import (
        NotificationDeliveryOutRecipient,
    )


T = TypeVar("T", bound="NotificationDeliveryOut")


@_attrs_define
class NotificationDeliveryOut:
    """
    Attributes:
        id (UUID):
        status (str):
        recipient (NotificationDeliveryOutRecipient):
        template (str):
        template_version (int | None):
        category (str):
        priority (str):
        strategy (str):
        channels (list[str]):
        send_at (datetime.datetime | None):
        campaign_id (None | UUID):
        workflow_id (None | str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        messages (list[MessageOut]):
    """

    id: UUID
    status: str
    recipient: NotificationDeliveryOutRecipient
    template: str
    template_version: int | None
    category: str
    priority: str
    strategy: str
    channels: list[str]
    send_at: datetime.datetime | None
    campaign_id: None | UUID
    workflow_id: None | str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    messages: list[MessageOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        status = self.status

        recipient = self.recipient.to_dict()

        template = self.template

        template_version: int | None
        template_version = self.template_version

        category = self.category

        priority = self.priority

        strategy = self.strategy

        channels = self.channels

        send_at: None | str
        if isinstance(self.send_at, datetime.datetime):
            send_at = self.send_at.isoformat()
        else:
            send_at = self.send_at

        campaign_id: None | str
        if isinstance(self.campaign_id, UUID):
            campaign_id = str(self.campaign_id)
        else:
            campaign_id = self.campaign_id

        workflow_id: None | str
        workflow_id = self.workflow_id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "recipient": recipient,
                "template": template,
                "template_version": template_version,
                "category": category,
                "priority": priority,
                "strategy": strategy,
                "channels": channels,
                "send_at": send_at,
                "campaign_id": campaign_id,
                "workflow_id": workflow_id,
                "created_at": created_at,
                "updated_at": updated_at,
                "messages": messages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.message_out import MessageOut
        from ..models.notification_delivery_out_recipient import (
            NotificationDeliveryOutRecipient,
        )

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        status = d.pop("status")

        recipient = NotificationDeliveryOutRecipient.from_dict(d.pop("recipient"))

        template = d.pop("template")

        def _parse_template_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        template_version = _parse_template_version(d.pop("template_version"))

        category = d.pop("category")

        priority = d.pop("priority")

        strategy = d.pop("strategy")

        channels = cast(list[str], d.pop("channels"))

        def _parse_send_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_at_type_0 = datetime.datetime.fromisoformat(data)

                return send_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        send_at = _parse_send_at(d.pop("send_at"))

        def _parse_campaign_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                campaign_id_type_0 = UUID(data)

                return campaign_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        campaign_id = _parse_campaign_id(d.pop("campaign_id"))

        def _parse_workflow_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = MessageOut.from_dict(messages_item_data)

            messages.append(messages_item)

        notification_delivery_out = cls(
            id=id,
            status=status,
            recipient=recipient,
            template=template,
            template_version=template_version,
            category=category,
            priority=priority,
            strategy=strategy,
            channels=channels,
            send_at=send_at,
            campaign_id=campaign_id,
            workflow_id=workflow_id,
            created_at=created_at,
            updated_at=updated_at,
            messages=messages,
        )

        notification_delivery_out.additional_properties = d
        return notification_delivery_out

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
